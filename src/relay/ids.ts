// Identifiers the relay hands out. Message-IDs must be globally unique (they correlate
// delivery and read reports, also across MM4); retrieval tokens must be unguessable
// (128 random bits: whoever holds the URL can fetch the message); notification TIDs must be
// short (they are paid for in SMS bytes) yet unique among live deliveries.
import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/** "<time base36><seq><random>@<domain>": sortable by acceptance time, unique across restarts. */
export function newMessageId(domain: string, now = Date.now()): string {
  if (now === lastMs) seq++;
  else {
    lastMs = now;
    seq = 0;
  }
  return `${now.toString(36)}${seq.toString(36).padStart(2, '0')}${randomBytes(5).toString('hex')}@${domain}`;
}

/** 128-bit token, base64url (22 characters). */
export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Short Transaction-ID: 10 base64url characters (60 random bits). */
export function newTid(): string {
  return randomBytes(8).toString('base64url').slice(0, 10);
}
