// Typed views of what tshark read in a packet: the fields the judge compares with our own
// decoder's reading of the same bytes. Everything here is tshark's interpretation (its field
// values and the byte ranges it assigned to them), never ours.
//
// Field names: `tshark -G fields` (4.0.17), protocols mmse, wsp and gsm_sms.
import { findAll, findFirst, nodeBytes, type Packet, type PdmlNode } from './tshark.js';

// ---- shared ----

/**
 * PDML "show" strings escape control characters other than TAB, LF and CR as "\x" + hex
 * without padding (e.g. "\x7f", "\xc"); this undoes it, taking two hex digits when they name
 * a control character, else one ("\xca" is form feed then "a"). (The escape is ambiguous for
 * a literal backslash-x or "\x1" before a hex digit; no PDU in the test set has either.)
 */
export function unescapeShow(s: string): string {
  const control = (c: number): boolean => c < 0x20 || c === 0x7f;
  return s.replace(/\\x([0-9a-f])([0-9a-f]?)/g, (_, d1: string, d2: string) => {
    const two = parseInt(d1 + d2, 16);
    if (d2 && control(two)) return String.fromCharCode(two);
    return String.fromCharCode(parseInt(d1, 16)) + d2;
  });
}

/** The inverse of unescapeShow: how tshark's PDML shows a string value. */
export function escapeShow(s: string): string {
  return s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
}

const num = (n: PdmlNode | undefined): number | undefined => (n ? Number(n.show) : undefined);
const str = (n: PdmlNode | undefined): string | undefined => (n ? unescapeShow(n.show) : undefined);

/** "Dec 29, 2013 10:08:44.000000000 UTC" (tshark runs with TZ=UTC) -> seconds since 1970. */
export function parseAbsTime(show: string): number {
  const m = /^(\w{3})\s+(\d+), (\d{4}) (\d\d):(\d\d):(\d\d)(?:\.\d+)? UTC$/.exec(show);
  if (!m) throw new Error(`unexpected tshark time "${show}"`);
  const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(m[1]) / 3;
  return Date.UTC(+m[3], month, +m[2], +m[4], +m[5], +m[6]) / 1000;
}

export interface ContentTypeView {
  /** Media type as tshark resolved it (well-known codes become names). */
  media: string;
  /** Parameters in order; keys from the field names (type, start, charset, name, filename...),
   *  or the name a textual parameter carries. */
  params: { key: string; value: string }[];
  /** tshark's label: "Content-Type: application/vnd.wap.multipart.related; type=...; Start=..." */
  label: string;
}

function contentTypeOf(n: PdmlNode): ContentTypeView {
  const params: { key: string; value: string }[] = [];
  for (const c of n.children) {
    if (c.name === 'wsp.parameter.type' || c.name === '') continue;
    // Untyped (textual) parameters: wsp.untype.text/int/quote_text, labelled "name: value".
    const key = c.name.startsWith('wsp.untype.')
      ? c.label.slice(0, Math.max(0, c.label.indexOf(': ')))
      : c.name.replace(/^wsp\.parameter\.(upart\.)?/, '');
    params.push({ key, value: unescapeShow(c.show) });
  }
  return { media: unescapeShow(n.show), params, label: n.label };
}

export interface HeaderView {
  /** Field name without "wsp.header." (content_id, content_location, x_wap_application_id...). */
  key: string;
  value: string;
  label: string;
  /** The header's octets (name and value) as tshark delimited them. */
  raw: Uint8Array;
}

function headersOf(n: PdmlNode | undefined): HeaderView[] {
  if (!n) return [];
  return n.children
    .filter((c) => c.name.startsWith('wsp.header.') && c.name !== 'wsp.header.name_value')
    .map((c) => ({ key: c.name.slice('wsp.header.'.length), value: unescapeShow(c.show), label: c.label, raw: nodeBytes(c) }));
}

/** Bytes a payload dissector was handed: "media" (payload dissectors are disabled) or "data". */
function payloadOf(nodes: readonly PdmlNode[]): Uint8Array | undefined {
  const n = findFirst(nodes, 'media.type') ?? findFirst(nodes, 'data.data');
  return n ? nodeBytes(n) : undefined;
}

