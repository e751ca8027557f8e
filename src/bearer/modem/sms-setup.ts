// Choosing the SMS settings from what a modem offers (+CPMS=?, +CNMI=?, +CSMS=?). Pure.
import type { CnmiSupport } from './at-parse.js';

export type ReceiveMode = 'store' | 'direct';

export interface StorageChoice {
  /** <mem1>: read and delete; <mem2>: write and send; <mem3>: where received messages go. */
  memories: [string, string, string];
  /** Where status reports are stored (+CDSI), if the modem stores them apart. */
  reportMemory: string | null;
}

/** The first of `prefer` each list offers (else its first entry, else null). */
export function chooseStorage(offered: [string[], string[], string[]], prefer: string[] = ['SM', 'ME', 'MT']): StorageChoice | null {
  const pick = (list: string[]): string | null => prefer.find((m) => list.includes(m)) ?? list.find((m) => m !== 'SR') ?? null;
  const m1 = pick(offered[0]);
  const m2 = pick(offered[1]) ?? m1;
  const m3 = pick(offered[2]) ?? m2;
  if (m1 === null || m2 === null || m3 === null) return null;
  return { memories: [m1, m2, m3], reportMemory: offered[0].includes('SR') ? 'SR' : null };
}

export interface CnmiChoice {
  mode: number;
  mt: number;
  bm: number;
  ds: number;
  bfr: number | null;
  /** How SMS arrive: stored with +CMTI, direct with +CMT, or not announced at all. */
  sms: 'store' | 'direct' | 'none';
  /** How status reports arrive: +CDS, stored with +CDSI, or not at all. */
  reports: 'direct' | 'store' | 'none';
}

const first = (offered: number[], prefs: number[]): number | null => prefs.find((v) => offered.includes(v)) ?? null;

/**
 * The +CNMI values: <mode> 2 (buffer codes while the link is busy, then flush) before 1/3/0;
 * <mt> 1 (store, announce with +CMTI: nothing is lost if we crash before acting) or 2 (+CMT)
 * as asked, the other as fallback; <bm> 0; <ds> 1 (+CDS) else 2 (stored, +CDSI) - some
 * modems cannot route reports directly; <bfr> 0 (flush the buffered codes).
 */
export function chooseCnmi(s: CnmiSupport, receive: ReceiveMode): CnmiChoice {
  const mode = first(s.mode, [2, 1, 3, 0]) ?? 2;
  const mt = first(s.mt, receive === 'store' ? [1, 2, 3] : [2, 1, 3]) ?? 0;
  const bm = first(s.bm, [0]) ?? 0;
  const ds = first(s.ds, [1, 2]) ?? 0;
  const bfr = s.bfr.length ? (first(s.bfr, [0, 1]) ?? null) : null;
  return {
    mode, mt, bm, ds, bfr,
    sms: mt === 1 || mt === 3 ? 'store' : mt === 2 ? 'direct' : 'none',
    reports: ds === 1 ? 'direct' : ds === 2 ? 'store' : 'none',
  };
}

export function cnmiCommand(c: CnmiChoice): string {
  return `AT+CNMI=${c.mode},${c.mt},${c.bm},${c.ds}${c.bfr !== null ? `,${c.bfr}` : ''}`;
}
