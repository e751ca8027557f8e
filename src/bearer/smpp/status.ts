// SMPP 3.4 command_status values (§5.1.3, table 5-2): names, what they mean, and what a sender
// does about them. Temporary means "the same message may go through later" (the SMSC is busy,
// throttling, or our bind is in a bad state); everything else is refused for good, as Kannel
// treats it: retrying a bad destination or a message the SMSC will not take only wastes the
// outbox's attempts.

export type SmppStatusKind = 'ok' | 'temporary' | 'permanent';

export interface CommandStatus {
  code: number;
  /** ESME_R* name, or "0x000004F1 (vendor-specific)" / "(reserved)" for codes not in 3.4. */
  name: string;
  description: string;
  kind: SmppStatusKind;
  /** For temporary ones: how long to leave the message before trying again. */
  retryAfterMs?: number;
}

type Row = [code: number, name: string, description: string, kind?: SmppStatusKind, retryAfterMs?: number];

const T = 'temporary';

const ROWS: Row[] = [
  [0x00, 'ESME_ROK', 'no error', 'ok'],
  [0x01, 'ESME_RINVMSGLEN', 'message length is invalid'],
  [0x02, 'ESME_RINVCMDLEN', 'command length is invalid'],
  [0x03, 'ESME_RINVCMDID', 'invalid command ID'],
  // The SMSC does not consider us bound: the link is re-bound, then the message goes again.
  [0x04, 'ESME_RINVBNDSTS', 'incorrect bind status for the given command', T, 5_000],
  [0x05, 'ESME_RALYBND', 'ESME already in bound state'],
  [0x06, 'ESME_RINVPRTFLG', 'invalid priority flag'],
  [0x07, 'ESME_RINVREGDLVFLG', 'invalid registered delivery flag'],
  [0x08, 'ESME_RSYSERR', 'system error', T, 10_000],
  [0x0a, 'ESME_RINVSRCADR', 'invalid source address'],
  [0x0b, 'ESME_RINVDSTADR', 'invalid destination address'],
  [0x0c, 'ESME_RINVMSGID', 'message ID is invalid'],
  [0x0d, 'ESME_RBINDFAIL', 'bind failed'],
  [0x0e, 'ESME_RINVPASWD', 'invalid password'],
  [0x0f, 'ESME_RINVSYSID', 'invalid system ID'],
  [0x11, 'ESME_RCANCELFAIL', 'cancel_sm failed'],
  [0x13, 'ESME_RREPLACEFAIL', 'replace_sm failed'],
  // Usually the recipient's queue at the SMSC (a phone off for long): give it a minute.
  [0x14, 'ESME_RMSGQFUL', 'message queue full', T, 60_000],
  [0x15, 'ESME_RINVSERTYP', 'invalid service type'],
  [0x33, 'ESME_RINVNUMDESTS', 'invalid number of destinations'],
  [0x34, 'ESME_RINVDLNAME', 'invalid distribution list name'],
  [0x40, 'ESME_RINVDESTFLAG', 'destination flag is invalid (submit_multi)'],
  [0x42, 'ESME_RINVSUBREP', "invalid 'submit with replace' request"],
  [0x43, 'ESME_RINVESMCLASS', 'invalid esm_class field data'],
  [0x44, 'ESME_RCNTSUBDL', 'cannot submit to distribution list'],
  [0x45, 'ESME_RSUBMITFAIL', 'submit_sm or submit_multi failed'],
  [0x48, 'ESME_RINVSRCTON', 'invalid source address TON'],
  [0x49, 'ESME_RINVSRCNPI', 'invalid source address NPI'],
  [0x50, 'ESME_RINVDSTTON', 'invalid destination address TON'],
  [0x51, 'ESME_RINVDSTNPI', 'invalid destination address NPI'],
  [0x53, 'ESME_RINVSYSTYP', 'invalid system_type field'],
  [0x54, 'ESME_RINVREPFLAG', 'invalid replace_if_present flag'],
  [0x55, 'ESME_RINVNUMMSGS', 'invalid number of messages'],
  // The pause itself comes from the bearer's throttle back-off, not from this row.
  [0x58, 'ESME_RTHROTTLED', 'throttling error (ESME has exceeded allowed message limits)', T, 1_000],
  [0x61, 'ESME_RINVSCHED', 'invalid scheduled delivery time'],
  [0x62, 'ESME_RINVEXPIRY', 'invalid message validity period (expiry time)'],
  [0x63, 'ESME_RINVDFTMSGID', 'predefined message invalid or not found'],
  [0x64, 'ESME_RX_T_APPN', 'ESME receiver temporary app error code', T, 30_000],
  [0x65, 'ESME_RX_P_APPN', 'ESME receiver permanent app error code'],
  [0x66, 'ESME_RX_R_APPN', 'ESME receiver reject message error code'],
  [0x67, 'ESME_RQUERYFAIL', 'query_sm request failed'],
  [0xc0, 'ESME_RINVOPTPARSTREAM', 'error in the optional part of the PDU body'],
  [0xc1, 'ESME_ROPTPARNOTALLWD', 'optional parameter not allowed'],
  [0xc2, 'ESME_RINVPARLEN', 'invalid parameter length'],
  [0xc3, 'ESME_RMISSINGOPTPARAM', 'expected optional parameter missing'],
  [0xc4, 'ESME_RINVOPTPARAMVAL', 'invalid optional parameter value'],
  [0xfe, 'ESME_RDELIVERYFAILURE', 'delivery failure (data_sm_resp)'],
  [0xff, 'ESME_RUNKNOWNERR', 'unknown error'],
];

const BY_CODE = new Map<number, CommandStatus>(
  ROWS.map(([code, name, description, kind = 'permanent', retryAfterMs]) => [
    code,
    Object.freeze(retryAfterMs === undefined ? { code, name, description, kind } : { code, name, description, kind, retryAfterMs }),
  ]),
);

const BY_NAME = new Map<string, number>(ROWS.map(([code, name]) => [name, code]));

/** The command_status codes SMPP 3.4 defines, in order. */
export const SMPP_STATUS_CODES: readonly number[] = ROWS.map((r) => r[0]);

const hex = (code: number): string => `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

/** What a command_status means. Codes outside the table are permanent errors, named by range. */
export function smppStatus(code: number): CommandStatus {
  const known = BY_CODE.get(code);
  if (known) return known;
  const vendor = code >= 0x400 && code <= 0x4ff;
  return {
    code,
    name: `${hex(code)} (${vendor ? 'vendor-specific' : 'reserved'})`,
    description: vendor ? 'SMSC vendor-specific error' : 'not an SMPP 3.4 status',
    kind: 'permanent',
  };
}

/** Code of an ESME_R* name (undefined for names not in SMPP 3.4). */
export function smppStatusCode(name: string): number | undefined {
  return BY_NAME.get(name);
}

/** "ESME_RINVDSTADR (0x0000000B: invalid destination address)". */
export function describeStatus(code: number): string {
  const s = smppStatus(code);
  return BY_CODE.has(code) ? `${s.name} (${hex(code)}: ${s.description})` : `${s.name}: ${s.description}`;
}
