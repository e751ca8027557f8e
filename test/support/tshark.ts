// Runs tshark on a capture and returns each packet's full dissection tree.
//
// Output format: PDML (-T pdml). It is tshark's complete tree like -T json, but it also keeps
// what the judge needs and JSON drops: every item's label ("showname", exactly the text of
// `tshark -V`, which is how manifest.json records Wireshark's reading), the raw bytes of each
// field ("value", hex), its position, repeated fields in order, and text-only items.
//
// Failure policy (what the judge fails on):
// - every expert info of severity Error: this includes the "[Malformed Packet]" marker that a
//   dissector exception produces, "Dissector bug" and reassembly errors, and the protocols' own
//   error items (e.g. mmse.oversized_uintvar, gsm_sms "Short Data");
// - every expert info of severity Warning: the dissectors of part payloads (JPEG, GIF, PNG,
//   SMIL, XML, text lines, AMR, WBXML) are disabled (PAYLOAD_DISSECTORS), because their
//   warnings judge the picture or the SMIL a phone made, not our encoding. What remains are
//   the PDU dissectors (mmse, wsp, gsm_sms) and our framing (http, tcp, udp, ip): a warning
//   from those is either a PDU defect or a bug of the pcap writer, both ours to fix;
// - Note, Chat and Comment items never fail (tcp notes SYN/FIN, http chats its request line).
// Known dissector bugs are excused per input by the judge (tshark-known-bugs.ts), never here.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Payload dissectors switched off (see the failure policy above). */
export const PAYLOAD_DISSECTORS = [
  'image-jfif', 'image-gif', 'png', 'smil', 'xml', 'data-text-lines', 'amr', 'wbxml',
];

/** Preferences the judge depends on, set explicitly so a user's profile cannot change them. */
export const PREFS: Record<string, string> = {
  'tcp.desegment_tcp_streams': 'TRUE',
  'tcp.analyze_sequence_numbers': 'TRUE',
  'http.desegment_headers': 'TRUE',
  'http.desegment_body': 'TRUE',
  'gsm_sms.reassemble': 'TRUE',
  // Checked so that a broken checksum from the pcap writer shows up as an expert error.
  'ip.check_checksum': 'TRUE',
  'tcp.check_checksum': 'TRUE',
  'udp.check_checksum': 'TRUE',
};

export type Severity = 'comment' | 'chat' | 'note' | 'warning' | 'error';

const SEVERITY: Record<number, Severity> = {
  0x00100000: 'comment',
  0x00200000: 'chat',
  0x00400000: 'note',
  0x00600000: 'warning',
  0x00800000: 'error',
};

/** One item of the tree: a protocol, a field, or a text-only item (name ""). */
export interface PdmlNode {
  name: string;
  /** The label as `tshark -V` prints it (text-only items: their text). */
  label: string;
  /** The field's value as tshark displays it. */
  show: string;
  /** Raw bytes the item covers, hex (absent on items that cover none). */
  value?: string;
  pos: number;
  size: number;
  hidden: boolean;
  isProto: boolean;
  children: PdmlNode[];
}

export interface ExpertInfo {
  severity: Severity;
  /** "Malformed", "Protocol", "Sequence", ... */
  group: string;
  message: string;
  /** Protocol whose tree holds the item ("_ws.malformed" for the malformed marker). */
  protocol: string;
  /** That protocol's label ("[Malformed Packet: MMSE]" names the dissector that threw). */
  protocolLabel: string;
  /** The field the item is attached to ("" for text items). */
  field: string;
}

export interface Packet {
  frame: number;
  /** frame.protocols, e.g. ["exported_pdu", "ip", "tcp", "http", "mmse"]. */
  protocols: string[];
  /** Top-level protocol nodes (geninfo, frame, exported_pdu, ip, ...). */
  protos: PdmlNode[];
  experts: ExpertInfo[];
}

let versionCache: string | null | undefined;

