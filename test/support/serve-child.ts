// `mmsc serve` (the real CLI, from src/ through tsx) in a child process, for tests that kill it
// or fill its disk: its JSON log lines are collected as they come.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { decodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { decodePush } from '../../src/codec/wsp/index.js';

const ROOT = join(import.meta.dirname, '../..');

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export interface ServeChild {
  proc: ChildProcess;
  lines: LogLine[];
  /** Exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The first log line (from `from` on) whose msg matches, waiting for it. */
  until(msg: RegExp, timeoutMs?: number, from?: number): Promise<LogLine>;
  kill(): Promise<void>;
}

/**
 * Runs `mmsc serve --config <file>`, resolving once it says 'MMSC started': from src/ through
 * tsx, or the built bin/mmsc.js (`built`: tsx itself takes gigabytes of address space).
 * `shell` runs first in the same shell (`ulimit -v ...`); `nodeFlags` go to node.
 */
export async function serveChild(configFile: string, o: { shell?: string; built?: boolean; nodeFlags?: string[] } = {}): Promise<ServeChild> {
  const entry = o.built ? [join(ROOT, 'bin/mmsc.js')] : ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
  const args = [...(o.nodeFlags ?? []), ...entry, 'serve', '--config', configFile];
  const proc = o.shell
    ? spawn('sh', ['-c', `${o.shell}; exec "$0" "$@"`, process.execPath, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  let partial = '';
  const take = (c: Buffer) => {
    const text = partial + c.toString();
    const all = text.split('\n');
    partial = all.pop() ?? '';
    for (const l of all) {
      if (!l.trim()) continue;
      try {
        lines.push(JSON.parse(l) as LogLine);
      } catch {
        lines.push({ level: 50, msg: l }); // not pino: lmdb's console.error, a crash's stack
      }
    }
  };
  proc.stdout!.on('data', take);
  proc.stderr!.on('data', take);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const until = async (msg: RegExp, timeoutMs = 15_000, from = 0): Promise<LogLine> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const line = lines.slice(from).find((l) => msg.test(l.msg));
      if (line) return line;
      if (proc.exitCode !== null || proc.signalCode !== null || Date.now() > end) {
        throw new Error(`mmsc serve: no log line ${msg}${proc.exitCode !== null || proc.signalCode !== null ? ` (it exited: ${proc.exitCode ?? proc.signalCode})` : ''}; its last lines: ${lines.slice(-12).map((l) => l.msg).join(' | ')}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const child: ServeChild = {
    proc,
    lines,
    exited,
    until,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
  await until(/^MMSC started$/, 30_000);
  return child;
}

export interface Push {
  id: string;
  to: string;
  pdu: MmsPdu;
}

/** The radio network as the loopback bearer sees it: records pushes; answers 503 while `refusing`. */
export async function pushSink(): Promise<{ server: Server; url: string; pushes: Push[]; refusing: boolean }> {
  const sink = { server: null as unknown as Server, url: '', pushes: [] as Push[], refusing: false };
  sink.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (sink.refusing) {
        res.statusCode = 503;
        return res.end('not now');
      }
      sink.pushes.push({ id: String(req.headers['x-push-id']), to: String(req.headers['x-push-to']), pdu: decodeMms(decodePush(Buffer.concat(chunks)).body) });
      res.end('ok');
    });
  });
  const port = await new Promise<number>((r) => sink.server.listen(0, '127.0.0.1', () => r((sink.server.address() as { port: number }).port)));
  sink.url = `http://127.0.0.1:${port}/push`;
  return sink;
}
