// A 2G radio link between a phone and the MMSC, emulated by a TCP proxy on 127.0.0.1: every
// connection through it is one phone's link, shaped in each direction by a token bucket (the
// link's rate, with a bucket of 20 ms of it: GPRS/EDGE send in 20 ms radio blocks), a one-way
// latency added to every byte, the TCP handshake's round trip before the phone's first byte,
// and scheduled stalls (the link carries nothing for a while once some bytes have passed, as a
// GPRS link does in a cell reselection). Backpressure is passed on: a side that sends faster
// than the link is paused once 64 KiB wait. Used by the 2G link tests and `npm run bench -- link`.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Direction {
  /** Bytes per second. */
  rate: number;
  /** One-way delay added to every byte, ms. */
  latencyMs?: number;
  /** The link carries nothing for `ms` once `afterBytes` have passed in this direction (per connection). */
  stalls?: readonly { afterBytes: number; ms: number }[];
}

export interface LinkProfile {
  name: string;
  /** Phone to MMSC. */
  up: Direction;
  /** MMSC to phone. */
  down: Direction;
}

export interface LinkConnection {
  profile: LinkProfile;
  opened: number;
  closed?: number;
  /** Bytes carried phone to MMSC and MMSC to phone. */
  up: number;
  down: number;
  /** When the last byte so far reached the MMSC, and when the MMSC's first byte entered the link. */
  upLast?: number;
  downFirst?: number;
}

const TICK_MS = 10;
/** The bucket an idle link fills: GPRS/EDGE send in 20 ms radio blocks. */
const BUCKET_MS = 20;
const HIGH_WATER = 64 * 1024;

/** One direction of one connection. */
class Shaper {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private tokens = 0;
  private last: number;
  private passed = 0;
  private stall = 0;
  private stallUntil = 0;
  private ended = false;
  private inTransit = 0;
  private timer: NodeJS.Timeout | null = null;
  private dead = false;

  constructor(
    private readonly d: Direction,
    private readonly src: Socket,
    private readonly dst: Socket,
    /** Nothing passes before this time (the handshake). */
    private readonly openAt: number,
    private readonly count: (n: number) => void,
    private readonly entered: () => void = () => undefined,
  ) {
    this.last = performance.now();
    dst.on('drain', () => this.schedule(0));
  }

  push(chunk: Buffer): void {
    this.entered();
    if (this.queued === 0) this.refill(true);
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.queued > HIGH_WATER) this.src.pause();
    this.schedule(0);
  }

  end(): void {
    this.ended = true;
    this.schedule(0);
  }

  kill(): void {
    this.dead = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.timer || this.dead) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, ms);
  }

  /**
   * Adds the tokens of the time since the last refill. A link with data waiting has been sending
   * all along (a late timer must not cost capacity); an idle one keeps at most one bucket.
   */
  private refill(idle: boolean): void {
    const now = performance.now();
    const from = Math.max(this.last, this.openAt, this.stallUntil);
    if (now > from) this.tokens += ((now - from) * this.d.rate) / 1000;
    if (idle) this.tokens = Math.min(this.tokens, Math.max(1, (this.d.rate * BUCKET_MS) / 1000));
    this.last = now;
  }

  private pump(): void {
    const now = performance.now();
    const wait = Math.max(this.openAt, this.stallUntil) - now;
    if (wait > 0) return this.schedule(wait);
    if (this.dst.writableNeedDrain) return; // 'drain' reschedules
    this.refill(false);
    const stall = this.d.stalls?.[this.stall];
    let n = Math.min(Math.floor(this.tokens), this.queued);
    if (stall) n = Math.min(n, Math.max(0, stall.afterBytes - this.passed));
    if (n > 0) {
      this.tokens -= n;
      this.passed += n;
      this.deliver(this.take(n));
      if (this.queued < HIGH_WATER / 2 && this.src.isPaused()) this.src.resume();
    }
    if (stall && this.passed >= stall.afterBytes) {
      this.stall++;
      this.stallUntil = now + stall.ms;
      this.tokens = 0;
    }
    if (this.queued > 0) return this.schedule(TICK_MS);
    if (this.ended && this.inTransit === 0) this.dst.end();
  }

  private take(n: number): Buffer {
    const out: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const head = this.queue[0];
      if (head.length <= left) {
        out.push(head);
        this.queue.shift();
        left -= head.length;
      } else {
        out.push(head.subarray(0, left));
        this.queue[0] = head.subarray(left);
        left = 0;
      }
    }
    this.queued -= n;
    return out.length === 1 ? out[0] : Buffer.concat(out, n);
  }

  /** The bytes arrive at the other end after the latency (a constant delay keeps them in order). */
  private deliver(chunk: Buffer): void {
    this.inTransit++;
    setTimeout(() => {
      this.inTransit--;
      if (this.dead) return;
      this.count(chunk.length);
      this.dst.write(chunk);
      if (this.ended && this.queued === 0 && this.inTransit === 0) this.dst.end();
    }, this.d.latencyMs ?? 0);
  }
}

export class LinkEmulator {
  readonly connections: LinkConnection[] = [];
  private readonly sockets = new Set<Socket>();

  /** The profile of the connections opened from now on (a benchmark switches it between runs). */
  profile: LinkProfile;

  private constructor(private readonly server: Server, readonly port: number, profile: LinkProfile) {
    this.profile = profile;
  }

  /** A proxy on 127.0.0.1 (`port`, or a free one) to `target`, shaping each connection as `profile`. */
  static async start(target: { host?: string; port: number }, profile: LinkProfile, port = 0): Promise<LinkEmulator> {
    let link: LinkEmulator | undefined;
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (phone) => link!.carry(phone, target));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    link = new LinkEmulator(server, typeof addr === 'object' && addr ? addr.port : port, profile);
    return link;
  }

  /** http://127.0.0.1:<port>: what the phone is configured with. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Bytes carried so far over every connection, each way. */
  totals(): { up: number; down: number } {
    return this.connections.reduce((t, c) => ({ up: t.up + c.up, down: t.down + c.down }), { up: 0, down: 0 });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }

  private carry(phone: Socket, target: { host?: string; port: number }): void {
    const profile = this.profile;
    const stats: LinkConnection = { profile, opened: performance.now(), up: 0, down: 0 };
    this.connections.push(stats);
    const mmsc = connect({ host: target.host ?? '127.0.0.1', port: target.port, allowHalfOpen: true, noDelay: true });
    this.sockets.add(phone).add(mmsc);
    const rtt = 2 * (profile.up.latencyMs ?? 0);
    // the phone's first byte leaves after SYN / SYN-ACK: one round trip after the connect
    const up = new Shaper(profile.up, phone, mmsc, performance.now() + rtt, (n) => {
      stats.up += n;
      stats.upLast = performance.now();
    });
    const down = new Shaper(profile.down, mmsc, phone, performance.now(), (n) => (stats.down += n), () => (stats.downFirst ??= performance.now()));
    phone.on('data', (c: Buffer) => up.push(c));
    mmsc.on('data', (c: Buffer) => down.push(c));
    phone.on('end', () => up.end());
    mmsc.on('end', () => down.end());
    let closed = 0;
    const onClose = (s: Socket, other: Socket) => (hadError: boolean) => {
      this.sockets.delete(s);
      if (hadError) {
        up.kill();
        down.kill();
        other.destroy();
      }
      if (++closed === 2) stats.closed = performance.now();
    };
    phone.on('close', onClose(phone, mmsc));
    mmsc.on('close', onClose(mmsc, phone));
    phone.on('error', () => undefined);
    mmsc.on('error', () => undefined);
  }
}
