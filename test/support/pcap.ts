// A small classic-libpcap writer and the packet framing the tshark judge needs: IPv4 with TCP
// or UDP (real checksums), and Wireshark's "exported PDU" records that name the dissector to
// run on a bare payload (how tshark is made to read an SMS TPDU with no lower layers).
//
// Every frame of a Capture is written with link type 252 (WIRESHARK_UPPER_PDU): IP packets are
// exported PDUs for the "ip" dissector and SMS TPDUs exported PDUs for "gsm_sms". A classic pcap
// file has one link type, and this way HTTP, UDP push and SMS share one file, so one tshark run
// judges a whole batch. (Dissection of an IP packet is the same under link type 101 (raw IP);
// checked when this was written: identical MMSE output for the corpus.)

/** Link types (https://www.tcpdump.org/linktypes.html). */
export const LINKTYPE_RAW = 101;
export const LINKTYPE_WIRESHARK_UPPER_PDU = 252;

// Exported-PDU tag numbers (Wireshark epan/exported_pdu.h).
const EXP_PDU_TAG_END_OF_OPT = 0;
const EXP_PDU_TAG_DISSECTOR_NAME = 12;
const EXP_PDU_TAG_IPV4_SRC = 20;
const EXP_PDU_TAG_IPV4_DST = 21;
const EXP_PDU_TAG_P2P_DIRECTION = 35;

/** pinfo->p2p_dir values (epan/packet_info.h). */
export const P2P_DIR_SENT = 0;
export const P2P_DIR_RECV = 1;

export type Ipv4 = readonly [number, number, number, number];

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/** Classic pcap (microsecond timestamps, little-endian header), one link type per file. */
export class PcapWriter {
  private readonly chunks: Uint8Array[] = [];
  private frames = 0;
  private size = 24;

  constructor(
    readonly linktype: number,
    readonly snaplen = 262_144,
  ) {}

  /** Appends a frame; returns its 1-based number (what tshark calls frame.number). */
  add(frame: Uint8Array, timeMicros: number): number {
    if (frame.length > this.snaplen) throw new Error(`frame of ${frame.length} bytes exceeds snaplen ${this.snaplen}`);
    const rec = new Uint8Array(16 + frame.length);
    const v = new DataView(rec.buffer);
    v.setUint32(0, Math.floor(timeMicros / 1e6), true);
    v.setUint32(4, timeMicros % 1e6, true);
    v.setUint32(8, frame.length, true);
    v.setUint32(12, frame.length, true);
    rec.set(frame, 16);
    this.chunks.push(rec);
    this.size += rec.length;
    return ++this.frames;
  }

