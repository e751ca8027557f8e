// Read access to the conformance corpus (test/corpus, data only; see its README.md).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus');

export interface ManifestEntry {
  file: string;
  bytes: number;
  message_type?: string;
  notes: string;
  expected?: string;
  derivation?: string;
  /** Wireshark 4.0.17's reading: top-level field labels of the PDU (second opinion). */
  tshark_4_0_17_summary?: string[];
  tshark_4_0_17_warnings?: string[];
}

export function manifest(): ManifestEntry[] {
  return (JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as { files: ManifestEntry[] }).files;
}

export function corpusBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS_DIR, file)));
}

/** Files of one corpus folder ("mms", "push"), sorted, with their paths relative to the corpus. */
export function corpusFiles(folder: string, ext: string): string[] {
  return readdirSync(join(CORPUS_DIR, folder)).filter((f) => f.endsWith(ext)).sort().map((f) => `${folder}/${f}`);
}

export interface SmsVector {
  id: string;
  source: string;
  role: string;
  tpdu_type: string | null;
  direction: 'MO' | 'MT' | null;
  sca_present: boolean;
  pdu_hex: string;
  group?: string;
  expected?: Record<string, unknown> | null;
  encoder_input?: Record<string, unknown>;
  notes?: string;
}

function jsonl<T>(file: string): T[] {
  return readFileSync(join(CORPUS_DIR, file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}

export function smsVectors(): SmsVector[] {
  return jsonl<SmsVector>('sms/sms-pdus.jsonl');
}

/** The raw gammu .backup INI values (quotes kept) and the decoded text. */
export interface GammuEncoderInput {
  SMSC: string;
  State: string;
  Number: string;
  Coding: 'Default' | 'Unicode';
  /** 1 outbox, 2 inbox. */
  Folder: '1' | '2';
  /** Inbox messages only: yyyymmddThhmmss. */
  Sent?: string;
  text: string;
}

export interface GammuEncodeFixture {
  id: string;
  role: string;
  encoder_input: GammuEncoderInput;
  pdu_hex: string;
  sca_present: boolean;
  notes?: string;
}

export function gammuEncodeFixtures(): GammuEncodeFixture[] {
  return jsonl<GammuEncodeFixture>('sms/gammu-at-sms-encode.jsonl');
}

/**
 * The bare TPDU of a vector (the SMSC-address prefix removed when present), or null when the
 * hex is not a whole number of octets.
 */
export function bareTpdu(v: { pdu_hex: string; sca_present: boolean }): Uint8Array | null {
  if (!/^([0-9a-fA-F]{2})+$/.test(v.pdu_hex)) return null;
  const all = Uint8Array.from(Buffer.from(v.pdu_hex, 'hex'));
  return v.sca_present ? all.subarray(1 + all[0]) : all;
}
