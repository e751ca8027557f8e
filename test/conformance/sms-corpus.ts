// Shared by the SMS conformance tests: the corpus files and small readers of what the sources
// state in free form.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { CodecError } from '../../src/codec/errors.js';
import type { SmsAddress, SmsTimestamp } from '../../src/codec/sms/index.js';
import { timestampToDate, timestampToIso } from '../../src/codec/sms/index.js';

export const corpus = (rel: string): string => fileURLToPath(new URL(`../corpus/${rel}`, import.meta.url));

export function readJsonl<T = Record<string, unknown>>(rel: string): T[] {
  return readFileSync(corpus(rel), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as T);
}

export function readCorpus(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(corpus(rel)));
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
export const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

/** Runs fn and returns the CodecError it must throw (fails the test otherwise). */
export function codecError(fn: () => unknown): CodecError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a CodecError').toBeInstanceOf(CodecError);
  return err as CodecError;
}

const TON_WORDS: Record<string, SmsAddress['ton']> = {
  international: 'international', national: 'national', alphanumeric: 'alphanumeric', unknown: 'unknown',
};
const NPI_WORDS: Record<string, SmsAddress['npi']> = {
  isdn: 'isdn', 'numbering plan unknown': 'unknown', unknown: 'unknown',
};

/**
 * Checks an address against a source's free-form rendering: "+digits" or "00digits" (an
 * international number: node-pdu accepts both), bare digits or text (compared as carried; some
 * sources drop the '+'), optionally followed by "(type, plan)" as ofono's tests state them.
 */
export function expectAddress(actual: SmsAddress | null, stated: string, what: string): void {
  expect(actual, what).not.toBeNull();
  const a = actual as SmsAddress;
  const m = /^(.*?)(?: \(([^)]*)\))?$/.exec(stated) as RegExpExecArray;
  let number = m[1];
  if (number.startsWith('+')) {
    expect(a.ton, `${what} type of number`).toBe('international');
    number = number.slice(1);
  } else if (number.startsWith('00') && a.ton === 'international') {
    number = number.slice(2);
  }
  expect(a.number, what).toBe(number);
  if (m[2]) {
    for (const word of m[2].split(',').map((w) => w.trim().toLowerCase())) {
      if (word in TON_WORDS) expect(a.ton, `${what} type of number`).toBe(TON_WORDS[word]);
      else if (word in NPI_WORDS) expect(a.npi, `${what} numbering plan`).toBe(NPI_WORDS[word]);
      else throw new Error(`unread address qualifier "${word}"`);
    }
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');
const local = (ts: SmsTimestamp): string =>
  `${ts.year}-${pad(ts.month)}-${pad(ts.day)} ${pad(ts.hour)}:${pad(ts.minute)}:${pad(ts.second)}`;

/**
 * Checks a time stamp against: ISO 8601 with offset (python-gsmmodem, node-pdu), "YYYY-MM-DD
 * hh:mm:ss" local fields (python-messaging), or ofono's struct (two-digit year, zone in quarters).
 */
export function expectTimestamp(ts: SmsTimestamp, stated: unknown, what: string): void {
  if (typeof stated === 'string') {
    if (stated.includes('T')) expect(timestampToIso(ts), what).toBe(stated);
    else expect(local(ts), what).toBe(stated);
    return;
  }
  const s = stated as Record<string, number>;
  expect({
    year: ts.year % 100, month: ts.month, day: ts.day, hour: ts.hour, minute: ts.minute, second: ts.second,
    timezone_quarters: ts.tz,
  }, what).toEqual(s);
}

/** "YYYY-MM-DD hh:mm:ss" of the UTC instant a stamp names (python-messaging's scts_utc). */
export function utc(ts: SmsTimestamp): string {
  return timestampToDate(ts).toISOString().replace('T', ' ').slice(0, 19);
}