  get frameCount(): number {
    return this.frames;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    const v = new DataView(out.buffer);
    v.setUint32(0, 0xa1b2c3d4, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setInt32(8, 0, true); // thiszone
    v.setUint32(12, 0, true); // sigfigs
    v.setUint32(16, this.snaplen, true);
    v.setUint32(20, this.linktype, true);
    let p = 24;
    for (const c of this.chunks) {
      out.set(c, p);
      p += c.length;
    }
    return out;
  }
}

export interface ExportedPduTags {
  /** Registered dissector name, e.g. "ip", "gsm_sms". */
  dissector: string;
  /** Sets pinfo->p2p_dir (P2P_DIR_SENT / P2P_DIR_RECV). */
  p2pDir?: number;
  /** Set pinfo->src / pinfo->dst (gsm_sms reassembly keys on them). */
  ipv4Src?: Ipv4;
  ipv4Dst?: Ipv4;
}

/** One WIRESHARK_UPPER_PDU record: big-endian TLV tags, end-of-options, then the payload. */
export function exportedPdu(tags: ExportedPduTags, payload: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  const tag = (t: number, value: Uint8Array): void => {
    const b = new Uint8Array(4 + value.length);
    const v = new DataView(b.buffer);
    v.setUint16(0, t);
    v.setUint16(2, value.length);
    b.set(value, 4);
    parts.push(b);
  };
  // Wireshark pads the name with NULs to a multiple of 4 (the field is FT_STRINGZPAD).
  const name = new TextEncoder().encode(tags.dissector);
  const padded = new Uint8Array((name.length + 3) & ~3);
  padded.set(name);
  tag(EXP_PDU_TAG_DISSECTOR_NAME, padded);
  if (tags.p2pDir !== undefined) {
    const d = new Uint8Array(4);
    new DataView(d.buffer).setInt32(0, tags.p2pDir);
    tag(EXP_PDU_TAG_P2P_DIRECTION, d);
  }
  if (tags.ipv4Src) tag(EXP_PDU_TAG_IPV4_SRC, Uint8Array.from(tags.ipv4Src));
  if (tags.ipv4Dst) tag(EXP_PDU_TAG_IPV4_DST, Uint8Array.from(tags.ipv4Dst));
  tag(EXP_PDU_TAG_END_OF_OPT, new Uint8Array(0));
  return concat([...parts, payload]);
}

/** RFC 1071 ones-complement sum over the given byte arrays (odd lengths padded per array). */
export function internetChecksum(...data: Uint8Array[]): number {
  let sum = 0;
  for (const d of data) {
    for (let i = 0; i < d.length; i += 2) sum += (d[i] << 8) | (i + 1 < d.length ? d[i + 1] : 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function ipv4Packet(src: Ipv4, dst: Ipv4, protocol: number, id: number, payload: Uint8Array): Uint8Array {
  const total = 20 + payload.length;
  if (total > 0xffff) throw new Error(`IPv4 packet of ${total} bytes is too large`);
  const p = new Uint8Array(total);
  const v = new DataView(p.buffer);
  p[0] = 0x45; // version 4, 5-word header
  v.setUint16(2, total);
  v.setUint16(4, id & 0xffff);
  v.setUint16(6, 0x4000); // don't fragment
  p[8] = 64; // TTL
  p[9] = protocol;
  p.set(src, 12);
  p.set(dst, 16);
  v.setUint16(10, internetChecksum(p.subarray(0, 20)));
  p.set(payload, 20);
  return p;
}

function pseudoHeader(src: Ipv4, dst: Ipv4, protocol: number, length: number): Uint8Array {
  const h = new Uint8Array(12);
  h.set(src, 0);
  h.set(dst, 4);
  h[9] = protocol;
  new DataView(h.buffer).setUint16(10, length);
  return h;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpSegment {
  src: Ipv4;
  dst: Ipv4;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  /** Maximum segment size option (sent on SYN segments). */
  mss?: number;
  data?: Uint8Array;
}

/** A TCP segment (window 65535, real checksum). Returns the TCP bytes, without IP. */
export function tcpSegment(s: TcpSegment): Uint8Array {
  const data = s.data ?? new Uint8Array(0);
  const hlen = s.mss !== undefined ? 24 : 20;
  const t = new Uint8Array(hlen + data.length);
  const v = new DataView(t.buffer);
  v.setUint16(0, s.srcPort);
  v.setUint16(2, s.dstPort);
  v.setUint32(4, s.seq >>> 0);
  v.setUint32(8, s.flags & TCP_ACK ? s.ack >>> 0 : 0);
  t[12] = (hlen / 4) << 4;
  t[13] = s.flags;
  v.setUint16(14, 65535);
  if (s.mss !== undefined) {
    t[20] = 2; // kind: MSS
    t[21] = 4;
    v.setUint16(22, s.mss);
  }
  t.set(data, hlen);
  v.setUint16(16, internetChecksum(pseudoHeader(s.src, s.dst, IPPROTO_TCP, t.length), t));
  return t;
}

/** A UDP datagram (real checksum). Returns the UDP bytes, without IP. */
export function udpDatagram(src: Ipv4, dst: Ipv4, srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const u = new Uint8Array(8 + payload.length);
  const v = new DataView(u.buffer);
  v.setUint16(0, srcPort);
  v.setUint16(2, dstPort);
  v.setUint16(4, u.length);
  u.set(payload, 8);
  v.setUint16(6, internetChecksum(pseudoHeader(src, dst, IPPROTO_UDP, u.length), u) || 0xffff);
  return u;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ---- scenarios ----

export interface HttpMessage {
  /** Request line ("POST /mms HTTP/1.1") or status line ("HTTP/1.1 200 OK"). */
  startLine: string;
  /** Extra header lines ("Name: value"); Content-Type and Content-Length are added from below. */
  headers?: string[];
  contentType?: string;
  /** Body bytes; an empty body still gets "Content-Length: 0", except where no body may be. */
  body?: Uint8Array;
}

export interface HttpExchange {
  request: HttpMessage;
  response: HttpMessage;
}

/** Frame numbers where tshark completes the reassembly of each message (and dissects its body). */
export interface HttpFrames {
  request: number;
  response: number;
}

export type SmsDirection = 'MO' | 'MT';

const LOOPBACK: Ipv4 = [127, 0, 0, 1];
export const HTTP_PORT = 80;
/** UDP ports tshark 4.0 maps to connectionless WSP ("udp.port 2948/9200 -> wsp" in -G decodes). */
export const WSP_PUSH_PORT = 2948;
export const WSP_CL_PORT = 9200;
/** Ethernet-sized MSS, so bodies over 1460 bytes are cut and tshark must reassemble them. */
export const DEFAULT_MSS = 1460;

/**
 * Builds one capture of many exchanges. Frame times advance 1 ms per frame, so frame order is
 * time order.
 */
export class Capture {
  private readonly pcap = new PcapWriter(LINKTYPE_WIRESHARK_UPPER_PDU);
  private timeMicros = 1_700_000_000_000_000;
  private ipId = 1;
  private connections = 0;

  private frame(payload: Uint8Array, tags: ExportedPduTags): number {
    this.timeMicros += 1000;
    return this.pcap.add(exportedPdu(tags, payload), this.timeMicros);
  }

  private ip(src: Ipv4, dst: Ipv4, protocol: number, payload: Uint8Array): number {
    return this.frame(ipv4Packet(src, dst, protocol, this.ipId++, payload), { dissector: 'ip' });
  }

  /**
   * One HTTP/1.1 exchange on its own TCP connection to 127.0.0.1:80: handshake (with MSS
   * option), request in segments of at most `mss` bytes, response likewise, the receiver
   * acknowledging every second segment (so no more than a window is ever in flight), then
   * FIN/FIN/ACK.
   */
  httpExchange(ex: HttpExchange, mss = DEFAULT_MSS): HttpFrames {
    const n = this.connections++;
    const cport = 40_000 + (n % 25_000);
    // Distinct initial sequence numbers per connection (also when a client port is reused).
    const c = { ip: LOOPBACK, port: cport, seq: (0x1000_0000 + n * 7919) >>> 0 };
    const s = { ip: LOOPBACK, port: HTTP_PORT, seq: (0x5000_0000 + n * 104_729) >>> 0 };
    type End = typeof c;
    const seg = (from: End, to: End, flags: number, data?: Uint8Array, withMss = false): number =>
      this.ip(from.ip, to.ip, IPPROTO_TCP, tcpSegment({
        src: from.ip, dst: to.ip, srcPort: from.port, dstPort: to.port,
        seq: from.seq, ack: to.seq, flags, data, mss: withMss ? mss : undefined,
      }));
    const send = (from: End, to: End, bytes: Uint8Array): number => {
      let last = 0;
      let unacked = 0;
      for (let off = 0; off < bytes.length; off += mss) {
        const chunk = bytes.subarray(off, Math.min(off + mss, bytes.length));
        const final = off + mss >= bytes.length;
        last = seg(from, to, TCP_ACK | (final ? TCP_PSH : 0), chunk);
        from.seq += chunk.length;
        if (++unacked === 2 || final) {
          seg(to, from, TCP_ACK);
          unacked = 0;
        }
      }
      return last;
    };
    seg(c, s, TCP_SYN, undefined, true);
    c.seq += 1;
    seg(s, c, TCP_SYN | TCP_ACK, undefined, true);
    s.seq += 1;
    seg(c, s, TCP_ACK);
    const request = send(c, s, httpBytes(ex.request));
    const response = send(s, c, httpBytes(ex.response));
    seg(c, s, TCP_FIN | TCP_ACK);
    c.seq += 1;
    seg(s, c, TCP_FIN | TCP_ACK);
    s.seq += 1;
    seg(c, s, TCP_ACK);
    return { request, response };
  }

  /** A WSP connectionless push datagram from 10.0.0.1:9200 to the handset 10.0.0.2:2948. */
  wspPush(pdu: Uint8Array): number {
    const src: Ipv4 = [10, 0, 0, 1];
    const dst: Ipv4 = [10, 0, 0, 2];
    return this.ip(src, dst, IPPROTO_UDP, udpDatagram(src, dst, WSP_CL_PORT, WSP_PUSH_PORT, pdu));
  }

  /**
   * A bare SMS TPDU (no SMSC address) for the gsm_sms dissector.
   *
   * TP-MTI means different PDUs in each direction, and packet-gsm_sms.c (4.0) picks the table
   * from pinfo->p2p_dir: P2P_DIR_RECV ("bit 2 set to 1 for uplink messages") selects the MS->SC
   * PDUs (SMS-SUBMIT, SMS-COMMAND, SMS-DELIVER-REPORT); anything else the SC->MS ones (SMS-DELIVER,
   * SMS-STATUS-REPORT, SMS-SUBMIT-REPORT). The exported-PDU P2P-direction tag sets it.
   *
   * `conversation` picks the IPv4 source/destination put in the record: gsm_sms keys its
   * reassembly of concatenated messages on them (no addresses, no reassembly), so segments of
   * one message share a conversation and unrelated messages must not (equal references would
   * be merged).
   */
  smsTpdu(tpdu: Uint8Array, direction: SmsDirection, conversation: number): number {
    if (!Number.isInteger(conversation) || conversation < 0 || conversation > 0xffff) {
      throw new Error(`SMS conversation ${conversation} outside 0..65535`);
    }
    const ms: Ipv4 = [10, 1, conversation >> 8, conversation & 0xff];
    const sc: Ipv4 = [10, 2, conversation >> 8, conversation & 0xff];
    const mo = direction === 'MO';
    return this.frame(tpdu, {
      dissector: 'gsm_sms',
      p2pDir: mo ? P2P_DIR_RECV : P2P_DIR_SENT,
      ipv4Src: mo ? ms : sc,
      ipv4Dst: mo ? sc : ms,
    });
  }

  get frameCount(): number {
    return this.pcap.frameCount;
  }

  toBytes(): Uint8Array {
    return this.pcap.toBytes();
  }
}

function httpBytes(m: HttpMessage): Uint8Array {
  const body = m.body ?? new Uint8Array(0);
  // A GET, and 1xx/204/304 responses, have no body and so no Content-Length (RFC 9110 8.6).
  const bodiless = /^GET /.test(m.startLine) || /^HTTP\/1\.1 (1\d\d|204|304) /.test(m.startLine);
  if (bodiless && body.length) throw new Error(`"${m.startLine}" cannot carry a body`);
  const lines = [m.startLine, ...(m.headers ?? [])];
  if (m.contentType) lines.push(`Content-Type: ${m.contentType}`);
  if (!bodiless) lines.push(`Content-Length: ${body.length}`);
  const head = new TextEncoder().encode(lines.join('\r\n') + '\r\n\r\n');
  return concat([head, body]);
}