// ---- MMS (mmse) ----

export interface PartView {
  contentType: ContentTypeView;
  headers: HeaderView[];
  /** Part body as tshark delimited it. */
  data?: Uint8Array;
}

export interface MmsView {
  /** Labels of the top-level MMSE fields in PDU order, as `tshark -V` prints them. */
  labels: string[];
  messageType: number;
  transactionId?: string;
  version?: string;
  from?: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject?: string;
  contentLocation?: string;
  /** Every X-Mms-Content-Location, in order (m-mbox-delete-req, m-delete-req repeat it). */
  contentLocations: string[];
  messageId?: string;
  /** Seconds since 1970. */
  date?: number;
  expiry?: { relative: boolean; seconds: number };
  deliveryTime?: { relative: boolean; seconds: number };
  messageSize?: number;
  messageClass?: number | string;
  priority?: number;
  deliveryReport?: number;
  /** 0x90 (tshark names it Read-Report or, for MMS 1.0, Read-Reply). */
  readReport?: number;
  reportAllowed?: number;
  senderVisibility?: number;
  status?: number;
  responseStatus?: number;
  responseText?: string;
  retrieveStatus?: number;
  retrieveText?: string;
  readStatus?: number;
  replyCharging?: number;
  replyChargingDeadline?: { relative: boolean; seconds: number };
  replyChargingId?: string;
  replyChargingSize?: number;
  previouslySentBy: { forwardCount: number; address: string }[];
  previouslySentDate: { forwardCount: number; date: string }[];
  /** Textual (application) headers (mmse.ffheader): their labels, "Name: value". */
  applicationHeaders: string[];
  /** Well-known headers tshark 4.0 does not decode (mmse.header.*, MMS 1.2+): their labels. */
  undecoded: string[];
  contentType?: ContentTypeView;
  /**
   * Parts of a multipart body: undefined when the body is not multipart or absent, [] for an
   * entry count of 0. (tshark splits a body into parts only for the well-known multipart codes.)
   */
  parts?: PartView[];
  /**
   * Where tshark puts a body it does not dissect (every non-multipart body: packet-wsp.c
   * add_post_data() handles only form-urlencoded and multipart): offset from the start of the
   * PDU and length. The judge takes those octets of the PDU it gave tshark.
   */
  bodyRange?: { offset: number; length: number };
  /** Byte range of the PDU in the tvb tshark dissected it from. */
  size: number;
}

function timeOf(nodes: PdmlNode[], base: string): { relative: boolean; seconds: number } | undefined {
  const abs = nodes.find((c) => c.name === `${base}.abs`);
  if (abs) return { relative: false, seconds: parseAbsTime(abs.show) };
  const rel = nodes.find((c) => c.name === `${base}.rel`);
  return rel ? { relative: true, seconds: Number(rel.show) } : undefined;
}

