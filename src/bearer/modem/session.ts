// One open port with its AT chat and what the driver learnt about the modem on it. A session
// ends when the port closes or the modem stops answering; the driver then starts a new one.
import type { Logger } from 'pino';
import { AtChat, type AtCommandOptions, type AtResponse } from './at-chat.js';
import { ModemError } from './errors.js';
import type { ModemPort } from './port.js';
import type { VendorProfile } from './quirks.js';
import type { CnmiChoice, StorageChoice } from './sms-setup.js';
import type { ModemIdentity, ModemNetwork, ModemTimeouts } from './types.js';
import { VENDORS } from './vendors/index.js';

export class Session {
  readonly chat: AtChat;
  vendor: VendorProfile = VENDORS.generic;
  identity: ModemIdentity = { vendor: 'generic', manufacturer: null, model: null, revision: null, imei: null, imsi: null, iccid: null };
  network: ModemNetwork = { creg: null, cgreg: null, cereg: null, operator: null, rssi: null, dbm: null, smsc: null };
  storage: StorageChoice | null = null;
  cnmi: CnmiChoice | null = null;
  acknowledge = false;
  cmms: boolean | null = null;
  /** The memory +CPMS last made <mem1> (reads and deletes go there). */
  readMemory: string | null = null;
  /** A NITZ code (+CTZV, +CTZE...) came on this session: the modem's clock holds the network's time. */
  nitz = false;
  /** Initialisation finished (URC-driven work may start). */
  initialised = false;
  private ended = false;

  constructor(readonly port: ModemPort, readonly log: Logger, readonly timeouts: ModemTimeouts) {
    this.chat = new AtChat(port.stream, {
      logger: log,
      commandTimeoutMs: timeouts.command,
      promptTimeoutMs: timeouts.prompt,
      settleMs: timeouts.settle,
    });
  }

  get closed(): boolean {
    return this.ended || this.chat.closed;
  }

  at(command: string, opts?: AtCommandOptions): Promise<AtResponse> {
    return this.chat.send(command, opts);
  }

  /**
   * Sends a command whose refusal is acceptable: resolves with its lines, or null when the
   * modem answered ERROR / +CME / +CMS ERROR. Time-outs and a closed port still throw.
   */
  async tryAt(command: string, opts?: AtCommandOptions): Promise<string[] | null> {
    try {
      return (await this.chat.send(command, opts)).lines;
    } catch (err) {
      if (err instanceof ModemError && (err.code === 'AT_ERROR' || err.code === 'CMS_ERROR' || err.code === 'CME_ERROR')) {
        this.log.debug({ command, err: err.message }, 'modem refused an optional command');
        return null;
      }
      throw err;
    }
  }

  /** Makes `memory` the one reads and deletes use (+CPMS <mem1>). */
  async useReadMemory(memory: string): Promise<void> {
    if (this.readMemory === memory) return;
    const s = this.storage;
    // Some modems want all three memories named; the other two keep their values.
    const cmd = s ? `AT+CPMS="${memory}","${s.memories[1]}","${s.memories[2]}"` : `AT+CPMS="${memory}"`;
    await this.at(cmd, { prefixes: ['+CPMS:'] });
    this.readMemory = memory;
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.chat.close();
    await this.port.close().catch(() => undefined);
  }
}
