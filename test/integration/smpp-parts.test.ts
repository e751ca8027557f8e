// The SMPP bearer's parts on their own: the command_status table (checked against npm smpp's),
// data_coding readings, the user data header, GSM national language tables through the codec,
// receipt parsing, receipt correlation across id bases and races, the raw deliver_sm reader's
// errors, and the pacer.
import smpp from 'smpp';
import { describe, expect, it } from 'vitest';
import {
  Pacer, ReceiptTracker, SMPP_STATUS_CODES, SmppBodyError, describeStatus, readReceipt, readShortMessagePdu, readUdh,
  readUserData, readingOf, smppAddressOf, smppStatus, smppStatusCode, type Receipt, type ShortMessagePdu,
} from '../../src/bearer/smpp/index.js';

describe('command_status table', () => {
  // SMPP 5.0 renamed the TLV errors; 3.4 calls them optional parameters.
  const RENAMED: Record<string, string> = {
    ESME_RINVTLVSTREAM: 'ESME_RINVOPTPARSTREAM', ESME_RTLVNOTALLWD: 'ESME_ROPTPARNOTALLWD', ESME_RINVTLVLEN: 'ESME_RINVPARLEN',
    ESME_RMISSINGTLV: 'ESME_RMISSINGOPTPARAM', ESME_RINVTLVVAL: 'ESME_RINVOPTPARAMVAL',
  };

  it('knows every SMPP 3.4 code npm smpp knows, under the same name', () => {
    const theirs = Object.entries(smpp.errors).filter(([, code]) => code < 0x100);
    expect(theirs.length).toBe(48);
    for (const [name, code] of theirs) {
      expect(smppStatus(code).name, `0x${code.toString(16)}`).toBe(RENAMED[name] ?? name);
      expect(smppStatusCode(RENAMED[name] ?? name)).toBe(code);
    }
    expect([...SMPP_STATUS_CODES].sort((a, b) => a - b)).toEqual(theirs.map(([, c]) => c).sort((a, b) => a - b));
  });

  it('treats only busy, throttled, system and bind-state errors as temporary', () => {
    const temporary = SMPP_STATUS_CODES.filter((c) => smppStatus(c).kind === 'temporary').map((c) => smppStatus(c).name);
    expect(temporary).toEqual(['ESME_RINVBNDSTS', 'ESME_RSYSERR', 'ESME_RMSGQFUL', 'ESME_RTHROTTLED', 'ESME_RX_T_APPN']);
    expect(smppStatus(0).kind).toBe('ok');
    expect(smppStatus(0x0b).kind).toBe('permanent');
  });

  it('names codes outside SMPP 3.4 by their range', () => {
    expect(describeStatus(0x0b)).toBe('ESME_RINVDSTADR (0x0000000B: invalid destination address)');
    expect(describeStatus(0x4f1)).toBe('0x000004F1 (vendor-specific): SMSC vendor-specific error');
    expect(describeStatus(0x109)).toBe('0x00000109 (reserved): not an SMPP 3.4 status');
    expect(smppStatus(0x4f1).kind).toBe('permanent');
  });
});

describe('addresses and data_coding', () => {
  it('derives TON/NPI from the written form', () => {
    expect(smppAddressOf('+4790000001')).toEqual({ ton: 1, npi: 1, addr: '4790000001' });
    expect(smppAddressOf('2244')).toEqual({ ton: 0, npi: 1, addr: '2244' });
    expect(smppAddressOf('MMS Centre')).toEqual({ ton: 5, npi: 0, addr: 'MMS Centre' });
    expect(smppAddressOf('')).toEqual({ ton: 0, npi: 0, addr: '' });
  });

  it('reads data_coding by SMPP\'s table below 0x10 and by 23.038 above', () => {
    const table: [number, string][] = [
      [0x00, 'gsm7'], [0x01, 'latin1'], [0x02, 'octets'], [0x03, 'latin1'], [0x04, 'octets'], [0x05, 'octets'],
      [0x06, 'iso-8859-5'], [0x07, 'iso-8859-8'], [0x08, 'ucs2'], [0x09, 'octets'], [0x0a, 'iso-2022-jp'], [0x0e, 'euc-kr'],
      [0x0f, 'octets'], [0x11, 'gsm7'], [0x15, 'octets'], [0x19, 'ucs2'], [0x24, 'octets'], [0xc0, 'gsm7'], [0xd8, 'gsm7'],
      [0xe0, 'ucs2'], [0xf0, 'gsm7'], [0xf4, 'octets'], [0xf5, 'octets'],
    ];
    expect(table.map(([dc]) => [dc, readingOf(dc, 'gsm7')])).toEqual(table);
    expect(readingOf(0, 'latin1')).toBe('latin1');
  });
});

