// A bearer without radio: each WAP push is handed to in-process listeners (tests, `mmsc demo`)
// and/or POSTed to an HTTP endpoint (a virtual phone in another process, or a push gateway).
// HTTP 2xx = sent, 4xx = failed for good, anything else = try again later.
import type { Logger } from 'pino';
import type { Bearer, PushJob, StatusReport, SubmitOutcome } from '../relay/bearer.js';

export type PushListener = (job: PushJob) => void | Promise<void>;

export interface LoopbackOptions {
  url?: string;
  log?: Logger;
  timeoutMs?: number;
}

export class LoopbackBearer implements Bearer {
  readonly name = 'loopback';
  private readonly listeners = new Set<PushListener>();
  private readonly reportListeners = new Set<(r: StatusReport) => void>();
  constructor(private readonly o: LoopbackOptions = {}) {}

  /** Receives every push submitted (in this process). */
  listen(fn: PushListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onStatusReport(listener: (r: StatusReport) => void): void {
    this.reportListeners.add(listener);
  }

  /** Lets a test play the network: a status report for a job. */
  report(r: StatusReport): void {
    for (const l of this.reportListeners) l(r);
  }

  async submit(job: PushJob): Promise<SubmitOutcome> {
    for (const l of this.listeners) await l(job);
    if (!this.o.url) return { status: 'sent', segments: [{ via: 'loopback' }] };
    try {
      const res = await fetch(this.o.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.wap.sic', 'X-Push-To': job.to, 'X-Push-Id': job.id, 'X-Push-Kind': job.kind },
        body: Buffer.from(job.push),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer();
      if (res.ok) return { status: 'sent', segments: [{ via: this.o.url }] };
      if (res.status >= 400 && res.status < 500) return { status: 'failed', reason: `push endpoint answered HTTP ${res.status}` };
      return { status: 'retry', reason: `push endpoint answered HTTP ${res.status}` };
    } catch (e) {
      return { status: 'retry', reason: `push endpoint unreachable: ${(e as Error).message}` };
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
