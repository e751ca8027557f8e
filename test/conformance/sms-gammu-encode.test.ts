// test/corpus/sms/gammu-at-sms-encode.jsonl: gammu's stored-message encoder fixtures (.backup INI
// message -> the PDU gammu writes with AT+CMGW), rebuilt byte-exactly with encodeSms.
import { describe, expect, it } from 'vitest';
import { decodeSms, encodeSms } from '../../src/codec/sms/index.js';
import { gammuEncodeFixtures } from '../support/corpus.js';
import { gammuMessage } from '../support/sms-fixtures.js';
import { hex } from './sms-corpus.js';

const fixtures = gammuEncodeFixtures();

describe('gammu at-sms-encode fixtures', () => {
  it('holds all 193', () => expect(fixtures.length).toBe(193));
  for (const f of fixtures) {
    it(`${f.id} (${f.encoder_input.Folder === '1' ? 'SMS-SUBMIT' : 'SMS-DELIVER'}, ${f.encoder_input.Coding}, SMSC ${f.encoder_input.SMSC}, to ${f.encoder_input.Number})`, () => {
      const msg = gammuMessage(f);
      const pdu = encodeSms(msg);
      expect(hex(pdu)).toBe(f.pdu_hex.toUpperCase());
      expect(decodeSms(pdu, { direction: f.encoder_input.Folder === '1' ? 'MO' : 'MT' })).toEqual(msg);
    });
  }
});
