// A TypeScript script run as its own process (for the crash tests, which SIGKILL it): its stdout
// lines are collected as they come.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildRun {
  proc: ChildProcess;
  /** The exit code; null when killed by a signal. */
  exited: Promise<number | null>;
  out: string[];
  /** The first line starting with `prefix`, waiting for it. */
  until(prefix: string, timeoutMs?: number): Promise<string>;
}

export function startChild(script: string, args: object): ChildRun {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const out: string[] = [];
  proc.stdout!.on('data', (c: Buffer) => out.push(...c.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const until = async (prefix: string, timeoutMs = 10_000): Promise<string> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const line = out.find((l) => l.startsWith(prefix));
      if (line) return line;
      if (Date.now() > end) throw new Error(`${script}: no "${prefix}" line; it printed ${JSON.stringify(out)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { proc, exited, out, until };
}
