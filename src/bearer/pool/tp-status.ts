// TP-Status of an SMS-STATUS-REPORT (3GPP TS 23.040 §9.2.3.15), as a job's outcome: what the
// SMSC says happened to one SMS, and whether it is final.

export type TpStatusOutcome = 'delivered' | 'pending' | 'failed';

const NAMES: Record<number, string> = {
  0x00: 'received by the phone',
  0x01: 'forwarded to the phone, delivery not confirmed',
  0x02: 'replaced by the SMSC',
  0x20: 'congestion (SMSC still trying)',
  0x21: 'phone busy (SMSC still trying)',
  0x22: 'no response from the phone (SMSC still trying)',
  0x23: 'service rejected (SMSC still trying)',
  0x24: 'quality of service not available (SMSC still trying)',
  0x25: 'error in the phone (SMSC still trying)',
  0x40: 'remote procedure error',
  0x41: 'incompatible destination',
  0x42: 'connection rejected by the phone',
  0x43: 'not obtainable',
  0x44: 'quality of service not available',
  0x45: 'no interworking available',
  0x46: 'validity period expired',
  0x47: 'deleted by the originator',
  0x48: 'deleted by the SMSC administration',
  0x49: 'the message does not exist',
  0x60: 'congestion (SMSC gave up)',
  0x61: 'phone busy (SMSC gave up)',
  0x62: 'no response from the phone (SMSC gave up)',
  0x63: 'service rejected (SMSC gave up)',
  0x64: 'quality of service not available (SMSC gave up)',
  0x65: 'error in the phone (SMSC gave up)',
};

/**
 * 0x00-0x1F completed (delivered, or forwarded/replaced: the network's last word is success);
 * 0x20-0x3F the SMSC is still trying; 0x40-0x5F permanent error and 0x60-0x7F temporary error
 * after which the SMSC stopped trying: both final failures. Reserved values (0x80+) are read
 * as failures: the SMSC sent a status it does not define as success.
 */
export function tpStatusOutcome(st: number): TpStatusOutcome {
  if (st < 0x20) return 'delivered';
  if (st < 0x40) return 'pending';
  return 'failed';
}

/** "not obtainable (TP-ST 0x43)". */
export function describeTpStatus(st: number): string {
  const hex = `0x${st.toString(16).toUpperCase().padStart(2, '0')}`;
  const name = NAMES[st] ?? (st < 0x20 ? 'completed (SMSC-specific)' : st < 0x40 ? 'SMSC still trying (SMSC-specific)' : st < 0x80 ? 'failed (SMSC-specific)' : 'reserved value');
  return `${name} (TP-ST ${hex})`;
}
