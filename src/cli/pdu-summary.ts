// What `mmsc decode` prints by default: a PDU as an operator reads it. The message type and
// its key header fields, then each part with its type, name and size, text parts as text; an
// SMS as its type, addresses, times and text; a WAP push with the MMS it carries. `--full`
// prints the complete JSON instead (what `mmsc encode` takes back).
import { describeTpStatus } from '../bearer/pool/tp-status.js';
import { decodeMms, partContent, partText, type ContentType, type EncodedString, type MmsPart, type MmsPdu, type TimeValue } from '../codec/mms/index.js';
import { formatAddress, timestampToIso, WAP_PUSH_PORT, type SmsMessage, type SmsTpdu, type SmsUdh } from '../codec/sms/index.js';
import { decodePush, type WspPush } from '../codec/wsp/index.js';
import type { Decoded } from './codec-commands.js';

/** Longest text shown for a text part or an SMS; the rest is counted, not printed. */
const MAX_TEXT = 2000;

type Row = [label: string, value: string];

function rows(list: (Row | null | undefined)[], indent: string): string[] {
  const kept = list.filter((r): r is Row => !!r && r[1] !== '');
  const width = Math.max(0, ...kept.map(([l]) => l.length));
  return kept.map(([l, v]) => `${indent}${l.padEnd(width)}  ${v.replace(/\n/g, `\n${indent}${' '.repeat(width + 2)}`)}`);
}

const bytes = (n: number): string => `${n.toLocaleString('en-US')} B`;
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

function encoded(v: EncodedString | undefined): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : v.text;
}

/** 259200 -> "3d", 90061 -> "1d 1h 1m 1s". */
function duration(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, n] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= n) {
      parts.push(`${Math.floor(rest / n)}${unit}`);
      rest %= n;
    }
  }
  return parts.join(' ') || '0s';
}

function time(v: TimeValue | undefined): string {
  if (v === undefined) return '';
  return 'relative' in v ? `${duration(v.relative)} after sending` : iso(v.absolute);
}

/** A header value the summary does not know the shape of: names, numbers, { name, raw }, lists. */
function plain(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(plain).join(', ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('name' in o && 'raw' in o) return `${String(o.name)} (0x${Number(o.raw).toString(16)})`;
    if ('index' in o && 'value' in o) return `[${String(o.index)}] ${plain(o.value)}`;
    if ('text' in o) return String(o.text);
    return JSON.stringify(o);
  }
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return String(v);
}

export function contentTypeText(ct: ContentType | undefined): string {
  if (!ct) return '';
  const params = Object.entries(ct.params ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (v === true ? k : `${k}=${typeof v === 'string' && /[\s;"]/.test(v) ? JSON.stringify(v) : String(v)}`));
  return [ct.type, ...params].join('; ');
}