export function mmsView(mmse: PdmlNode): MmsView {
  const kids = mmse.children;
  const one = (name: string): PdmlNode | undefined => kids.find((c) => c.name === name);
  const all = (name: string): string[] => kids.filter((c) => c.name === name).map((c) => unescapeShow(c.show));
  const ct = one('wsp.header.content_type');
  const postData = one('wsp.post.data');
  const partNodes = postData ? findAll([postData], 'wsp.multipart') : [];
  const cls = one('mmse.message_class.id') ?? one('mmse.message_class.str');
  return {
    labels: kids.filter((c) => !c.hidden && c.name !== '' && c.name !== 'wsp.post.data').map((c) => c.label.trimEnd()),
    messageType: Number(one('mmse.message_type')?.show),
    transactionId: str(one('mmse.transaction_id')),
    version: str(one('mmse.mms_version')),
    from: str(one('mmse.from')),
    to: all('mmse.to'),
    cc: all('mmse.cc'),
    bcc: all('mmse.bcc'),
    subject: str(one('mmse.subject')),
    contentLocation: str(one('mmse.content_location')),
    contentLocations: all('mmse.content_location'),
    messageId: str(one('mmse.message_id')),
    date: one('mmse.date') ? parseAbsTime(one('mmse.date')!.show) : undefined,
    expiry: timeOf(kids, 'mmse.expiry'),
    deliveryTime: timeOf(kids, 'mmse.delivery_time'),
    messageSize: num(one('mmse.message_size')),
    messageClass: cls ? (cls.name.endsWith('.id') ? Number(cls.show) : unescapeShow(cls.show)) : undefined,
    priority: num(one('mmse.priority')),
    deliveryReport: num(one('mmse.delivery_report')),
    readReport: num(one('mmse.read_report') ?? one('mmse.read_reply')),
    reportAllowed: num(one('mmse.report_allowed')),
    senderVisibility: num(one('mmse.sender_visibility')),
    status: num(one('mmse.status')),
    responseStatus: num(one('mmse.response_status')),
    responseText: str(one('mmse.response_text')),
    retrieveStatus: num(one('mmse.retrieve_status')),
    retrieveText: str(one('mmse.retrieve_text')),
    readStatus: num(one('mmse.read_status')),
    replyCharging: num(one('mmse.reply_charging')),
    replyChargingDeadline: timeOf(kids, 'mmse.reply_charging_deadline'),
    replyChargingId: str(one('mmse.reply_charging_id')),
    replyChargingSize: num(one('mmse.reply_charging_size')),
    previouslySentBy: kids.filter((c) => c.name === 'mmse.previously_sent_by').map((c) => ({
      forwardCount: Number(findFirst(c.children, 'mmse.previously_sent_by.forward_count')?.show),
      address: unescapeShow(findFirst(c.children, 'mmse.previously_sent_by.address')?.show ?? ''),
    })),
    previouslySentDate: kids.filter((c) => c.name === 'mmse.previously_sent_date').map((c) => ({
      forwardCount: Number(findFirst(c.children, 'mmse.previously_sent_date.forward_count')?.show),
      date: findFirst(c.children, 'mmse.previously_sent_date.date')?.show ?? '',
    })),
    applicationHeaders: kids.filter((c) => c.name === 'mmse.ffheader').map((c) => c.label),
    undecoded: kids.filter((c) => c.name.startsWith('mmse.header.')).map((c) => c.label),
    contentType: ct ? contentTypeOf(ct) : undefined,
    parts: postData && ct && /^application\/vnd\.wap\.multipart\./i.test(ct.show)
      ? partNodes.map((p) => {
          const pct = p.children.find((c) => c.name === 'wsp.header.content_type');
          return {
            contentType: pct ? contentTypeOf(pct) : { media: '', params: [], label: '' },
            headers: headersOf(p.children.find((c) => c.name === 'wsp.headers')),
            data: payloadOf(p.children),
          };
        })
      : undefined,
    bodyRange: postData && !(ct && /^application\/vnd\.wap\.multipart\./i.test(ct.show))
      ? { offset: postData.pos - mmse.pos, length: postData.size }
      : undefined,
    size: mmse.size,
  };
}

// ---- WSP connectionless push ----

export interface PushView {
  tid: number;
  pduType: number;
  headersLength: number;
  contentType?: ContentTypeView;
  headers: HeaderView[];
  /** X-Wap-Application-Id as tshark resolved it (e.g. "x-wap-application:mms.ua"). */
  applicationId?: string;
  /** The MMS PDU in the push body, when tshark handed it to mmse. */
  mms?: MmsView;
  /** The body, when no sub-dissector took it. */
  body?: Uint8Array;
  labels: string[];
}

/**
 * The push in a WSP node. `scope` are the nodes where the body's dissection may be: the
 * packet's top-level protocols for UDP, the gsm_sms user-data subtree for SMS.
 */
export function pushView(wsp: PdmlNode, scope: readonly PdmlNode[]): PushView {
  const kids = wsp.children;
  const one = (name: string): PdmlNode | undefined => kids.find((c) => c.name === name);
  const headers = headersOf(one('wsp.headers'));
  const ct = one('wsp.header.content_type');
  const mmse = findFirst(scope, 'mmse');
  return {
    tid: Number(one('wsp.TID')?.show),
    pduType: Number(one('wsp.pdu_type')?.show),
    headersLength: Number(one('wsp.headers_length')?.show),
    contentType: ct ? contentTypeOf(ct) : undefined,
    headers,
    applicationId: headers.find((h) => h.key === 'x_wap_application_id')?.value,
    mms: mmse ? mmsView(mmse) : undefined,
    body: mmse ? undefined : payloadOf(scope),
    labels: kids.filter((c) => !c.hidden && c.name !== '' && c.name !== 'wsp.headers').map((c) => c.label.trimEnd()),
  };
}

