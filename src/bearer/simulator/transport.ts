// Where a virtual modem's AT port lives. On a pseudo-terminal: `socat` makes a pty (a symlink
// at the path asked for) and relays it to its stdio, which the modem serves; a driver opens
// the path with the real serialport package, as it would /dev/ttyUSB2. In process: when socat
// is absent, the same modem sits behind an in-memory stream pair and a PortOpener hands the
// other end to the driver. Both can make the port vanish (USB unplugged) and come back,
// possibly under another name, as USB re-enumeration does.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { lstatSync, unlinkSync } from 'node:fs';
import { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { ModemError } from '../modem/errors.js';
import type { ModemPort, PortOpener } from '../modem/port.js';
import type { VirtualModem } from './modem.js';

let socatChecked: boolean | null = null;

/** Whether the `socat` command is installed. */
export function socatAvailable(): boolean {
  if (socatChecked === null) {
    const r = spawnSync('socat', ['-V'], { stdio: 'ignore' });
    socatChecked = r.status === 0;
  }
  return socatChecked;
}

/** A served port that can vanish and come back. */
export interface ServedPort {
  readonly kind: 'pty' | 'in-process';
  /** Where a driver opens it (changes when it comes back under another name). */
  readonly path: string;
  readonly present: boolean;
  /** Opens it: serialport for a pty, the in-memory end for in-process. */
  readonly opener: PortOpener;
  /** The port disappears; the modem loses power (settings reset, storage kept). */
  vanish(): Promise<void>;
  /** The port comes back (at `path`, or where it was) and the modem boots. */
  reappear(path?: string): Promise<void>;
  close(): Promise<void>;
}

function removeStaleLink(path: string): void {
  try {
    if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
  } catch {
    // nothing there
  }
}

/** The modem on a socat pty at `path`. */
export class PtyPort implements ServedPort {
  readonly kind = 'pty' as const;
  private child: ChildProcess | null = null;
  private current: string;
  private readonly log: Logger | null;

  private constructor(readonly modem: VirtualModem, path: string, readonly opener: PortOpener, logger?: Logger) {
    this.current = path;
    this.log = logger ?? null;
  }

  /** Starts socat and serves the modem; the port exists when this resolves. */
  static async serve(modem: VirtualModem, path: string, opts: { opener: PortOpener; logger?: Logger; boot?: boolean }): Promise<PtyPort> {
    if (!socatAvailable()) throw new Error('socat is not installed: cannot make a pseudo-terminal (use the in-process port)');
    const p = new PtyPort(modem, path, opts.opener, opts.logger);
    await p.start(opts.boot ?? true);
    return p;
  }

  get path(): string {
    return this.current;
  }

  get present(): boolean {
    return this.child !== null;
  }

  private async start(boot: boolean): Promise<void> {
    removeStaleLink(this.current);
    const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.current}`, 'stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`socat did not start for ${this.current}: ${err.trim()}`)), 10_000);
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('starting data transfer loop')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`socat exited (${code}) for ${this.current}: ${err.trim()}`));
      });
    });
    child.stderr?.removeAllListeners('data');
    child.stderr?.resume();
    const stdin = child.stdin as NonNullable<ChildProcess['stdin']>;
    stdin.on('error', () => undefined); // EPIPE when socat is killed
    const stream = Duplex.from({ readable: child.stdout as NonNullable<ChildProcess['stdout']>, writable: stdin });
    stream.on('error', () => undefined);
    this.modem.attach(stream, { boot });
    child.once('exit', () => {
      if (this.child === child) {
        this.child = null;
        this.modem.detach();
      }
    });
    this.log?.debug({ path: this.current, msisdn: this.modem.msisdn }, 'virtual modem on a pty');
  }

  private async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    this.modem.detach();
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    removeStaleLink(this.current);
  }

  vanish(): Promise<void> {
    return this.stop();
  }

  async reappear(path?: string): Promise<void> {
    if (this.child) return;
    if (path) this.current = path;
    await this.start(true);
  }

  close(): Promise<void> {
    return this.stop();
  }
}

export interface ServeOptions {
  /** 'pty' (needs socat), 'in-process', or 'auto' (pty when socat is installed). Default 'auto'. */
  transport?: 'auto' | 'pty' | 'in-process';
  /** Registry for in-process ports (one is created when absent). */
  inProcess?: InProcessPorts;
  /** Opener a driver uses for pty ports (default: the serialport package). */
  opener?: PortOpener;
  logger?: Logger;
  /** Power-on codes when the port appears. Default true. */
  boot?: boolean;
  /** Overrides the socat check (tests). */
  socat?: boolean;
}

/**
 * Serves a virtual modem at `path`: on a socat pty when possible, else in process (saying so
 * in a log line: then only this process can open the port, through `opener`).
 */
export async function servePort(modem: VirtualModem, path: string, opts: ServeOptions = {}): Promise<ServedPort> {
  const transport = opts.transport ?? 'auto';
  const haveSocat = opts.socat ?? socatAvailable();
  if (transport === 'pty' || (transport === 'auto' && haveSocat)) {
    const { serialPortOpener } = await import('../modem/port.js');
    return PtyPort.serve(modem, path, { opener: opts.opener ?? serialPortOpener(), logger: opts.logger, boot: opts.boot });
  }
  if (transport === 'auto') {
    opts.logger?.warn({ path, msisdn: modem.msisdn }, 'socat is not installed: the simulated modem runs in process (no pty; other programs cannot open it)');
  }
  return (opts.inProcess ?? new InProcessPorts()).serve(modem, path, { boot: opts.boot });
}

/** Two connected in-memory streams; what one writes the other reads (on a later turn). */
export function duplexPair(): [Duplex, Duplex] {
  const make = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        const copy = Buffer.from(chunk);
        setImmediate(() => {
          const p = peer();
          if (!p.destroyed) p.push(copy);
        });
        cb();
      },
    });
  // eslint-disable-next-line prefer-const
  let a: Duplex;
  const b = make(() => a);
  a = make(() => b);
  return [a, b];
}

/** Virtual modems on in-memory ports, opened through `opener` by path. */
export class InProcessPorts {
  private readonly links = new Map<string, InProcessPort>();

  /** A PortOpener for the driver (and the CLI) that finds these ports by path. */
  readonly opener: PortOpener = async (path: string) => {
    const link = this.links.get(path);
    if (!link || !link.present) {
      throw new ModemError('PORT_OPEN_FAILED', `cannot open ${path}: no such in-process port`, { reason: 'not-found', scope: 'modem' });
    }
    return link.open();
  };

  serve(modem: VirtualModem, path: string, opts: { boot?: boolean } = {}): InProcessPort {
    if (this.links.has(path)) throw new Error(`in-process port ${path} is taken`);
    const link = new InProcessPort(this, modem, path);
    this.links.set(path, link);
    link.start(opts.boot ?? true);
    return link;
  }

  /** Paths currently present (for a locate function). */
  paths(): string[] {
    return [...this.links.values()].filter((l) => l.present).map((l) => l.path);
  }

  /** @internal */
  rename(link: InProcessPort, from: string, to: string): void {
    this.links.delete(from);
    if (this.links.has(to)) throw new Error(`in-process port ${to} is taken`);
    this.links.set(to, link);
  }

  /** @internal */
  remove(path: string): void {
    this.links.delete(path);
  }
}

export class InProcessPort implements ServedPort {
  readonly kind = 'in-process' as const;
  private here: Duplex | null = null;
  private there: Duplex | null = null;
  private live = false;

  constructor(private readonly registry: InProcessPorts, readonly modem: VirtualModem, private current: string) {}

  get path(): string {
    return this.current;
  }

  get present(): boolean {
    return this.live;
  }

  get opener(): PortOpener {
    return this.registry.opener;
  }

  /** @internal */
  start(boot: boolean): void {
    this.live = true;
    if (boot) this.modem.powerOn();
  }

  /** @internal The driver's end; one opener at a time, as a locked tty. */
  open(): ModemPort {
    if (this.there && !this.there.destroyed) {
      throw new ModemError('PORT_OPEN_FAILED', `cannot open ${this.current}: port is locked by another user`, { reason: 'busy', scope: 'modem' });
    }
    const [here, there] = duplexPair();
    this.here = here;
    this.there = there;
    this.modem.attach(here);
    const close = async (): Promise<void> => {
      if (this.there === there) {
        this.modem.release(here);
        this.here = null;
        this.there = null;
      }
      here.destroy();
      there.destroy();
    };
    const path = this.current;
    return { path, stream: there, close, exists: () => this.live && this.current === path };
  }

  async vanish(): Promise<void> {
    this.live = false;
    this.modem.detach();
    this.there?.destroy();
    this.here?.destroy();
    this.here = null;
    this.there = null;
  }

  async reappear(path?: string): Promise<void> {
    if (this.live) return;
    if (path && path !== this.current) {
      this.registry.rename(this, this.current, path);
      this.current = path;
    }
    this.start(true);
  }

  async close(): Promise<void> {
    await this.vanish();
    this.registry.remove(this.current);
  }
}
