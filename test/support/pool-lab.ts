// A lab for modem-pool tests: the modem lab (virtual network, virtual modems on socat ptys
// opened by the real driver through serialport, virtual phones), an LMDB store in a temporary
// folder, pools over the lab's modems, and real WAP pushes of m-notification.ind whose
// Transaction-ID names the job, so that what the network delivered can be counted per job.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ModemPoolBearer, type ModemPoolOptions, type PoolModemSpec } from '../../src/bearer/pool/index.js';
import { serialPortOpener } from '../../src/bearer/modem/port.js';
import type { DeliveryRecord, SubmissionRecord, VirtualPhone } from '../../src/bearer/simulator/index.js';
import { decodeMms, encodeMms } from '../../src/codec/mms/index.js';
import type { ReassembledSms } from '../../src/codec/sms/index.js';
import { decodePush, encodePush } from '../../src/codec/wsp/index.js';
import type { PushJob } from '../../src/relay/bearer.js';
import { Store } from '../../src/store/store.js';
import { FAST, ModemLab, type LabModem } from './pty.js';
import type { NetworkOptions, VirtualModemOptions } from '../../src/bearer/simulator/index.js';

export { until } from './pty.js';

/** A WAP push carrying an m-notification.ind whose Transaction-ID is `tid`, padded to `size` octets when given. */
export function notificationPush(tid: string, size?: number): Uint8Array {
  const make = (pad: number) =>
    encodePush({
      tid: 1,
      pduType: 'push',
      contentType: { type: 'application/vnd.wap.mms-message' },
      applicationId: 'x-wap-application:mms.ua',
      body: encodeMms({
        messageType: 'm-notification-ind', transactionId: tid, mmsVersion: '1.2', messageClass: 'Personal', messageSize: 2048,
        expiry: { relative: 86_400 }, contentLocation: `http://mmsc.test/m/${tid}${'x'.repeat(pad)}`,
      }),
    });
  if (size === undefined) return make(0);
  const base = make(0).length;
  if (size < base) throw new Error(`a push for ${tid} needs at least ${base} octets`);
  const p = make(size - base);
  if (p.length !== size) throw new Error(`push of ${p.length} octets, wanted ${size}`);
  return p;
}

/** The Transaction-ID of the notification a whole (reassembled) push SMS carries. */
export function tidOf(sms: ReassembledSms): string {
  return decodeMms(decodePush(sms.data!).body).transactionId as string;
}

export function job(id: string, to: string, opts: Partial<PushJob> & { size?: number } = {}): PushJob {
  const { size, ...rest } = opts;
  return { id, kind: 'notification', to, push: notificationPush(id, size), attempt: 1, statusReport: false, ...rest };
}

export class PoolLab {
  readonly lab: ModemLab;
  readonly dir: string;
  store: Store;
  readonly modems: LabModem[] = [];
  private readonly pools: ModemPoolBearer[] = [];

  /** `storeDir`: where the store goes (a small disk of its own, say) instead of the lab's folder. */
  constructor(network: NetworkOptions = {}, private readonly o: { storeDir?: string } = {}) {
    this.lab = new ModemLab('pty', network);
    this.dir = mkdtempSync(join(tmpdir(), 'mmsc-pool-'));
    this.store = new Store({ path: join(o.storeDir ?? this.dir, 'store'), mapSizeMiB: 64 });
  }

  get network() {
    return this.lab.network;
  }

  get log() {
    return this.lab.log;
  }

  /** Virtual modems on ptys. */
  async addModems(n: number, opts: Partial<VirtualModemOptions> & { name?: string } = {}): Promise<LabModem[]> {
    const out: LabModem[] = [];
    for (let i = 0; i < n; i++) out.push(await this.lab.modem({ dialect: 'generic', ...opts }));
    this.modems.push(...out);
    return out;
  }

  phone(msisdn: string): VirtualPhone {
    return this.lab.phone(msisdn);
  }

  /** The spec the pool gets for a lab modem. */
  spec(m: LabModem, extra: Partial<PoolModemSpec> = {}): PoolModemSpec {
    return { port: m.port.path, opener: serialPortOpener(), imei: m.modem.imei, msisdn: m.modem.msisdn, ratePerMinute: 60_000, routes: [], ...extra };
  }

  /** A pool over the given modems (all lab modems by default), with short time limits. */
  pool(opts: Partial<ModemPoolOptions> & { specs?: PoolModemSpec[] } = {}): ModemPoolBearer {
    const { specs, ...rest } = opts;
    const p = new ModemPoolBearer({
      store: this.store,
      log: this.lab.log.logger,
      modems: specs ?? this.modems.map((m) => this.spec(m)),
      timeouts: FAST,
      benchFor: 500,
      readyWaitMs: 3_000,
      retryFirstMs: 1_000,
      statusEveryMs: 50,
      ...rest,
    });
    this.pools.push(p);
    return p;
  }

  /** Waits until every modem of the pool is ready. */
  async ready(p: ModemPoolBearer): Promise<void> {
    await Promise.all(p.members.map((m) => m.modem.waitFor('ready', 10_000)));
  }

  /** Closes a pool's modems without draining or recording anything more: what a crash leaves. */
  async abandon(p: ModemPoolBearer): Promise<void> {
    this.pools.splice(this.pools.indexOf(p), 1);
    await Promise.all(p.members.map((m) => m.modem.destroy()));
  }

  /** Opens the store again (after a simulated crash of the process that held it). */
  async reopen(): Promise<void> {
    await this.store.close();
    this.store = new Store({ path: join(this.o.storeDir ?? this.dir, 'store'), mapSizeMiB: 64 });
  }

  submissionsFrom(m: LabModem): SubmissionRecord[] {
    return this.network.submissions.filter((s) => s.from === m.modem.msisdn);
  }

  deliveredTo(msisdn: string): DeliveryRecord[] {
    return this.network.deliveredTo(msisdn);
  }

  async close(): Promise<void> {
    for (const p of this.pools) await p.close();
    await this.lab.close();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const quietLog = () => pino({ level: 'silent' });
