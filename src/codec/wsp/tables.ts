// WSP code tables (WAP-230-WSP Appendix A, OMNA registries; checked against Wireshark's
// packet-wsp.c, Kannel's wsp_strings.def and mmsd's wsputil.c): well-known content types,
// parameters, header names and push application ids, in both directions.

/** Well-known content types by code (wire = code | 0x80). */
export const CONTENT_TYPES: readonly string[] = [
  '*/*', 'text/*', 'text/html', 'text/plain', 'text/x-hdml', 'text/x-ttml', 'text/x-vCalendar',
  'text/x-vCard', 'text/vnd.wap.wml', 'text/vnd.wap.wmlscript', 'text/vnd.wap.wta-event',
  'multipart/*', 'multipart/mixed', 'multipart/form-data', 'multipart/byteranges',
  'multipart/alternative', 'application/*', 'application/java-vm',
  'application/x-www-form-urlencoded', 'application/x-hdmlc', 'application/vnd.wap.wmlc',
  'application/vnd.wap.wmlscriptc', 'application/vnd.wap.wta-eventc', 'application/vnd.wap.uaprof',
  'application/vnd.wap.wtls-ca-certificate', 'application/vnd.wap.wtls-user-certificate',
  'application/x-x509-ca-cert', 'application/x-x509-user-cert', 'image/*', 'image/gif',
  'image/jpeg', 'image/tiff', 'image/png', 'image/vnd.wap.wbmp', 'application/vnd.wap.multipart.*',
  'application/vnd.wap.multipart.mixed', 'application/vnd.wap.multipart.form-data',
  'application/vnd.wap.multipart.byteranges', 'application/vnd.wap.multipart.alternative',
  'application/xml', 'text/xml', 'application/vnd.wap.wbxml', 'application/x-x968-cross-cert',
  'application/x-x968-ca-cert', 'application/x-x968-user-cert', 'text/vnd.wap.si',
  'application/vnd.wap.sic', 'text/vnd.wap.sl', 'application/vnd.wap.slc', 'text/vnd.wap.co',
  'application/vnd.wap.coc', 'application/vnd.wap.multipart.related', 'application/vnd.wap.sia',
  'text/vnd.wap.connectivity-xml', 'application/vnd.wap.connectivity-wbxml',
  'application/pkcs7-mime', 'application/vnd.wap.hashed-certificate',
  'application/vnd.wap.signed-certificate', 'application/vnd.wap.cert-response',
  'application/xhtml+xml', 'application/wml+xml', 'text/css', 'application/vnd.wap.mms-message',
  'application/vnd.wap.rollover-certificate', 'application/vnd.wap.locc+wbxml',
  'application/vnd.wap.loc+xml', 'application/vnd.syncml.dm+wbxml', 'application/vnd.syncml.dm+xml',
  'application/vnd.syncml.notification', 'application/vnd.wap.xhtml+xml',
  'application/vnd.wv.csp.cir', 'application/vnd.oma.dd+xml', 'application/vnd.oma.drm.message',
  'application/vnd.oma.drm.content', 'application/vnd.oma.drm.rights+xml',
  'application/vnd.oma.drm.rights+wbxml', 'application/vnd.wv.csp+xml',
  'application/vnd.wv.csp+wbxml', 'application/vnd.syncml.ds.notification', 'audio/*', 'video/*',
  'application/vnd.oma.dd2+xml', 'application/mikey',
];

