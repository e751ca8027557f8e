// The inbox against a scripted modem (ofono-style SEND/RECEIVE steps): a modem reuses a memory
// slot as soon as +CMGD freed it, and may announce the new message (+CMTI on the same slot)
// before the host has finished with the old one. That announcement must lead to a read, not
// wait for the next poll.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Inbox } from '../../src/bearer/modem/inbox.js';
import { Session } from '../../src/bearer/modem/session.js';
import { DEFAULT_TIMEOUTS, type IncomingPdu } from '../../src/bearer/modem/types.js';
import { ScriptedPort } from '../../src/bearer/simulator/scripted.js';
import { encodeSms, segmentText, toHex } from '../../src/codec/sms/index.js';

const logger = pino({ level: 'silent' });

/** The two parts of a concatenated SMS-DELIVER, as +CMGR PDU lines (with the SMSC prefix). */
function deliverParts(): string[] {
  const submits = segmentText('x'.repeat(200), { destination: { ton: 'international', npi: 'isdn', number: '15550000101' }, ref: 7 });
  return submits.map((s) => {
    const tpdu = {
      type: 'SMS-DELIVER' as const, moreMessagesToSend: false, loopPrevention: false, statusReportIndication: false, replyPath: false,
      originator: { ton: 'international' as const, npi: 'isdn' as const, number: '15552000001' }, pid: 0, dcs: s.dcs,
      scts: { year: 2026, month: 11, day: 22, hour: 12, minute: 0, second: 0, tz: 4 }, udh: s.udh, text: s.text,
    };
    return toHex(encodeSms({ sca: null, tpdu }));
  });
}

describe('inbox', () => {
  it('reads a slot again when it is announced anew while being read', async () => {
    const [p1, p2] = deliverParts();
    const len = (hex: string) => hex.length / 2 - 1;
    const port = new ScriptedPort([
      { expect: 'AT+CPMS="SM"\r', reply: '\r\n+CPMS: 1,30,1,30,1,30\r\n\r\nOK\r\n' },
      { expect: 'AT+CMGR=0\r', reply: `\r\n+CMGR: 0,,${len(p1)}\r\n${p1}\r\n\r\nOK\r\n` },
      // the modem frees slot 0, stores the second part there at once and says so mid-answer
      { expect: 'AT+CMGD=0\r', reply: ['\r\n+CMTI: "SM",0\r\n', '\r\nOK\r\n'] },
      { expect: 'AT+CMGR=0\r', reply: `\r\n+CMGR: 0,,${len(p2)}\r\n${p2}\r\n\r\nOK\r\n` },
      { expect: 'AT+CMGD=0\r', reply: '\r\nOK\r\n' },
    ]);
    const s = new Session({ path: '/dev/scripted', stream: port, close: async () => undefined }, logger, { ...DEFAULT_TIMEOUTS, command: 500, settle: 10 });
    const got: IncomingPdu[] = [];
    const inbox = new Inbox({
      log: logger, session: () => s, imei: () => '350155500001019', routingLost: () => undefined,
      onSms: async (m) => {
        got.push(m);
        await new Promise((r) => setTimeout(r, 5)); // a durable commit takes a moment
      },
    });
    s.chat.onUnsolicited('+CMTI:', (line) => inbox.stored('SM', Number(/,(\d+)/.exec(line)![1]), 'sms'));
    inbox.stored('SM', 0, 'sms');
    await new Promise((r) => setTimeout(r, 50));
    await inbox.idle();
    expect(port.mismatches).toEqual([]);
    expect(port.remaining).toBe(0);
    expect(got.map((m) => m.hex)).toEqual([p1, p2].map((h) => h.toUpperCase()));
  });
});
