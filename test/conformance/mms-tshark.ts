// Compares a decoded MMS PDU with Wireshark's reading of the same bytes (tshark 4.0.17, the
// `tshark_4_0_17_summary` lines of test/corpus/manifest.json): an independent second opinion
// on every header of every corpus file. Token values are compared by their octet, using
// tables typed here from the fact sheet (independent of the codec's own tables).
import type { EncodedString, MmsPdu } from '../../src/codec/mms/index.js';

const YES_NO: Record<string, number> = { true: 0x80, false: 0x81 };
const CODES: Record<string, Record<string, number>> = {
  messageClass: { Personal: 0x80, Advertisement: 0x81, Informational: 0x82, Auto: 0x83 },
  priority: { Low: 0x80, Normal: 0x81, High: 0x82 },
  status: { Expired: 0x80, Retrieved: 0x81, Rejected: 0x82, Deferred: 0x83, Unrecognised: 0x84, Indeterminate: 0x85, Forwarded: 0x86, Unreachable: 0x87 },
  senderVisibility: { Hide: 0x80, Show: 0x81 },
  readStatus: { Read: 0x80, 'Deleted-without-being-read': 0x81 },
  responseStatus: {
    Ok: 0x80, 'Error-unspecified': 0x81, 'Error-service-denied': 0x82, 'Error-message-format-corrupt': 0x83,
    'Error-permanent-failure': 0xe0, 'Error-permanent-service-denied': 0xe1, 'Error-permanent-message-format-corrupt': 0xe2,
  },
  retrieveStatus: { Ok: 0x80, 'Error-permanent-message-not-found': 0xe2 },
};

const text = (v: EncodedString | undefined): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : v.text);

/** Octet of a decoded enumerated value (name, boolean or raw number). */
function octet(field: string, v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return YES_NO[String(v)];
  if (typeof v === 'object' && v !== null && 'raw' in v) return (v as { raw: number }).raw;
  return CODES[field]?.[v as string];
}

const tsharkDate = (s: string): number => Date.parse(s.replace(/\.\d+ UTC$/, ' UTC')) / 1000;

/** Lines of tshark's MMS summary this decode disagrees with (empty when all agree). */
export function tsharkMismatches(pdu: MmsPdu, lines: readonly string[]): string[] {
  const bad: string[] = [];
  const seen: Record<string, number> = {};
  const next = (key: string): number => (seen[key] = (seen[key] ?? -1) + 1);
  for (const line of lines) {
    const sep = line.indexOf(': ');
    const bare = sep < 0 && line.endsWith(':'); // "Subject:" - an empty value
    const name = bare ? line.slice(0, -1) : sep < 0 ? line : line.slice(0, sep);
    const value = sep < 0 ? '' : line.slice(sep + 2);
    const code = /\(0x([0-9a-f]{2})\)$/i.exec(value);
    const tokenIs = (field: string, v: unknown): boolean => code !== null && octet(field, v) === parseInt(code[1], 16);
    const garbled = value.includes('\ufffd') || value.startsWith('\\177') || /[\u0080-\uffff]/.test(value);
    let ok: boolean;
    switch (name) {
      case 'X-Mms-Message-Type': ok = value.startsWith(`${pdu.messageType} (`); break;
      case 'X-Mms-Transaction-ID': ok = pdu.transactionId === value; break;
      case 'X-Mms-MMS-Version': ok = pdu.mmsVersion === value; break;
      case 'From':
        ok = value === '<insert address>' ? (pdu.from as { insertAddress?: boolean })?.insertAddress === true : text(pdu.from as EncodedString) === value;
        break;
      case 'To': ok = text(pdu.to?.[next('to')]) === value; break;
      case 'Cc': ok = text(pdu.cc?.[next('cc')]) === value; break;
      case 'Bcc': ok = text(pdu.bcc?.[next('bcc')]) === value; break;
      case 'Subject': ok = garbled ? text(pdu.subject) !== undefined : text(pdu.subject) === value; break;
      case 'X-Mms-Message-Class': ok = code ? tokenIs('messageClass', pdu.messageClass) : pdu.messageClass === value; break;
      case 'X-Mms-Message-Size': ok = pdu.messageSize === Number(value); break;
      case 'X-Mms-Expiry': {
        const rel = /^([0-9.]+) seconds$/.exec(value);
        ok = rel ? (pdu.expiry as { relative?: number })?.relative === Number(rel[1])
          : (pdu.expiry as { absolute?: number })?.absolute === tsharkDate(value);
        break;
      }
      case 'X-Mms-Content-Location': ok = pdu.contentLocation === value; break;
      case 'Message-Id': ok = pdu.messageId === value; break;
      case 'Date': ok = pdu.date === tsharkDate(value); break;
      case 'X-Mms-Delivery-Report': ok = tokenIs('deliveryReport', pdu.deliveryReport); break;
      case 'X-Mms-Read-Report': ok = tokenIs('readReport', pdu.readReport); break;
      case 'X-Mms-Report-Allowed': ok = tokenIs('reportAllowed', pdu.reportAllowed); break;
      case 'X-Mms-Priority': ok = tokenIs('priority', pdu.priority); break;
      case 'Status': ok = tokenIs('status', pdu.status); break;
      case 'Sender-Visibility': ok = tokenIs('senderVisibility', pdu.senderVisibility); break;
      case 'X-Mms-Read-Status': ok = tokenIs('readStatus', pdu.readStatus); break;
      case 'Response-Status': ok = tokenIs('responseStatus', pdu.responseStatus); break;
      case 'Response-Text': ok = garbled ? pdu.responseText !== undefined : text(pdu.responseText as EncodedString) === value; break;
      case 'X-Mms-Retrieve-Status': ok = tokenIs('retrieveStatus', pdu.retrieveStatus); break;
      case 'X-Mms-Retrieve-Text': ok = text(pdu.retrieveText) === value; break;
      case 'Content-Type': {
        const [type, ...params] = value.split('; ');
        ok = pdu.contentType?.type === type && params.every((p) => {
          const [k, v] = p.split('=');
          return String(pdu.contentType?.params?.[k.toLowerCase()]) === v;
        }) && params.length === Object.keys(pdu.contentType?.params ?? {}).length;
        break;
      }
      default: {
        const fwdDate = /^(.*) \(Forwarded-count=(\d+)\)$/.exec(line);
        if (fwdDate && /UTC$/.test(fwdDate[1])) {
          const d = pdu.previouslySentDate?.[next('psd')];
          ok = d?.count === Number(fwdDate[2]) && d.date === tsharkDate(fwdDate[1]);
        } else if (fwdDate) {
          const b = pdu.previouslySentBy?.[next('psb')];
          ok = b?.count === Number(fwdDate[2]) && text(b.address) === fwdDate[1];
        } else {
          const app = pdu.applicationHeaders?.find((h) => h.name === name);
          ok = app !== undefined && app.value === value;
        }
      }
    }
    if (!ok) bad.push(line);
  }
  return bad;
}
