// Sending: AT+CMGS=<length>, the prompt, the hex PDU and Ctrl-Z (written by the chat), and
// +CMGS: <mr>. The segments of one message go out with AT+CMMS=1 first, so the modem keeps
// the radio link between them instead of setting it up for each.
import { parseCmgs } from './at-parse.js';
import { ModemError, ModemSendError } from './errors.js';
import { Quirk } from './quirks.js';
import type { Session } from './session.js';
import type { AtPdu } from './types.js';

/** Checks an AT PDU: even hex, and <length> equal to the octets after the SMSC address. */
export function checkAtPdu(p: AtPdu, i: number): void {
  const bad = (why: string): never => {
    throw new ModemError('BAD_ARGUMENT', `segment ${i + 1}: ${why}`, { class: 'permanent', scope: 'message' });
  };
  if (typeof p.hex !== 'string' || p.hex.length < 4 || p.hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(p.hex)) {
    bad('the PDU is not an even number of hex digits');
  }
  const sca = parseInt(p.hex.slice(0, 2), 16);
  const tpdu = p.hex.length / 2 - 1 - sca;
  if (!Number.isInteger(p.length) || p.length !== tpdu) bad(`<length> ${p.length} but the TPDU after the SMSC address has ${tpdu} octets`);
  if (tpdu < 7 || tpdu > 175) bad(`a TPDU of ${tpdu} octets cannot be an SMS-SUBMIT`);
}

/**
 * Sends the segments in order; resolves with their TP-MRs. On a failure, throws a
 * ModemSendError saying which segments went out and whether the failing one may have.
 * `onSegment` hears each +CMGS answer as it comes, so a caller can record it durably before
 * the next segment's answer (a crash then never resends a segment the network took).
 */
export async function sendPdus(s: Session, pdus: AtPdu[], onSegment?: (index: number, mr: number | null) => void): Promise<(number | null)[]> {
  const mrs: (number | null)[] = [];
  if (pdus.length > 1 && s.cmms !== false && (s.vendor.quirks & Quirk.NoCmms) === 0) {
    try {
      s.cmms = (await s.tryAt('AT+CMMS=1')) !== null;
      if (!s.cmms) s.log.debug('modem has no +CMMS: segments are sent without keeping the link');
    } catch (err) {
      throw new ModemSendError(err as ModemError, [], 0, false);
    }
  }
  for (let i = 0; i < pdus.length; i++) {
    const p = pdus[i];
    try {
      const r = await s.at(`AT+CMGS=${p.length}`, {
        pdu: p.hex.toUpperCase(),
        prefixes: ['+CMGS:'],
        timeoutMs: s.timeouts.send,
        promptTimeoutMs: s.timeouts.prompt,
      });
      const line = r.lines.find((l) => /^\+CMGS:/i.test(l));
      let mr: number | null = null;
      if (line) {
        try {
          mr = parseCmgs(line);
        } catch {
          mr = null;
        }
      }
      mrs.push(mr);
      if (onSegment) {
        try {
          onSegment(i, mr);
        } catch (err) {
          s.log.warn({ err: (err as Error).message, segment: i + 1 }, 'onSegment listener failed');
        }
      }
    } catch (err) {
      const e = err instanceof ModemError ? err : new ModemError('AT_ERROR', String(err), { cause: err });
      // Refused by the modem or the network (+CMS ERROR, ERROR): not sent. No answer after the
      // PDU was written, or the port gone then: it may have been.
      const maybe = e.pduWritten && (e.code === 'TIMEOUT' || e.code === 'PORT_CLOSED' || e.code === 'CLOSED');
      throw new ModemSendError(e, mrs.slice(), i, maybe);
    }
  }
  return mrs;
}