/** Registered content types encoded as Long-integer codes (>= 0x0201; OMNA). */
const REGISTERED_TYPES: ReadonlyMap<number, string> = new Map([
  [0x0201, 'application/vnd.uplanet.cacheop-wbxml'],
  [0x0202, 'application/vnd.uplanet.signal'],
  [0x0203, 'application/vnd.uplanet.alert-wbxml'],
  [0x0204, 'application/vnd.uplanet.list-wbxml'],
  [0x0205, 'application/vnd.uplanet.listcmd-wbxml'],
  [0x0206, 'application/vnd.uplanet.channel-wbxml'],
  [0x0207, 'application/vnd.uplanet.provisioning-status-uri'],
  [0x0208, 'x-wap.multipart/vnd.uplanet.header-set'],
  [0x0209, 'application/vnd.uplanet.bearer-choice-wbxml'],
  [0x020a, 'application/vnd.phonecom.mmc-wbxml'],
  [0x020b, 'application/vnd.nokia.syncset+wbxml'],
  [0x020c, 'image/x-up-wpng'],
  [0x0300, 'application/iota.mmc-wbxml'],
  [0x0301, 'application/iota.mmc-xml'],
  [0x0302, 'application/vnd.syncml+xml'],
  [0x0303, 'application/vnd.syncml+wbxml'],
  [0x0304, 'text/vnd.wap.emn+xml'],
  [0x0305, 'text/calendar'],
  [0x0306, 'application/vnd.omads-email+xml'],
  [0x0307, 'application/vnd.omads-file+xml'],
  [0x0308, 'application/vnd.omads-folder+xml'],
  [0x0309, 'text/directory;profile=vCard'],
  [0x030a, 'application/vnd.wap.emn+wbxml'],
]);

const TYPE_CODES = new Map<string, number>();
CONTENT_TYPES.forEach((t, i) => TYPE_CODES.set(t.toLowerCase(), i));
for (const [code, t] of REGISTERED_TYPES) TYPE_CODES.set(t.toLowerCase(), code);

/** The media type of a well-known code, or a placeholder naming the code when unassigned. */
export function contentTypeName(code: number): string {
  return CONTENT_TYPES[code] ?? REGISTERED_TYPES.get(code) ?? `application/x-wsp-0x${code.toString(16)}`;
}

/** The well-known code of a media type (case-insensitive), or undefined. */
export function contentTypeCode(type: string): number | undefined {
  const known = TYPE_CODES.get(type.toLowerCase());
  if (known !== undefined) return known;
  const m = /^application\/x-wsp-0x([0-9a-f]+)$/i.exec(type);
  return m ? parseInt(m[1], 16) : undefined;
}

/**
 * Well-known parameters by code: name and the Typed-value kind. Several names have two codes
 * (WSP 1.1-1.3 and 1.4); decoders accept both, the encoder uses ENCODE_PARAM below.
 */
export const PARAMS: readonly (readonly [name: string, kind: ParamKind])[] = [
  ['q', 'q'], ['charset', 'charset'], ['level', 'version'], ['type', 'integer'],
  ['uaprof', 'text'], ['name', 'text'], ['filename', 'text'], ['differences', 'field'],
  ['padding', 'integer'], ['type', 'media'], ['start', 'text'], ['start-info', 'text'],
  ['comment', 'text'], ['domain', 'text'], ['max-age', 'integer'], ['path', 'text'],
  ['secure', 'none'], ['SEC', 'integer'], ['MAC', 'text'], ['creation-date', 'date'],
  ['modification-date', 'date'], ['read-date', 'date'], ['size', 'integer'], ['name', 'text'],
  ['filename', 'text'], ['start', 'text'], ['start-info', 'text'], ['comment', 'text'],
  ['domain', 'text'], ['path', 'text'],
];
/**
 * Parameters of X-Mms-Element-Descriptor (OMA-MMS-ENC 1.2+): their own numbering, in which
 * 0x02 is `type` (Constrained-encoding), not WSP's `level`.
 */
export const ELEMENT_PARAMS: readonly (readonly [name: string, kind: ParamKind] | undefined)[] = [
  undefined, undefined, ['type', 'media'],
];
export const ELEMENT_ENCODE_PARAM: ReadonlyMap<string, number> = new Map([['type', 0x02]]);

export type ParamKind = 'q' | 'charset' | 'version' | 'integer' | 'text' | 'field' | 'media' | 'none' | 'date';

/**
 * Codes the encoder uses: the WSP 1.1/1.2 ones every handset understands (charset 0x81,
 * name 0x85, filename 0x86, type 0x89, start 0x8A), the 1.3/1.4 ones for the rest.
 */
