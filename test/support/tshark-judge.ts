// The judge: puts a batch of PDUs into one capture the way they travel (MMS PDUs in HTTP
// exchanges, WAP pushes as connectionless WSP over UDP, SMS TPDUs bare for gsm_sms with their
// direction), runs tshark once, and returns per PDU what tshark made of it: problems (warnings
// and errors, see tshark.ts) and a typed view of its fields (tshark-views.ts).
import { Capture, type SmsDirection } from './pcap.js';
import { describeExpert, findFirst, problemsOf, runTshark, type ExpertInfo, type Packet } from './tshark.js';
import { hitsTrailing0x84, isMmseMalformed, MMSE_TRAILING_VALUE_0X84 } from './tshark-known-bugs.js';
import { mmsView, pushView, smsView, topProto, type MmsView, type PushView, type SmsView } from './tshark-views.js';

export type Sample =
  /** An MMS PDU (application/vnd.wap.mms-message), carried in HTTP. */
  | { kind: 'mms'; id: string; pdu: Uint8Array }
  /** A connectionless WSP push PDU (TID, 0x06, headers, body), carried in UDP to port 2948. */
  | { kind: 'push'; id: string; pdu: Uint8Array }
  /**
   * A bare SMS TPDU (no SMSC address). Segments of one concatenated message share `message`
   * and are judged in order; tshark reassembles them and dissects the whole in the last one.
   */
  | { kind: 'sms'; id: string; tpdu: Uint8Array; direction: SmsDirection; message?: string };

export interface Verdict {
  sample: Sample;
  frame: number;
  packet: Packet;
  /** Warnings and errors tshark raised for this PDU that no known bug explains. */
  problems: ExpertInfo[];
  /** Problems a known dissector bug explains, with the bug's id. */
  excused: { expert: ExpertInfo; bug: string }[];
  mms?: MmsView;
  push?: PushView;
  sms?: SmsView;
}

export interface Judgement {
  verdicts: Verdict[];
  /** Packets with problems that belong to no PDU (handshakes, ACKs): pcap writer bugs. */
  stray: Packet[];
}

// Who sends which MMS PDU on MM1 decides whether it travels in a request or a response body:
// the relay's PDUs (confirmations, retrieved messages, and those normally pushed) answer a GET;
// the phone's PDUs are POSTed.
const RELAY_SENDS = new Set([0x81, 0x82, 0x84, 0x86, 0x88, 0x8a, 0x8c, 0x8e, 0x90, 0x92, 0x93, 0x95, 0x97]);
const MMS_TYPE = 'application/vnd.wap.mms-message';

export function httpPath(index: number): string {
  return `/mms/${index}`;
}

/** Judges a batch with one tshark run. */
export async function judge(samples: readonly Sample[]): Promise<Judgement> {
  const cap = new Capture();
  const frames: number[] = [];
  const conversations = new Map<string, number>();
  let nextConversation = 0;
  samples.forEach((s, i) => {
    if (s.kind === 'mms') {
      const path = httpPath(i);
      const relay = s.pdu.length >= 2 && s.pdu[0] === 0x8c && RELAY_SENDS.has(s.pdu[1]);
      const f = relay
        ? cap.httpExchange({
            request: { startLine: `GET ${path} HTTP/1.1`, headers: ['Host: mmsc.test'] },
            response: { startLine: 'HTTP/1.1 200 OK', contentType: MMS_TYPE, body: s.pdu },
          })
        : cap.httpExchange({
            request: { startLine: `POST ${path} HTTP/1.1`, headers: ['Host: mmsc.test'], contentType: MMS_TYPE, body: s.pdu },
            response: { startLine: 'HTTP/1.1 204 No Content' },
          });
      frames.push(relay ? f.response : f.request);
    } else if (s.kind === 'push') {
      frames.push(cap.wspPush(s.pdu));
    } else {
      let conv = s.message !== undefined ? conversations.get(s.message) : undefined;
      if (conv === undefined) {
        conv = nextConversation++;
        if (s.message !== undefined) conversations.set(s.message, conv);
      }
      frames.push(cap.smsTpdu(s.tpdu, s.direction, conv));
    }
  });
  const packets = await runTshark(cap.toBytes(), { frames });
  const mine = new Set(frames);
  const stray = [...packets.values()].filter((p) => !mine.has(p.frame) && problemsOf(p).length > 0);
  const verdicts = samples.map((sample, i) => {
    const packet = packets.get(frames[i]);
    if (!packet) throw new Error(`tshark returned no frame ${frames[i]} for ${sample.id}`);
    return verdictOf(sample, i, packet);
  });
  return { verdicts, stray };
}

function verdictOf(sample: Sample, index: number, packet: Packet): Verdict {
  const v: Verdict = { sample, frame: packet.frame, packet, problems: [], excused: [] };
  if (sample.kind === 'mms') {
    // The frame must be the one carrying this sample's HTTP message (guards the frame mapping).
    const uri = findFirst(packet.protos, 'http.request.uri') ?? findFirst(packet.protos, 'http.response_for.uri');
    if (!uri || !uri.show.endsWith(httpPath(index))) {
      throw new Error(`frame ${packet.frame} is not the HTTP message of ${sample.id} (${uri?.show})`);
    }
    const mmse = topProto(packet, 'mmse');
    if (mmse) v.mms = mmsView(mmse);
  } else if (sample.kind === 'push') {
    const wsp = topProto(packet, 'wsp');
    if (wsp) v.push = pushView(wsp, packet.protos);
  } else {
    const sms = topProto(packet, 'gsm_sms');
    if (sms) v.sms = smsView(sms);
  }
  const mmse = findFirst(packet.protos, 'mmse');
  const trailing0x84 = mmse !== undefined && hitsTrailing0x84(mmse);
  for (const e of problemsOf(packet)) {
    if (trailing0x84 && isMmseMalformed(e)) v.excused.push({ expert: e, bug: MMSE_TRAILING_VALUE_0X84.id });
    else v.problems.push(e);
  }
  return v;
}

/** One line per problem, for assertion messages. */
export function describeVerdict(v: Verdict): string {
  return `${v.sample.id} (frame ${v.frame}): ${v.problems.map(describeExpert).join('; ') || 'no problems'}`;
}