// ---- SMS TPDU (gsm_sms) ----

export interface UdhIeView {
  iei: number;
  data: Uint8Array;
}

export interface SmsView {
  /** From the protocol label: "SMS-DELIVER", "SMS-SUBMIT", "SMS-STATUS REPORT", ... */
  type: string;
  mti: number;
  udhi: boolean;
  /** TP-OA (DELIVER), TP-DA (SUBMIT) or TP-RA (STATUS-REPORT) digits, as tshark decoded them. */
  address?: string;
  /** Type of number and numbering plan of that address. */
  ton?: number;
  npi?: number;
  mr?: number;
  pid?: number;
  dcs?: number;
  vpf?: number;
  /** Relative TP-VP octet. */
  vp?: number;
  srr?: boolean;
  /** TP-SRI (SMS-DELIVER) */
  sri?: boolean;
  /** TP-SRQ (SMS-STATUS-REPORT): the report is about an SMS-COMMAND */
  srq?: boolean;
  lp?: boolean;
  rd?: boolean;
  rp?: boolean;
  /** TP-MMS bit as sent (1 = no more messages waiting). */
  mms?: boolean;
  /** TP-SCTS (two-digit year as tshark shows it). */
  scts?: SctsView;
  /** TP-DT of a status report. */
  dischargeTime?: SctsView;
  /** TP-ST octet. */
  status?: number;
  udl?: number;
  udhl?: number;
  ies: UdhIeView[];
  concat?: { ref: number; total: number; seq: number };
  ports?: { dst: number; src: number };
  /**
   * sms_text items: one for an unsegmented or non-final segment; in the segment that completes
   * a concatenated message, one per segment of the whole message (tshark shows them all there).
   */
  texts: string[];
  /** 8-bit user data (gsm_sms.sms_body) when not handed to a sub-dissector. */
  body?: Uint8Array;
  /** User data of a DCS that says "compressed" (gsm_sms.compressed_data), not decompressed. */
  compressedData?: Uint8Array;
  /** Frames of a reassembled message (only in the frame that completed it). */
  reassembledFrames?: number[];
  reassembledLength?: number;
  /** WSP push carried in the (reassembled) user data. */
  push?: PushView;
}

/** A TP-SCTS/TP-DT as tshark read it; `tz` in signed quarter hours (from "GMT - 7 hours 30 minutes"). */
export interface SctsView {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  tz: number;
}

function scts(n: PdmlNode | undefined): SctsView | undefined {
  if (!n) return undefined;
  const f = (k: string): PdmlNode | undefined => n.children.find((c) => c.name === `gsm_sms.scts.${k}`);
  const zone = /GMT ([+-]) (\d+) hours (\d+) minutes/.exec(f('timezone')?.label ?? '');
  return {
    year: Number(f('year')?.show),
    month: Number(f('month')?.show),
    day: Number(f('day')?.show),
    hour: Number(f('hour')?.show),
    minute: Number(f('minutes')?.show),
    second: Number(f('seconds')?.show),
    tz: zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 4 + Number(zone[3]) / 15) : NaN,
  };
}

