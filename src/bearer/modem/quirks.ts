// Vendor quirks, at three depths (after ofono): small deviations are flags the generic driver
// tests (Quirk); what really diverges lives in vendors/<name>.ts as a VendorProfile (extra
// final results, URC chatter, ICCID command, commands to run after identification); port
// quirks (baud rate, flow control) are set when the port opens (port.ts).
import type { AtChat, FinalKind } from './at-chat.js';
import type { Logger } from 'pino';

export type VendorName = 'generic' | 'huawei' | 'simcom' | 'quectel' | 'sierra';

/** Deviations the generic driver knows how to work around (bit flags). */
export enum Quirk {
  None = 0,
  /** +CMMS is not supported: segments are sent without keeping the link. */
  NoCmms = 1 << 0,
  /** The radio may be off after power-on (+CFUN: 0 or 4): switch it on with +CFUN=1. */
  RadioOffAtBoot = 1 << 1,
  /** SMS commands fail (+CMS ERROR 302/314) until the modem says "SMS Ready"/"SMS DONE": retry them. */
  SmsLateAfterBoot = 1 << 2,
  /** Strings may come UCS-2 hex whatever +CSCS says (old Huawei firmwares): read hex where text is expected. */
  Ucs2Strings = 1 << 4,
}

/** What a vendor file may use while the modem initialises. */
export interface VendorContext {
  chat: AtChat;
  log: Logger;
  /** Sends a command, ignoring an error answer (a time-out still throws). */
  tryCommand(command: string): Promise<string[] | null>;
}

export interface VendorProfile {
  name: VendorName;
  quirks: number;
  /** Final result codes beyond the standard ones. */
  finals: [string, FinalKind][];
  /** Unsolicited chatter to accept and drop (prefixes). */
  noise: string[];
  /** Commands that read the ICCID, tried in order, with the prefixes of their answers. */
  iccid: { command: string; prefixes?: string[] }[];
  /** A URC reporting the signal, and how to read <rssi> (0-31) from it. */
  signalUrc?: { prefix: string; rssi(line: string): number | null };
  /** Unsolicited lines that mean the modem has (re)booted. */
  bootUrcs: string[];
  /** Commands beyond +CTZU/+CTZR that make the modem take and report the network's time (SIMCom: +CLTS=1). */
  networkTime?: string[];
  /** Runs after identification, before the SIM is checked (silence URCs, route them to this port...). */
  prepare?(ctx: VendorContext): Promise<void>;
}