/** tshark's version string ("4.0.17"), or null when tshark is not installed. */
export function tsharkVersion(): string | null {
  if (versionCache !== undefined) return versionCache;
  try {
    const out = execFileSync('tshark', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    versionCache = /TShark \(Wireshark\) (\d+\.\d+\.\d+)/.exec(out)?.[1] ?? null;
  } catch {
    versionCache = null;
  }
  return versionCache;
}

export interface RunOptions {
  /** Frames to return; frames with a warning or error are always returned too. */
  frames?: Iterable<number>;
  /** Extra -o preferences. */
  prefs?: Record<string, string>;
}

/**
 * Writes the capture to a temporary file, runs tshark once on it and returns the selected
 * packets by frame number.
 */
export async function runTshark(pcap: Uint8Array, opts: RunOptions = {}): Promise<Map<number, Packet>> {
  const dir = mkdtempSync(join(tmpdir(), 'mmsc-tshark-'));
  try {
    const file = join(dir, 'capture.pcap');
    writeFileSync(file, pcap);
    const frames = opts.frames ? [...opts.frames] : [];
    // Warnings (0x00600000) and errors anywhere, so problems in frames we did not ask for
    // (a TCP handshake segment, a first SMS segment) still reach the judge.
    const filter = ['_ws.malformed', '_ws.expert.severity >= 0x00600000'];
    if (frames.length) filter.unshift(`frame.number in {${frames.join(',')}}`);
    const args = ['-r', file, '-n', '-T', 'pdml', '-Y', filter.join(' || ')];
    for (const [k, v] of Object.entries({ ...PREFS, ...opts.prefs })) args.push('-o', `${k}:${v}`);
    for (const p of PAYLOAD_DISSECTORS) args.push('--disable-protocol', p);
    const xml = await new Promise<string>((resolve, reject) => {
      execFile('tshark', args, {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        // UTC for absolute times (tshark prints them in local time); an empty configuration
        // directory so no personal preference or profile applies.
        env: { ...process.env, TZ: 'UTC', WIRESHARK_CONFIG_DIR: dir, LC_ALL: 'C.UTF-8' },
      }, (err, stdout, stderr) => {
        if (err) reject(new Error(`tshark failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
    const packets = new Map<number, Packet>();
    for (const p of parsePdml(xml)) packets.set(p.frame, p);
    return packets;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- PDML ----

const TAG = /<(\/?)(packet|proto|field)\b((?:\s+[\w.:-]+="[^"]*")*)\s*(\/?)>/g;
const ATTR = /([\w.:-]+)="([^"]*)"/g;

function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    switch (e) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
      default: return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

/** Parses tshark's PDML into packets. Only <packet>, <proto> and <field> elements exist in it. */
export function parsePdml(xml: string): Packet[] {
  const packets: Packet[] = [];
  let stack: PdmlNode[] = [];
  let root: PdmlNode | null = null;
  for (const m of xml.matchAll(TAG)) {
    const [, closing, tag, attrText, selfClosing] = m;
    if (tag === 'packet') {
      if (!closing) {
        root = { name: '', label: '', show: '', pos: 0, size: 0, hidden: false, isProto: true, children: [] };
        stack = [root];
      } else if (root) {
        packets.push(toPacket(root));
        root = null;
      }
      continue;
    }
    if (closing) {
      stack.pop();
      continue;
    }
    const a: Record<string, string> = {};
    for (const [, k, v] of attrText.matchAll(ATTR)) a[k] = unescapeXml(v);
    const node: PdmlNode = {
      name: a.name ?? '',
      label: a.showname ?? a.show ?? '',
      show: a.show ?? '',
      value: a.value,
      pos: Number(a.pos ?? 0),
      size: Number(a.size ?? 0),
      hidden: a.hide === 'yes',
      isProto: tag === 'proto',
      children: [],
    };
    stack[stack.length - 1]?.children.push(node);
    if (!selfClosing) stack.push(node);
  }
  return packets;
}

function toPacket(root: PdmlNode): Packet {
  const frameNum = Number(findFirst(root.children, 'frame.number')?.show ?? findFirst(root.children, 'num')?.show);
  const protocols = (findFirst(root.children, 'frame.protocols')?.show ?? '').split(':').filter(Boolean);
  const experts: ExpertInfo[] = [];
  const visit = (n: PdmlNode, proto: PdmlNode, parent: PdmlNode | null): void => {
    const here = n.isProto ? n : proto;
    if (n.name === '_ws.expert') {
      const sev = Number(n.children.find((c) => c.name === '_ws.expert.severity')?.show);
      experts.push({
        severity: SEVERITY[sev] ?? 'error',
        group: (n.children.find((c) => c.name === '_ws.expert.group')?.label ?? '').replace(/^Group: /, ''),
        message: n.children.find((c) => c.name === '_ws.expert.message')?.show ?? n.label,
        protocol: here.name,
        protocolLabel: here.label,
        field: parent?.name ?? '',
      });
    }
    for (const c of n.children) visit(c, here, n);
  };
  for (const p of root.children) visit(p, p, null);
  return { frame: frameNum, protocols, protos: root.children, experts };
}

// ---- tree helpers ----

/** Depth-first, document order: every node named `name` under the given nodes. */
export function findAll(nodes: readonly PdmlNode[], name: string, out: PdmlNode[] = []): PdmlNode[] {
  for (const n of nodes) {
    if (n.name === name) out.push(n);
    findAll(n.children, name, out);
  }
  return out;
}

export function findFirst(nodes: readonly PdmlNode[], name: string): PdmlNode | undefined {
  for (const n of nodes) {
    if (n.name === name) return n;
    const f = findFirst(n.children, name);
    if (f) return f;
  }
  return undefined;
}

/** Raw bytes of a node (its PDML "value"). */
export function nodeBytes(n: PdmlNode): Uint8Array {
  return Uint8Array.from(Buffer.from(n.value ?? '', 'hex'));
}

/** Expert infos the failure policy counts (warnings and errors). */
export function problemsOf(p: Packet): ExpertInfo[] {
  return p.experts.filter((e) => e.severity === 'warning' || e.severity === 'error');
}

export function describeExpert(e: ExpertInfo): string {
  const where = e.protocol === '_ws.malformed' ? e.protocolLabel : e.protocol;
  return `${e.severity}/${e.group} in ${where}${e.field && e.field !== e.protocol ? ` (${e.field})` : ''}: ${e.message}`;
}
