import * as C from '../../assembly/shared/codes.js';

// Human names for the field ids the WASM reports (assembly/shared/codes.ts).
const NAMES = new Map<number, string>([
  [C.FIELD_NONE, 'PDU'],
  [C.FIELD_WSP_UINTVAR, 'WSP uintvar'],
  [C.FIELD_WSP_VALUE_LENGTH, 'WSP value-length'],
  [C.FIELD_WSP_TEXT, 'WSP text-string'],
  [C.FIELD_WSP_INTEGER, 'WSP integer-value'],
  [C.FIELD_WSP_CONTENT_TYPE, 'Content-Type'],
  [C.FIELD_WSP_PARAMETER, 'Content-Type parameter'],
  [C.FIELD_WSP_MULTIPART_COUNT, 'WSP multipart entry count'],
  [C.FIELD_WSP_PART_HEADERS_LENGTH, 'WSP multipart part headers length'],
  [C.FIELD_WSP_PART_DATA_LENGTH, 'WSP multipart part data length'],
  [C.FIELD_WSP_PART_HEADER, 'WSP multipart part header'],
  [C.FIELD_WSP_PUSH_TID, 'WSP push TID'],
  [C.FIELD_WSP_PDU_TYPE, 'WSP PDU type'],
  [C.FIELD_WSP_HEADERS_LENGTH, 'WSP push headers length'],
  [C.FIELD_WSP_HEADER, 'WSP header'],
  [C.FIELD_WSP_CHARSET, 'WSP charset'],
  [C.FIELD_WSP_DATE, 'WSP date-value'],
  [C.FIELD_MMS_MESSAGE_TYPE, 'X-Mms-Message-Type'],
  [C.FIELD_MMS_BODY, 'MMS body'],
  [C.FIELD_WSP_CONTENT_LOCATION, 'Content-Location'],
  [C.FIELD_WSP_CONTENT_ID, 'Content-ID'],
  [C.FIELD_WSP_CONTENT_DISPOSITION, 'Content-Disposition'],
  [C.FIELD_WSP_APPLICATION_ID, 'X-Wap-Application-Id'],
  [C.FIELD_WSP_CONTENT_LENGTH, 'Content-Length'],
  [C.FIELD_WSP_PUSH_FLAG, 'Push-Flag'],
  [C.FIELD_WSP_ENCODING_VERSION, 'Encoding-Version'],
  [C.FIELD_WSP_INITIATOR_URI, 'X-Wap-Initiator-URI'],
  [C.FIELD_WSP_NESTING, 'WSP multipart nesting'],
  [C.FIELD_WSP_CONTENT_TRANSFER_ENCODING, 'Content-Transfer-Encoding'],
  [C.FIELD_WSP_APP_HEADER, 'WSP application header'],
  [C.FIELD_MMS_HEADER_COUNT, 'MMS header field'],
  [C.FIELD_MMS_RECIPIENTS, 'MMS recipients (To/Cc/Bcc)'],
  [C.FIELD_MMS_APP_HEADER, 'MMS application header'],
  [C.FIELD_CODEC_TABLE, 'encode table'],
  [C.FIELD_WSP_PUSH_HEADERS, 'WSP push headers'],
  [C.FIELD_SMS_SCA, 'SMSC address'],
  [C.FIELD_SMS_FIRST_OCTET, 'TP-MTI/first octet'],
  [C.FIELD_SMS_MR, 'TP-MR'],
  [C.FIELD_SMS_OA, 'TP-OA'],
  [C.FIELD_SMS_DA, 'TP-DA'],
  [C.FIELD_SMS_RA, 'TP-RA'],
  [C.FIELD_SMS_PID, 'TP-PID'],
  [C.FIELD_SMS_DCS, 'TP-DCS'],
  [C.FIELD_SMS_SCTS, 'TP-SCTS'],
  [C.FIELD_SMS_DT, 'TP-DT'],
  [C.FIELD_SMS_VP, 'TP-VP'],
  [C.FIELD_SMS_ST, 'TP-ST'],
  [C.FIELD_SMS_UDL, 'TP-UDL'],
  [C.FIELD_SMS_UDH, 'TP-UDH'],
  [C.FIELD_SMS_UD, 'TP-UD'],
  [C.FIELD_SMS_PI, 'TP-PI'],
  [C.FIELD_SMS_FCS, 'TP-FCS'],
  [C.FIELD_SMS_CT, 'TP-CT'],
  [C.FIELD_SMS_MN, 'TP-MN'],
  [C.FIELD_SMS_CD, 'TP-CD'],
  [C.FIELD_SMS_TEXT, 'SMS text'],
  [C.FIELD_SMS_ADDRESS, 'SMS address'],
]);

/** MMS header names by assigned number (OMA-MMS-ENC table), used for error messages. */
let mmsHeaderNames: (code: number) => string | undefined = () => undefined;

/** Registered by the MMS codec so field ids of MMS headers print as header names. */
export function setMmsHeaderNames(fn: (code: number) => string | undefined): void {
  mmsHeaderNames = fn;
}

export function fieldName(id: number): string {
  if (id >= C.FIELD_MMS_HEADER && id < C.FIELD_MMS_HEADER + 0x80) {
    const code = id - C.FIELD_MMS_HEADER;
    return mmsHeaderNames(code) ?? `MMS header 0x${(code | 0x80).toString(16)}`;
  }
  return NAMES.get(id) ?? `field 0x${id.toString(16)}`;
}
