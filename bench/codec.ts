// `npm run bench -- codec`: the WASM codecs against node-pdu (SMS) in the same run, MMS decode
// and encode throughput over the corpus, and the cost of one JS-WASM crossing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deliver, parse, Submit } from 'node-pdu';
import { decodeMms, encodeMms, type MmsPdu } from '../src/codec/mms/index.js';
import { decodeSms, encodeSms, fromAtPdu, segmentText, toAtPdu } from '../src/codec/sms/index.js';
import { WasmCodec, type BoundaryExports } from '../src/codec/wasm.js';
import { compare, fmt, median, projectRoot, rate, table } from './lib.js';

const corpusDir = join(projectRoot(), 'test/corpus');

// A real GSM 7-bit SMS-DELIVER (ofono test vector) and a 160-character one built from it.
const SHORT_DELIVER = '07911326040000F0040B911346610089F60000208062917314480CC8F71D14969741F977FD07';
const LONG_TEXT = 'The quick brown fox jumps over the lazy dog; 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz. MMS notifications and text arrive by SMS here!!';

function longDeliverHex(): string {
  const m = decodeSms(Buffer.from(SHORT_DELIVER, 'hex'));
  const tpdu = { ...m.tpdu, text: LONG_TEXT.slice(0, 160) } as typeof m.tpdu;
  return Buffer.from(encodeSms({ ...m, tpdu })).toString('hex').toUpperCase();
}

function smsBench(): void {
  const long = longDeliverHex();
  const rows: (string | number)[][] = [['operation', 'ours ops/s', 'node-pdu ops/s', 'ratio']];
  let sink = 0;
  for (const [label, hex] of [['SMS-DELIVER decode, 12 chars (hex line in)', SHORT_DELIVER], ['SMS-DELIVER decode, 160 chars (hex line in)', long]] as const) {
    // check both read the same text before timing them
    const ours = decodeSms(fromAtPdu(hex).pdu).tpdu;
    const peer = parse(hex);
    if (!(peer instanceof Deliver) || ours.type !== 'SMS-DELIVER' || peer.data.getText() !== ours.text) throw new Error(`${label}: node-pdu and ours disagree`);
    const r = compare({
      ours: () => {
        const t = decodeSms(fromAtPdu(hex).pdu).tpdu;
        if (t.type === 'SMS-DELIVER') sink += (t.text?.length ?? 0) + t.originator.number.length;
      },
      peer: () => {
        const p = parse(hex) as Deliver;
        sink += p.data.getText().length + (p.address.phone?.length ?? 0);
      },
    });
    rows.push([label, r.ours, r.peer, `${(r.ours / r.peer).toFixed(1)}x`]);
  }
  const bytes = Buffer.from(long, 'hex');
  const fromBytes = rate(() => {
    const t = decodeSms(bytes).tpdu;
    if (t.type === 'SMS-DELIVER') sink += t.text?.length ?? 0;
  });
  rows.push(['SMS-DELIVER decode, 160 chars (bytes in, ours only)', fromBytes.opsPerSec, '', '']);

  for (const [label, text] of [['SMS-SUBMIT encode, 12 chars (text in, hex line out)', 'How are you?'], ['SMS-SUBMIT encode, 160 chars (text in, hex line out)', LONG_TEXT.slice(0, 160)]] as const) {
    const dest = { ton: 'international' as const, npi: 'isdn' as const, number: '4790000001' };
    const oursHex = () => toAtPdu(encodeSms({ sca: null, tpdu: segmentText(text, { destination: dest })[0] }, { sca: false })).hex;
    const peerHex = () => new Submit('+4790000001', text).toString();
    if (decodeSms(fromAtPdu(oursHex()).pdu, { direction: 'MO' }).tpdu.type !== 'SMS-SUBMIT') throw new Error('bad submit');
    const r = compare({ ours: () => void (sink += oursHex().length), peer: () => void (sink += peerHex().length) });
    rows.push([label, r.ours, r.peer, `${(r.ours / r.peer).toFixed(1)}x`]);
  }
  table('SMS vs node-pdu 2.1.1 (median ops/s of 7 alternating runs)', rows);
  if (sink < 0) console.log(sink);
}

function mmsBench(): void {
  const files = readdirSync(join(corpusDir, 'mms')).filter((f) => f.endsWith('.mms'));
  const pdus = files.map((f) => new Uint8Array(readFileSync(join(corpusDir, 'mms', f))));
  const large = pdus.filter((b) => b.length > 50_000);
  const decoded: MmsPdu[] = pdus.map((b) => decodeMms(b));
  const decodedLarge = large.map((b) => decodeMms(b));
  const bodyBytes = (ps: MmsPdu[]) => ps.reduce((a, p) => a + (p.parts ?? []).reduce((s, q) => s + (q.data?.length ?? 0), 0) + (p.body?.length ?? 0), 0);
  const rows: (string | number)[][] = [['set', 'PDUs', 'operation', 'PDUs/s', 'MB/s (whole PDU)', 'MB/s (body)']];
  for (const [name, set, objs] of [['whole corpus', pdus, decoded], ['large PDUs (> 50 KB)', large, decodedLarge]] as const) {
    const bytes = set.reduce((a, b) => a + b.length, 0);
    const body = bodyBytes(objs);
    const dec = median(Array.from({ length: 5 }, () => rate(() => set.forEach((b) => decodeMms(b)), 300).opsPerSec)) * set.length;
    const enc = median(Array.from({ length: 5 }, () => rate(() => objs.forEach((p) => encodeMms(p)), 300).opsPerSec)) * set.length;
    const per = (ops: number, n: number) => (ops / set.length) * n / 1e6;
    rows.push([name, set.length, 'decode', dec.toFixed(0), fmt(per(dec, bytes), 0), fmt(per(dec, body), 0)]);
    rows.push([name, set.length, 'encode', enc.toFixed(0), fmt(per(enc, bytes), 0), fmt(per(enc, body), 0)]);
  }
  table('MMS over the corpus (median of 5 runs)', rows);
  console.log('decode returns parts as views of the input: body bytes are never copied; encode copies each part once.');
}

function crossingBench(): void {
  interface X extends BoundaryExports { wspUintvarDecode(len: number): number }
  const codec = new WasmCodec<X>('mms');
  const pdu = new Uint8Array(140);
  pdu[0] = 0x05;
  const decode = codec.exports.wspUintvarDecode;
  let sink = 0;
  const call = median(Array.from({ length: 5 }, () => rate(() => void (sink += decode(1)), 300).nsPerOp));
  const copyCall = median(Array.from({ length: 5 }, () => rate(() => {
    codec.copyIn(pdu, 1, 16);
    sink += decode(140) + codec.table()[0];
  }, 300).nsPerOp));
  const sms = Buffer.from(longDeliverHex(), 'hex');
  const full = median(Array.from({ length: 5 }, () => rate(() => void (sink += decodeSms(sms).tpdu.type.length), 300).nsPerOp));
  table('one JS-WASM crossing (median ns of 5 runs)', [
    ['what', 'ns'],
    ['call into WASM (no copy)', call.toFixed(0)],
    [`copy a ${pdu.length}-byte PDU into IN + call + read the table`, copyCall.toFixed(0)],
    [`full SMS-DELIVER decode of ${sms.length} bytes (160 chars) to an object`, full.toFixed(0)],
  ]);
  if (sink < 0) console.log(sink);
}

export function main(): void {
  smsBench();
  mmsBench();
  crossingBench();
}
