// The pool as the configuration describes it: `bearer.kind: modem` (the configured modems) and
// `bearer.kind: simulator` (a simulated radio network with virtual modems and phones, the pool
// over it exactly as over real modems).
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import { keyName } from '../../config/schema-walk.js';
import { configWarnings } from '../../config/warnings.js';
import type { Bearer, BearerClockStep, IncomingSms, NetworkTime, PushJob, StatusReport, SubmitOutcome } from '../../relay/bearer.js';
import type { Store } from '../../store/store.js';
import type { ModemTimeouts } from '../modem/types.js';
import { SimulatedRadio, type RadioOptions } from '../simulator/radio.js';
import type { PoolModemSpec } from './member.js';
import { ModemPoolBearer, type ModemPoolOptions } from './pool.js';
import type { PoolModemView } from './status.js';

type Tuning = Partial<Omit<ModemPoolOptions, 'store' | 'log' | 'modems'>>;

function poolOptions(config: Config): Omit<ModemPoolOptions, 'store' | 'log' | 'modems'> {
  const b = config.bearer;
  return { statusReports: b.statusReports, benchAfterFailures: b.benchAfterFailures, benchFor: b.benchFor, reassemblyTimeout: b.reassemblyTimeout };
}

/** `bearer.kind: modem`: the pool over `bearer.modems`; a port that is not there is said at once (the modem shows as 'missing'). */
export function modemPoolFromConfig(config: Config, store: Store, log: Logger, tuning: Tuning = {}): ModemPoolBearer {
  for (const w of configWarnings(config)) log.warn({ key: keyName(w.path) }, `${keyName(w.path)}: ${w.message}`);
  const modems: PoolModemSpec[] = config.bearer.modems.map((m) => ({
    port: m.port,
    ...(m.imei ? { imei: m.imei } : {}),
    ...(m.pin ? { pin: m.pin } : {}),
    ...(m.msisdn ? { msisdn: m.msisdn } : {}),
    ...(m.smsc ? { smsc: m.smsc } : {}),
    vendor: m.vendor,
    ratePerMinute: m.ratePerMinute,
    routes: m.routes,
    receive: m.receive,
  }));
  return new ModemPoolBearer({ store, log, modems, ...poolOptions(config), ...tuning });
}

export interface SimulatorBearerOptions {
  /** Driver time limits (tests). */
  timeouts?: Partial<ModemTimeouts>;
  /** Pool settings beyond the configuration (tests). */
  tuning?: Tuning;
  /** Folder for the pty links (default: a temporary one). */
  dir?: string;
  /** The simulated network's clock and NITZ zone (tests: a network whose time differs from the box's). */
  network?: Pick<RadioOptions, 'clock' | 'nitz'>;
}

/**
 * `bearer.kind: simulator`: the radio comes up in the background (socat ptys take a moment);
 * a push submitted meanwhile waits for it.
 */
export class SimulatorBearer implements Bearer {
  readonly name = 'simulator';
  /** Resolves once the virtual modems are served and the pool opened them. */
  readonly ready: Promise<void>;
  radio: SimulatedRadio | null = null;
  pool: ModemPoolBearer | null = null;
  private failure: Error | null = null;
  private readonly reportListeners: ((r: StatusReport) => void)[] = [];
  private incomingListener: ((sms: IncomingSms) => Promise<void>) | null = null;
  private readonly timeListeners: ((t: NetworkTime) => void)[] = [];
  private closing: Promise<void> | null = null;

  constructor(private readonly config: Config, private readonly store: Store, private readonly log: Logger, private readonly opts: SimulatorBearerOptions = {}) {
    this.ready = this.start().catch((err: unknown) => {
      this.failure = err as Error;
      this.log.error({ err }, 'the simulated radio network did not start');
    });
  }

  private async start(): Promise<void> {
    const c = this.config;
    const sim = c.bearer.simulator;
    const radio = await SimulatedRadio.start({
      modems: sim.modems,
      dialect: sim.dialect,
      airTimeMs: sim.airTime,
      transport: sim.transport,
      ...(this.opts.dir ? { dir: this.opts.dir } : {}),
      ...(sim.networkTime ? { nitz: { zone: 0 } } : {}),
      ...this.opts.network,
      agents: {
        mmscUrl: `${c.mmsc.publicUrl.replace(/\/+$/, '')}${c.mm1.path}`,
        identityHeader: c.mm1.identity.headers[0] ?? 'X-WAP-Network-Client-MSISDN',
        autoFetch: sim.autoFetch,
      },
      logger: this.log,
    });
    this.radio = radio;
    if (this.closing) return;
    const modems: PoolModemSpec[] = radio.modems.map(({ virtual, port }) => ({
      port: port.path,
      opener: port.opener,
      ...(port.kind === 'in-process' ? { locate: () => radio.inProcess.paths() } : {}),
      imei: virtual.imei,
      msisdn: virtual.msisdn,
      ratePerMinute: sim.ratePerMinute,
      routes: [],
      receive: 'store',
    }));
    this.pool = new ModemPoolBearer({ store: this.store, log: this.log, modems, ...poolOptions(c), ...(this.opts.timeouts ? { timeouts: this.opts.timeouts } : {}), ...this.opts.tuning });
    for (const l of this.reportListeners) this.pool.onStatusReport(l);
    if (this.incomingListener) this.pool.onIncoming(this.incomingListener);
    for (const l of this.timeListeners) this.pool.onNetworkTime(l);
    this.log.info({ modems: radio.modems.length, transport: radio.transport, airTimeMs: sim.airTime }, 'simulated radio network up');
  }

  async submit(job: PushJob): Promise<SubmitOutcome> {
    await this.ready;
    if (!this.pool) return { status: 'retry', reason: `the simulated radio network is not running${this.failure ? `: ${this.failure.message}` : ''}` };
    return this.pool.submit(job);
  }

  onStatusReport(listener: (r: StatusReport) => void): void {
    this.reportListeners.push(listener);
    this.pool?.onStatusReport(listener);
  }

  onIncoming(listener: (sms: IncomingSms) => Promise<void>): void {
    this.incomingListener = listener;
    this.pool?.onIncoming(listener);
  }

  onNetworkTime(listener: (t: NetworkTime) => void): void {
    this.timeListeners.push(listener);
    this.pool?.onNetworkTime(listener);
  }

  async clockStepped(step: BearerClockStep): Promise<void> {
    await this.pool?.clockStepped(step);
  }

  status(): PoolModemView[] {
    return this.pool?.status() ?? [];
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.ready;
      await this.pool?.close();
      await this.radio?.close();
    })();
    return this.closing;
  }
}
