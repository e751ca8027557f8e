// The MMS a phone sends in the link tests and benchmark: a random "photo" and a line of text.
import { randomBytes } from 'node:crypto';
import type { MmsPdu } from '../../src/codec/mms/index.js';

/** An m-send.req of about `bytes` octets. */
export function photoMms(tid: string, to: string, bytes: number): MmsPdu {
  return {
    messageType: 'm-send-req', transactionId: tid, mmsVersion: '1.2', from: { insertAddress: true }, to: [`${to}/TYPE=PLMN`],
    subject: 'from the island', contentType: { type: 'application/vnd.wap.multipart.mixed' },
    parts: [
      { contentType: { type: 'text/plain', params: { charset: 'utf-8' } }, contentLocation: 'text.txt', data: new TextEncoder().encode('sent over 2G') },
      { contentType: { type: 'image/jpeg' }, contentLocation: 'photo.jpg', data: randomBytes(bytes - 200) },
    ],
  };
}

/** Why `got` does not carry the parts of `sent` byte for byte, or null when it does. */
export function partsDiffer(sent: MmsPdu, got: MmsPdu | undefined): string | null {
  if (got?.messageType !== 'm-retrieve-conf') return `got ${got?.messageType ?? 'nothing'}, not m-retrieve-conf`;
  const a = sent.parts ?? [];
  const b = got.parts ?? [];
  if (a.length !== b.length) return `${b.length} parts, ${a.length} sent`;
  for (let i = 0; i < a.length; i++) {
    if (a[i].contentType.type !== b[i].contentType.type) return `part ${i} is ${b[i].contentType.type}, ${a[i].contentType.type} was sent`;
    if (Buffer.compare(Buffer.from(a[i].data ?? []), Buffer.from(b[i].data ?? [])) !== 0) return `part ${i} differs from what was sent`;
  }
  return null;
}