export const ENCODE_PARAM: ReadonlyMap<string, number> = new Map([
  ['q', 0x00], ['charset', 0x01], ['level', 0x02], ['uaprof', 0x04], ['name', 0x05],
  ['filename', 0x06], ['differences', 0x07], ['padding', 0x08], ['type', 0x09], ['start', 0x0a],
  ['start-info', 0x0b], ['comment', 0x0c], ['domain', 0x0d], ['max-age', 0x0e], ['path', 0x0f],
  ['secure', 0x10], ['sec', 0x11], ['mac', 0x12], ['creation-date', 0x13],
  ['modification-date', 0x14], ['read-date', 0x15], ['size', 0x16],
]);

/** Well-known WSP header names by code (wire = code | 0x80). */
export const WSP_HEADERS: readonly string[] = [
  'Accept', 'Accept-Charset', 'Accept-Encoding', 'Accept-Language', 'Accept-Ranges', 'Age',
  'Allow', 'Authorization', 'Cache-Control', 'Connection', 'Content-Base', 'Content-Encoding',
  'Content-Language', 'Content-Length', 'Content-Location', 'Content-MD5', 'Content-Range',
  'Content-Type', 'Date', 'Etag', 'Expires', 'From', 'Host', 'If-Modified-Since', 'If-Match',
  'If-None-Match', 'If-Range', 'If-Unmodified-Since', 'Location', 'Last-Modified', 'Max-Forwards',
  'Pragma', 'Proxy-Authenticate', 'Proxy-Authorization', 'Public', 'Range', 'Referer',
  'Retry-After', 'Server', 'Transfer-Encoding', 'Upgrade', 'User-Agent', 'Vary', 'Via', 'Warning',
  'WWW-Authenticate', 'Content-Disposition', 'X-Wap-Application-Id', 'X-Wap-Content-URI',
  'X-Wap-Initiator-URI', 'Accept-Application', 'Bearer-Indication', 'Push-Flag', 'Profile',
  'Profile-Diff', 'Profile-Warning', 'Expect', 'TE', 'Trailer', 'Accept-Charset',
  'Accept-Encoding', 'Cache-Control', 'Content-Range', 'X-Wap-Tod', 'Content-ID', 'Set-Cookie',
  'Cookie', 'Encoding-Version', 'Profile-Warning', 'Content-Disposition', 'X-WAP-Security',
  'Cache-Control', 'X-Wap-Loc-Invocation', 'X-Wap-Loc-Delivery',
];

export function wspHeaderName(code: number): string {
  return WSP_HEADERS[code] ?? `X-Wsp-Header-0x${code.toString(16)}`;
}

/** Push application ids (X-Wap-Application-Id codes, OMNA). */
export const PUSH_APP_IDS: readonly string[] = [
  'x-wap-application:*', 'x-wap-application:push.sia', 'x-wap-application:wml.ua',
  'x-wap-application:wta.ua', 'x-wap-application:mms.ua', 'x-wap-application:push.syncml',
  'x-wap-application:loc.ua', 'x-wap-application:syncml.dm', 'x-wap-application:drm.ua',
  'x-wap-application:emn.ua', 'x-wap-application:wv.ua',
];

/** WSP PDU type names (for errors about PDUs that are not pushes). */
export const WSP_PDU_TYPES: ReadonlyMap<number, string> = new Map([
  [0x01, 'Connect'], [0x02, 'ConnectReply'], [0x03, 'Redirect'], [0x04, 'Reply'],
  [0x05, 'Disconnect'], [0x06, 'Push'], [0x07, 'ConfirmedPush'], [0x08, 'Suspend'],
  [0x09, 'Resume'], [0x40, 'Get'], [0x41, 'Options'], [0x42, 'Head'], [0x43, 'Delete'],
  [0x44, 'Trace'], [0x60, 'Post'], [0x61, 'Put'],
]);