describe('user data header', () => {
  const b = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

  it('reads the WAP push header of a concatenated part', () => {
    expect(readUdh(b('0b05040b8423f00003010201ff'))).toEqual({
      octets: 12, concat: { ref: 1, total: 2, seq: 1, refBits: 8 }, ports: { dest: 2948, src: 9200 }, lockingShift: null, singleShift: null,
    });
  });

  it('reads each element as 23.040 lays it out', () => {
    expect(readUdh(b('050003aa0302'))).toMatchObject({ octets: 6, concat: { ref: 0xaa, total: 3, seq: 2, refBits: 8 } });
    expect(readUdh(b('06080412340302'))).toMatchObject({ octets: 7, concat: { ref: 0x1234, total: 3, seq: 2, refBits: 16 } });
    expect(readUdh(b('0404021f00'))).toMatchObject({ ports: { dest: 0x1f, src: 0 } });
    expect(readUdh(b('0605040b8423f0'))).toMatchObject({ ports: { dest: 2948, src: 9200 } });
    expect(readUdh(b('06240101250102'))).toMatchObject({ singleShift: 'turkish', lockingShift: 'spanish' });
  });

  it('ignores concatenation elements with impossible numbers, as receivers must', () => {
    expect(readUdh(b('050003010300')).concat).toBeNull(); // seq 0
    expect(readUdh(b('050003010304')).concat).toBeNull(); // seq 4 of 3
    expect(readUdh(b('050003010000')).concat).toBeNull(); // 0 parts
  });

  it('refuses a header that runs past the message or an element past the header, naming where', () => {
    expect(() => readUdh(b('09000301'))).toThrow(/UDHL \(at byte 0\): 9 octets of header, 3 in the message/);
    expect(() => readUdh(b('03000501020304'))).toThrow(/UDH element 0x00 \(at byte 1\): 5 octets run past the header/);
    expect(() => readUdh(new Uint8Array(0))).toThrow(SmppBodyError);
  });

  it('reads GSM text in a national language locking shift table through the codec', () => {
    // UDH: locking shift, Turkish; npm smpp's Turkish table writes the septets
    const text = 'Ağır şey, İyi Çay';
    const septets = smpp.gsmCoder.encode(text, 1);
    const ud = readUserData(Buffer.concat([Buffer.from('03250101', 'hex'), septets]), 0x40, 0, 'gsm7');
    expect(ud.text).toBe(text);
    // without the header, the same septets are the default alphabet
    expect(readUserData(septets, 0, 0, 'gsm7').text).not.toBe(text);
  });

  it('drops a stray last octet of UCS-2 and says so', () => {
    const ud = readUserData(Uint8Array.of(0x00, 0x41, 0x00), 0, 8, 'gsm7');
    expect(ud).toMatchObject({ text: 'A', note: expect.stringMatching(/3 octets: the last one was dropped/) });
  });
});

