// A phone on the MMS APN, as its own process (run inside another network namespace with
// nsenter): POSTs one m-send.req with a text part, the sender's MSISDN in the header a WAP
// gateway inserts, and prints the m-send.conf as one JSON line. It waits for the MMSC to listen.
// Argument: JSON { url, from, to, text, waitMs }.
import { decodeMms, encodeMms } from '../../src/codec/mms/index.js';

const args = JSON.parse(process.argv[2]) as { url: string; from: string; to: string; text: string; waitMs: number };
const body = encodeMms({
  messageType: 'm-send-req',
  transactionId: `example-${process.pid}`,
  mmsVersion: '1.2',
  from: { insertAddress: true },
  to: [`${args.to}/TYPE=PLMN`],
  contentType: { type: 'text/plain', params: { charset: 'utf-8' } },
  body: new TextEncoder().encode(args.text),
});
const end = Date.now() + args.waitMs;
for (;;) {
  let res: Response;
  try {
    res = await fetch(args.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.wap.mms-message', 'X-WAP-Network-Client-MSISDN': args.from },
      body: Buffer.from(body),
    });
  } catch (err) {
    if (Date.now() > end) throw err;
    await new Promise((r) => setTimeout(r, 200));
    continue;
  }
  const conf = decodeMms(new Uint8Array(await res.arrayBuffer()));
  process.stdout.write(`${JSON.stringify({ http: res.status, responseStatus: conf.responseStatus, messageId: conf.messageId })}\n`);
  break;
}
