import { describe, expect, it } from 'vitest';
import { classifyFinal, finalError } from '../../src/bearer/modem/at-chat.js';
import {
  ModemError, ModemSendError, cmeError, cmeErrorFromText, cmsError, cmsErrorFromText, readErrorValue,
} from '../../src/bearer/modem/errors.js';

describe('+CMS ERROR table (27.005 §3.2.5, 24.011 E-2, 23.040 §9.2.3.22)', () => {
  it('classes what can never go through as permanent', () => {
    for (const [code, reason] of [
      [1, 'unassigned-number'], [8, 'operator-determined-barring'], [10, 'call-barred'], [21, 'transfer-rejected'],
      [0xc3, 'invalid-sme-address'], [0xc4, 'destination-barred'], [304, 'invalid-pdu-parameter'], [96, 'invalid-mandatory-information'],
    ] as const) {
      const e = cmsError(code);
      expect(e.reason).toBe(reason);
      expect(e.class).toBe('permanent');
    }
  });

  it('classes what a later try (or another modem) may get through as temporary', () => {
    for (const [code, reason] of [
      [38, 'network-out-of-order'], [41, 'temporary-failure'], [42, 'congestion'], [17, 'network-failure'],
      [322, 'memory-full'], [332, 'network-timeout'], [0xc0, 'sc-busy'], [331, 'no-network-service'], [310, 'sim-not-inserted'],
    ] as const) {
      const e = cmsError(code);
      expect(e.reason).toBe(reason);
      expect(e.class).toBe('temporary');
    }
  });

  it('says whether the message or the modem is at fault', () => {
    expect(cmsError(1).scope).toBe('message');
    expect(cmsError(331).scope).toBe('modem');
    expect(cmsError(311).scope).toBe('modem');
    expect(cmsError(321).scope).toBe('command');
  });

  it('names every RP-cause of 24.011 Annex E-2 that a network returns', () => {
    for (const c of [1, 8, 10, 17, 21, 22, 27, 28, 29, 30, 38, 41, 42, 47, 50, 69, 81, 95, 96, 97, 98, 99, 111, 127]) {
      expect(cmsError(c).reason).not.toBe('unknown');
    }
  });

  it('keeps unlisted and vendor values temporary, with their number', () => {
    expect(cmsError(2)).toMatchObject({ code: 2, reason: 'unknown', class: 'temporary' });
    expect(cmsError(515)).toMatchObject({ code: 515, reason: 'manufacturer-specific', class: 'temporary' });
    expect(cmsError(500)).toMatchObject({ reason: 'unknown', class: 'temporary' });
  });

  it('maps verbose texts (+CMEE=2) to the same names', () => {
    expect(cmsErrorFromText('Invalid PDU mode parameter')?.code).toBe(304);
    expect(cmsErrorFromText('(U)SIM not inserted')?.code).toBe(310);
    expect(cmsErrorFromText('SIM PIN required')?.code).toBe(311);
    expect(cmsErrorFromText('Unassigned (unallocated) number')?.reason).toBe('unassigned-number');
    expect(cmsErrorFromText('unknown error')?.code).toBe(500);
    expect(cmsErrorFromText('no such thing')).toBeNull();
    expect(readErrorValue('CMS', ' "network timeout"')).toMatchObject({ code: 332, class: 'temporary' });
    expect(readErrorValue('CMS', 'Frobnicator jammed')).toMatchObject({ code: -1, text: 'Frobnicator jammed', class: 'temporary' });
  });
});

describe('+CME ERROR table (27.007 §9.2)', () => {
  it('names SIM and PIN conditions', () => {
    expect(cmeError(10).reason).toBe('sim-not-inserted');
    expect(cmeError(11).reason).toBe('sim-pin-required');
    expect(cmeError(12).reason).toBe('sim-puk-required');
    expect(cmeError(16).reason).toBe('incorrect-password');
    expect(cmeError(30)).toMatchObject({ reason: 'no-network-service', class: 'temporary', scope: 'modem' });
    expect(cmeErrorFromText('incorrect password')?.code).toBe(16);
    expect(cmeErrorFromText('SIM PIN required')?.code).toBe(11);
    expect(cmeError(999)).toMatchObject({ reason: 'manufacturer-specific', class: 'temporary' });
  });
});

describe('final results and ModemError', () => {
  it('recognises the final results, vendor ones included, and nothing else', () => {
    expect(classifyFinal('OK')?.kind).toBe('ok');
    expect(classifyFinal('ERROR')?.kind).toBe('error');
    expect(classifyFinal('+CMS ERROR: 38')?.kind).toBe('cms');
    expect(classifyFinal('+CME ERROR: SIM busy')?.kind).toBe('cme');
    expect(classifyFinal('COMMAND NOT SUPPORT')?.kind).toBe('error');
    expect(classifyFinal('NO CARRIER')?.kind).toBe('error');
    expect(classifyFinal('+CMGS: 3')).toBeNull();
    expect(classifyFinal('OKAY')).toBeNull();
    expect(classifyFinal('SEND FAIL', new Map([['SEND FAIL', 'error']]))?.kind).toBe('error');
  });

  it('turns an error result into a ModemError with its class', () => {
    const e = finalError({ kind: 'cms', line: '+CMS ERROR: 1' }, 'AT+CMGS=20', true);
    expect(e).toBeInstanceOf(ModemError);
    expect(e).toMatchObject({ code: 'CMS_ERROR', value: 1, reason: 'unassigned-number', class: 'permanent', command: 'AT+CMGS=20', pduWritten: true });
    expect(e.permanent).toBe(true);
    expect(e.message).toMatch(/\+CMS ERROR 1 \(Unassigned/);
    const v = finalError({ kind: 'cme', line: '+CME ERROR: SIM PIN required' }, 'AT+CIMI');
    expect(v).toMatchObject({ code: 'CME_ERROR', value: 11, reason: 'sim-pin-required', scope: 'modem' });
    expect(finalError({ kind: 'error', line: 'ERROR' }, 'AT+X')).toMatchObject({ code: 'AT_ERROR', scope: 'command' });
  });

  it('keeps in a ModemSendError what went out', () => {
    const cause = new ModemError('TIMEOUT', 'AT+CMGS=30: no final result', { pduWritten: true });
    const e = new ModemSendError(cause, [4, 5], 2, true);
    expect(e).toBeInstanceOf(ModemError);
    expect(e).toMatchObject({ code: 'TIMEOUT', sent: [4, 5], failedSegment: 2, maybeSent: true, class: 'temporary' });
    expect(e.failure).toBe(cause);
    expect(e.message).toMatch(/^segment 3: /);
  });
});