describe('delivery receipts', () => {
  const pdu = (text: string, tlvs: [number, number[]][] = [], esmClass = 0x04): ShortMessagePdu => ({
    command: 'deliver_sm', serviceType: '', source: { ton: 1, npi: 1, addr: '1' }, destination: { ton: 0, npi: 0, addr: '' },
    esmClass, protocolId: 0, registeredDelivery: 0, dataCoding: 0, message: Buffer.from(text, 'latin1'),
    tlvs: new Map(tlvs.map(([t, v]) => [t, Uint8Array.from(v)])),
  });

  it('reads the Appendix B text', () => {
    expect(readReceipt(pdu('id:0123456789 sub:001 dlvrd:000 submit date:2611221830 done date:2611221900 stat:UNDELIV err:012 text:hello'))).toEqual({
      messageId: '0123456789', state: 'UNDELIV', status: 'failed', error: '012', intermediate: false,
    });
    expect(readReceipt(pdu('id:abc stat:DELIVRD err:000'))).toEqual({ messageId: 'abc', state: 'DELIVRD', status: 'delivered', intermediate: false });
    expect(readReceipt(pdu('ID:abc STAT:delivered'))?.state).toBe('DELIVRD');
    expect(readReceipt(pdu('stat:DELIVRD'))).toBeNull();
  });

  it('prefers receipted_message_id and message_state, and reads network_error_code', () => {
    const r = readReceipt(pdu('id:text-id stat:DELIVRD', [[0x001e, [...Buffer.from('tlv-id'), 0]], [0x0427, [5]], [0x0423, [3, 0, 34]]]));
    expect(r).toEqual({ messageId: 'tlv-id', state: 'UNDELIV', status: 'failed', error: 'network 3:34', intermediate: false });
  });

  it('reads ACCEPTD and ENROUTE, and intermediate notifications, as pending', () => {
    expect(readReceipt(pdu('id:1 stat:ACCEPTD'))?.status).toBe('pending');
    expect(readReceipt(pdu('id:1 stat:ENROUTE'))?.status).toBe('pending');
    expect(readReceipt(pdu('id:1 stat:UNDELIV', [], 0x20))).toMatchObject({ status: 'pending', intermediate: true });
    expect(readReceipt(pdu('id:1 stat:UNKNOWN'))?.status).toBe('failed');
  });
});

describe('receipt tracker', () => {
  const receipt = (messageId: string, state: Receipt['state'] = 'DELIVRD'): Receipt => ({
    messageId, state, status: state === 'DELIVRD' ? 'delivered' : state === 'ENROUTE' ? 'pending' : 'failed', intermediate: false,
  });

  it('matches ids across hex and decimal, leading zeros and case', () => {
    const t = new ReceiptTracker();
    t.sent('j1', 0, 1, '00ABCDEF', 0);
    expect(t.receipt(receipt(String(0xabcdef)), 1).report).toMatchObject({ jobId: 'j1', status: 'delivered' });
    t.sent('j2', 0, 1, '1234567', 0);
    expect(t.receipt(receipt((1234567).toString(16)), 1).jobId).toBe('j2');
    t.sent('j3', 0, 1, 'AbC', 0);
    expect(t.receipt(receipt('abc'), 1).jobId).toBe('j3');
  });

  it('refuses a number two segments could mean, unless the id matches exactly', () => {
    const t = new ReceiptTracker();
    t.sent('a', 0, 1, '100', 0); // the number 100 (decimal) or 256 (hex)
    t.sent('b', 0, 1, '64', 0); // the number 64 (decimal) or 100 (hex)
    expect(t.receipt(receipt('0064'), 1).jobId).toBeNull(); // 100: a or b
    expect(t.receipt(receipt('100'), 1).jobId).toBe('a');
    expect(t.receipt(receipt('256'), 1).jobId).toBe('a');
  });

  it('keeps a receipt that overtook its submit_sm_resp until the segment is known', () => {
    const t = new ReceiptTracker();
    expect(t.receipt(receipt('77'), 10)).toEqual({ report: null, jobId: null, segment: null });
    expect(t.sent('early', 0, 1, '77', 20)?.report).toEqual({ jobId: 'early', status: 'delivered', at: 10, detail: 'DELIVRD (message_id 77)' });
    const old = new ReceiptTracker(10, 1000);
    old.receipt(receipt('88'), 0);
    expect(old.sent('late', 0, 1, '88', 5000)).toBeNull();
  });

  it('holds a bounded number of jobs, forgetting the oldest', () => {
    const t = new ReceiptTracker(3);
    for (let i = 0; i < 5; i++) t.sent(`j${i}`, 0, 1, `id${i}`, 0);
    expect(t.size).toBe(3);
    expect(t.receipt(receipt('id0'), 1).jobId).toBeNull();
    expect(t.receipt(receipt('id4'), 1).jobId).toBe('j4');
  });
});