/** The name a part goes by: Content-Location, the name / filename parameters, or its Content-ID. */
export function partName(p: MmsPart): string | undefined {
  const n = p.contentLocation ?? p.contentType.params?.name ?? p.contentType.params?.filename ?? p.contentDisposition?.params?.filename ?? p.contentDisposition?.params?.name;
  if (typeof n === 'string' && n !== '') return n;
  return p.contentId?.replace(/^<(.*)>$/, '$1') || undefined;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${(text.length - MAX_TEXT).toLocaleString('en-US')} more characters)` : text;
}

function partLines(parts: MmsPart[], indent: string, prefix = ''): string[] {
  const out: string[] = [];
  parts.forEach((p, i) => {
    const n = `${prefix}${i + 1}`;
    const name = partName(p);
    const head = `${indent}${n}. ${contentTypeText({ type: p.contentType.type, params: p.contentType.params?.charset ? { charset: p.contentType.params.charset } : {} })}`;
    if (p.parts) {
      out.push(`${head}${name ? `  ${name}` : ''}  (${p.parts.length} parts)`);
      out.push(...partLines(p.parts, `${indent}   `, `${n}.`));
      return;
    }
    if (p.pdu) {
      out.push(`${head}${name ? `  ${name}` : ''}`);
      out.push(...mmsLines(p.pdu as MmsPdu, `${indent}   `));
      return;
    }
    out.push(`${head}  ${name ?? '(no name)'}  ${bytes(partContent(p).length)}`);
    if (/^text\//i.test(p.contentType.type)) {
      const text = clip(partText(p)).replace(/\r\n?/g, '\n').replace(/\n+$/, '');
      out.push(...text.split('\n').map((l) => `${indent}   | ${l}`));
    }
  });
  return out;
}

function mmsLines(pdu: MmsPdu, indent: string): string[] {
  const shown = new Set<string>([
    'messageType', 'mmsVersion', 'transactionId', 'messageId', 'date', 'from', 'to', 'cc', 'bcc', 'subject', 'messageClass',
    'priority', 'responseStatus', 'responseText', 'retrieveStatus', 'retrieveText', 'status', 'readStatus', 'contentLocation',
    'messageSize', 'expiry', 'deliveryTime', 'deliveryReport', 'readReport', 'contentType', 'parts', 'body', 'bodyPdu',
  ]);
  const from = pdu.from === undefined ? '' : typeof pdu.from === 'object' && 'insertAddress' in pdu.from ? '(to be inserted by the MMSC)' : encoded(pdu.from);
  const out = [
    `${indent}MMS ${pdu.messageType}${pdu.mmsVersion ? ` (MMS ${pdu.mmsVersion})` : ''}`,
    ...rows([
      ['Transaction-ID', pdu.transactionId ?? ''],
      ['Message-ID', pdu.messageId ?? ''],
      ['Date', pdu.date === undefined ? '' : iso(pdu.date)],
      ['From', from],
      ['To', (pdu.to ?? []).map(encoded).join(', ')],
      ['Cc', (pdu.cc ?? []).map(encoded).join(', ')],
      ['Bcc', (pdu.bcc ?? []).map(encoded).join(', ')],
      ['Subject', encoded(pdu.subject)],
      ['Message-Class', plain(pdu.messageClass)],
      ['Priority', plain(pdu.priority)],
      ['Response-Status', plain(pdu.responseStatus)],
      ['Response-Text', plain(pdu.responseText)],
      ['Retrieve-Status', plain(pdu.retrieveStatus)],
      ['Retrieve-Text', encoded(pdu.retrieveText)],
      ['Status', plain(pdu.status)],
      ['Read-Status', plain(pdu.readStatus)],
      ['Content-Location', plain(pdu.contentLocation)],
      ['Message-Size', pdu.messageSize === undefined ? '' : bytes(pdu.messageSize)],
      ['Expiry', time(pdu.expiry)],
      ['Delivery-Time', time(pdu.deliveryTime)],
      ['Delivery-Report', plain(pdu.deliveryReport)],
      ['Read-Report', plain(pdu.readReport)],
      ['Content-Type', contentTypeText(pdu.contentType)],
    ], `${indent}  `),
  ];
  const more = Object.keys(pdu).filter((k) => !shown.has(k) && (pdu as unknown as Record<string, unknown>)[k] !== undefined).length;
  if (more > 0) out.push(`${indent}  (${more} more header field${more === 1 ? '' : 's'}: --full shows every field)`);
  if (pdu.parts) {
    out.push(`${indent}${pdu.parts.length} part${pdu.parts.length === 1 ? '' : 's'}:`);
    out.push(...partLines(pdu.parts, `${indent}  `));
  } else if (pdu.bodyPdu) {
    out.push(`${indent}carries:`);
    out.push(...mmsLines(pdu.bodyPdu, `${indent}  `));
  } else if (pdu.body) {
    const single: MmsPart = { contentType: pdu.contentType ?? { type: 'application/octet-stream' }, data: pdu.body };
    out.push(`${indent}body:`);
    out.push(...partLines([single], `${indent}  `));
  }
  return out;
}

function pushLines(push: WspPush, mms: MmsPdu | undefined, indent: string): string[] {
  const out = [
    `${indent}WAP push (${push.pduType}${push.tid === undefined ? '' : `, TID ${push.tid}`})`,
    ...rows([
      ['Application', push.applicationId === undefined ? '' : String(push.applicationId)],
      ['Content-Type', contentTypeText(push.contentType)],
      ['Body', bytes(push.body.length)],
      ['Headers-Length', push.headersLengthRepaired ? `declared ${push.headersLengthRepaired.declared}, actually ${push.headersLengthRepaired.actual} (repaired)` : ''],
    ], `${indent}  `),
  ];
  if (mms) out.push(...mmsLines(mms, `${indent}  `));
  else if (push.applicationId === 'x-wap-application:mms.ua') out.push(`${indent}  (its body does not decode as an MMS PDU)`);
  return out;
}

function udhText(udh: SmsUdh | null | undefined): Row[] {
  if (!udh) return [];
  const r: Row[] = [];
  if (udh.concat) r.push(['Part', `${udh.concat.seq} of ${udh.concat.total} (reference ${udh.concat.ref})`]);
  if (udh.ports) r.push(['Ports', `to ${udh.ports.dest} from ${udh.ports.src}${udh.ports.dest === WAP_PUSH_PORT ? ' (WAP push)' : ''}`]);
  const lang = [udh.lockingShift && `locking shift ${udh.lockingShift}`, udh.singleShift && `single shift ${udh.singleShift}`].filter(Boolean);
  if (lang.length) r.push(['Language', lang.join(', ')]);
  return r;
}

/** Text, or octets (with the WAP push a single SMS carries, decoded). */
function userData(t: { text?: string; data?: Uint8Array; udh?: SmsUdh | null }, indent: string): { rows: Row[]; after: string[] } {
  if (t.text !== undefined) return { rows: [['Text', clip(t.text)]], after: [] };
  if (t.data === undefined) return { rows: [], after: [] };
  const hex = Buffer.from(t.data.subarray(0, 32)).toString('hex');
  const r: Row[] = [['Data', `${bytes(t.data.length)}: ${hex}${t.data.length > 32 ? '…' : ''}`]];
  const after: string[] = [];
  if (t.udh?.ports?.dest === WAP_PUSH_PORT && !t.udh.concat) {
    try {
      const push = decodePush(t.data);
      after.push(...pushLines(push, mmsOf(push), `${indent}  `));
    } catch {
      /* the octets are shown as they are */
    }
  }
  return { rows: r, after };
}

function mmsOf(push: WspPush): MmsPdu | undefined {
  if (push.applicationId !== 'x-wap-application:mms.ua') return undefined;
  try {
    return decodeMms(push.body);
  } catch {
    return undefined;
  }
}

function coding(t: { dcs?: { alphabet: string; messageClass: number | null; compressed: boolean } }): string {
  if (!t.dcs) return '';
  const name = { gsm7: 'GSM 7-bit', '8bit': '8-bit data', ucs2: 'UCS-2' }[t.dcs.alphabet] ?? t.dcs.alphabet;
  return `${name}${t.dcs.compressed ? ', compressed' : ''}${t.dcs.messageClass === null ? '' : `, class ${t.dcs.messageClass}`}`;
}

function smsLines(m: SmsMessage, direction: 'MT' | 'MO', note: string | undefined, indent: string): string[] {
  const t: SmsTpdu = m.tpdu;
  const head = `${indent}${t.type} (${direction === 'MT' ? 'to the phone' : 'from the phone'})${m.sca ? `, SMSC ${formatAddress(m.sca)}` : ''}`;
  const list: Row[] = [];
  let after: string[] = [];
  switch (t.type) {
    case 'SMS-DELIVER': {
      const ud = userData(t, indent);
      list.push(['From', formatAddress(t.originator)], ['Sent', timestampToIso(t.scts)], ['Coding', coding(t)], ...udhText(t.udh), ...ud.rows);
      if (t.statusReportIndication) list.push(['Report', 'the sender asked for a status report']);
      after = ud.after;
      break;
    }
    case 'SMS-SUBMIT': {
      const ud = userData(t, indent);
      const v = t.validity;
      list.push(
        ['To', formatAddress(t.destination)], ['Reference', String(t.mr)],
        ['Validity', v.format === 'none' ? '' : v.format === 'relative' ? `relative (TP-VP ${v.value})` : v.format === 'absolute' ? timestampToIso(v.time) : 'enhanced format'],
        ['Report', t.statusReportRequest ? 'status report requested' : ''], ['Coding', coding(t)], ...udhText(t.udh), ...ud.rows,
      );
      after = ud.after;
      break;
    }
    case 'SMS-STATUS-REPORT': {
      const ud = userData(t, indent);
      list.push(
        ['Recipient', formatAddress(t.recipient)], ['Reference', `${t.mr} (of the ${t.statusReportQualifier === 'command' ? 'SMS-COMMAND' : 'SMS-SUBMIT'})`],
        ['Status', describeTpStatus(t.status)], ['Sent', timestampToIso(t.scts)], ['Status at', timestampToIso(t.dischargeTime)], ...ud.rows,
      );
      break;
    }
    case 'SMS-COMMAND':
      list.push(['To', formatAddress(t.destination)], ['Reference', String(t.mr)], ['Command', `type ${t.commandType} on message ${t.messageNumber}`], ['Data', t.commandData.length ? bytes(t.commandData.length) : '']);
      break;
    case 'SMS-DELIVER-REPORT':
    case 'SMS-SUBMIT-REPORT': {
      const ud = userData(t, indent);
      list.push(['Result', t.failureCause === null ? 'accepted (RP-ACK)' : `refused (RP-ERROR), TP-FCS 0x${t.failureCause.toString(16)}`]);
      if (t.type === 'SMS-SUBMIT-REPORT') list.push(['Time', timestampToIso(t.scts)]);
      list.push(...ud.rows);
      break;
    }
  }
  return [head, ...rows(list, `${indent}  `), ...after, ...(note ? [`${indent}  (${note})`] : [])];
}

/** The summary of a decoded PDU, one line per field (no trailing newline). */
export function summarize(d: Decoded, totalBytes: number): string {
  const lines = d.kind === 'mms' ? mmsLines(d.pdu, '') : d.kind === 'push' ? pushLines(d.push, d.$mms, '') : smsLines(d.message, d.direction, d.$lenient, '');
  lines[0] += `, ${bytes(totalBytes)}`;
  return lines.join('\n');
}
