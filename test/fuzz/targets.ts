// The decoders under fuzz and their seeds (the conformance corpus).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMms } from '../../src/codec/mms/index.js';
import { decodeSms } from '../../src/codec/sms/index.js';
import { decodePush } from '../../src/codec/wsp/index.js';
import type { FuzzTarget } from './mutate.js';

const CORPUS = join(import.meta.dirname, '../corpus');

function files(dir: string, maxBytes: number): Uint8Array[] {
  return readdirSync(join(CORPUS, dir), { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => new Uint8Array(readFileSync(join(CORPUS, dir, e.name))))
    .filter((b) => b.length <= maxBytes);
}

function smsSeeds(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const line of readFileSync(join(CORPUS, 'sms/sms-pdus.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const v = JSON.parse(line) as { pdu_hex: string; sca_present: boolean };
    if (!/^([0-9a-fA-F]{2})+$/.test(v.pdu_hex) || !v.sca_present) continue;
    out.push(new Uint8Array(Buffer.from(v.pdu_hex, 'hex')));
  }
  return out;
}

/** Seeds up to `maxBytes` (the largest corpus PDUs are 260 KB; mutating those is slow and adds little). */
export function targets(maxBytes = 32 * 1024): FuzzTarget[] {
  const sms = smsSeeds();
  return [
    { name: 'mms', seeds: [...files('mms', maxBytes), ...files('mms/negative', maxBytes)], decode: (b) => decodeMms(b) },
    // the tolerant read MM1 answers refused PDUs with (it walks fields without their limits)
    { name: 'mms-leading', seeds: [...files('mms', maxBytes), ...files('mms/negative', maxBytes)], decode: (b) => decodeMms(b, { leadingOnly: true }) },
    { name: 'push', seeds: files('push', maxBytes), decode: (b) => decodePush(b) },
    { name: 'sms-mt', seeds: sms, decode: (b) => decodeSms(b, { sca: true, direction: 'MT' }) },
    { name: 'sms-mo', seeds: sms, decode: (b) => decodeSms(b, { sca: true, direction: 'MO' }) },
  ];
}