export function smsView(sms: PdmlNode): SmsView {
  const kids = sms.children;
  const one = (name: string): PdmlNode | undefined => kids.find((c) => c.name === name);
  const flag = (name: string): boolean | undefined => (one(name) ? one(name)!.show === '1' : undefined);
  const addrField = findFirst(kids, 'gsm_sms.tp-oa') ?? findFirst(kids, 'gsm_sms.tp-da') ?? findFirst(kids, 'gsm_sms.tp-ra');
  const addrNode = kids.find((c) => c.name === '' && c.children.includes(addrField!));
  const ud = kids.find((c) => c.name === '' && c.label === 'TP-User-Data');
  const udh = ud?.children.find((c) => c.name === '' && c.label === 'User-Data Header');
  const ies = (udh?.children ?? []).filter((c) => c.name === '' && c.label.startsWith('IE: ')).map((c) => ({
    iei: Number(c.children.find((x) => x.name === 'gsm_sms.ie_identifier')?.show),
    data: nodeBytes(c).subarray(2),
  }));
  const ref = udh && findFirst([udh], 'gsm_sms.udh.mm.msg_id');
  const dport = udh && findFirst([udh], 'gsm_sms.destination_port');
  const wsp = ud && findFirst([ud], 'wsp');
  const frags = ud && findFirst([ud], 'gsm_sms.fragments');
  const st = kids.find((c) => c.name === '' && c.label === 'TP-Status');
  return {
    type: sms.label.replace(/^GSM SMS TPDU \(GSM 03\.40\) /, ''),
    mti: Number(one('gsm_sms.tp-mti')?.show),
    udhi: flag('gsm_sms.tp-udhi') ?? false,
    address: addrField ? unescapeShow(addrField.show) : undefined,
    ton: num(addrNode?.children.find((c) => c.name === 'gsm_sms.dis_field_addr.num_type')),
    npi: num(addrNode?.children.find((c) => c.name === 'gsm_sms.dis_field_addr.num_plan')),
    mr: num(one('gsm_sms.tp-mr')),
    pid: num(one('gsm_sms.tp-pid')),
    dcs: num(one('gsm_sms.tp-dcs')),
    vpf: num(one('gsm_sms.tp-vpf')),
    vp: num(one('gsm_sms.vp.validity_period')),
    srr: flag('gsm_sms.tp-srr'),
    sri: flag('gsm_sms.tp-sri'),
    srq: flag('gsm_sms.tp-srq'),
    lp: flag('gsm_sms.tp-lp'),
    rd: flag('gsm_sms.tp-rd'),
    rp: flag('gsm_sms.tp-rp'),
    mms: flag('gsm_sms.tp-mms'),
    scts: scts(kids.find((c) => c.name === '' && c.label === 'TP-Service-Centre-Time-Stamp')),
    dischargeTime: scts(kids.find((c) => c.name === '' && c.label === 'TP-Discharge-Time')),
    status: st?.value !== undefined ? parseInt(st.value, 16) : undefined,
    udl: num(one('gsm_sms.tp.user_data_length')),
    udhl: num(udh && findFirst([udh], 'gsm_sms.dis_field_udh.user_data_header_length')),
    ies,
    concat: ref ? {
      ref: Number(ref.show),
      total: Number(findFirst([udh!], 'gsm_sms.udh.mm.msg_parts')?.show),
      seq: Number(findFirst([udh!], 'gsm_sms.udh.mm.msg_part')?.show),
    } : undefined,
    ports: dport ? { dst: Number(dport.show), src: Number(findFirst([udh!], 'gsm_sms.originator_port')?.show) } : undefined,
    texts: ud ? findAll([ud], 'gsm_sms.sms_text').map((t) => unescapeShow(t.show)) : [],
    body: ud && findFirst([ud], 'gsm_sms.sms_body') ? nodeBytes(findFirst([ud], 'gsm_sms.sms_body')!) : undefined,
    compressedData: ud && findFirst([ud], 'gsm_sms.compressed_data') ? nodeBytes(findFirst([ud], 'gsm_sms.compressed_data')!) : undefined,
    reassembledFrames: frags ? frags.children.filter((c) => c.name === 'gsm_sms.fragment').map((c) => Number(c.show)) : undefined,
    reassembledLength: frags ? num(findFirst([frags], 'gsm_sms.reassembled.length')) : undefined,
    push: wsp ? pushView(wsp, [ud!]) : undefined,
  };
}

// ---- per packet ----

/** The packet's top-level (not nested) node of a protocol. */
export function topProto(p: Packet, name: string): PdmlNode | undefined {
  return p.protos.find((n) => n.name === name);
}

/**
 * The text of this TPDU alone. In the segment that completes a concatenated message tshark
 * lists every segment's text; this one's is at its sequence number.
 */
export function ownText(v: SmsView): string | undefined {
  if (v.texts.length === 0) return undefined;
  if (v.reassembledFrames && v.concat && v.texts.length === v.concat.total) return v.texts[v.concat.seq - 1];
  return v.texts.join('');
}