describe('raw deliver_sm reader', () => {
  const frame = (body: number[]): Uint8Array => {
    const b = Buffer.alloc(16 + body.length);
    b.writeUInt32BE(b.length, 0);
    b.writeUInt32BE(0x05, 4);
    b.set(body, 16);
    return b;
  };
  // service_type, source, destination, then esm_class .. sm_default_msg_id (schedule and validity
  // empty): 22 octets, so sm_length is at byte 38
  const head = [0, 1, 1, ...Buffer.from('47'), 0, 1, 1, ...Buffer.from('2244'), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

  it('reads a deliver_sm written by npm smpp', () => {
    const raw = new smpp.PDU('deliver_sm', {
      source_addr_ton: 1, source_addr_npi: 1, source_addr: '4790000001', destination_addr: '2244', esm_class: 0x40, data_coding: 8,
      short_message: Buffer.from('0500030a0201004f', 'hex'), sar_msg_ref_num: 7,
    }).toBuffer();
    const p = readShortMessagePdu(raw);
    expect(p).toMatchObject({ command: 'deliver_sm', source: { ton: 1, npi: 1, addr: '4790000001' }, destination: { addr: '2244' }, esmClass: 0x40, dataCoding: 8 });
    expect(Buffer.from(p.message).toString('hex')).toBe('0500030a0201004f');
    expect([...p.tlvs.get(0x020c)!]).toEqual([0, 7]);
  });

  it('names the field and the offset of what is wrong', () => {
    expect(() => readShortMessagePdu(frame([0x41, 0x42]))).toThrow(/service_type \(at byte 16\): no terminating NUL/);
    expect(() => readShortMessagePdu(frame([...head, 5, 1, 2]))).toThrow(/short_message \(at byte 39\): 5 octets announced, 2 left/);
    expect(() => readShortMessagePdu(frame([...head, 0, 0x04, 0x24, 0, 9, 1]))).toThrow(/TLV 0x0424 \(at byte 43\): 9 octets announced, 1 left/);
    expect(() => readShortMessagePdu(frame([...head, 0, 0x04]))).toThrow(/TLV \(at byte 39\): 1 stray octets after the last parameter/);
    expect(() => readShortMessagePdu(frame([...head, 1, 0x41, 0x04, 0x24, 0, 1, 0x42]))).toThrow(/message_payload: present together with a short_message/);
    expect(() => readShortMessagePdu(frame([...head, 5]))).toThrow(expect.objectContaining({ field: 'short_message', offset: 39, status: 0x01 }));
    expect([...readShortMessagePdu(frame([...head, 1, 0x41])).message]).toEqual([0x41]);
  });
});

describe('pacer', () => {
  it('spaces turns 1/rate apart and holds them all while told to', async () => {
    const p = new Pacer(50);
    const t0 = Date.now();
    const at: number[] = [];
    await Promise.all([0, 1, 2].map(async () => {
      await p.turn();
      at.push(Date.now() - t0);
    }));
    at.sort((a, b) => a - b);
    expect(at[2]).toBeGreaterThanOrEqual(38);
    p.hold(200);
    expect(p.heldUntil).toBeGreaterThan(Date.now());
    const t1 = Date.now();
    await p.turn();
    expect(Date.now() - t1).toBeGreaterThanOrEqual(190);
    expect(await p.turn(() => true)).toBe(false);
  });
});
