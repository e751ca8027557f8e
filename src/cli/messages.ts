// `mmsc messages list|show`: reads the store (read-only; safe while the server runs).
import { resolve } from 'node:path';
import { decodeMms, type MmsPdu } from '../codec/mms/index.js';
import type { Config } from '../config/schema.js';
import { Store, StoreNotFoundError } from '../store/store.js';
import type { Delivery, StoredMessage } from '../store/types.js';
import { configOrReport } from './load-config.js';
import { isoTime } from './format.js';

/** Recipients shown in a list row; the rest are counted by state. */
const ROW_RECIPIENTS = 2;

/**
 * The store, read-only, or the exit code after saying what is wrong (no stack trace): 2 for a
 * bad configuration, 1 when there is no store where the configuration points.
 */
function openStore(configFile: string | undefined): { store: Store; path: string } | number {
  const cfg: Config | undefined = configOrReport(configFile);
  if (!cfg) return 2;
  const path = resolve(cfg.store.path);
  const where = configFile ? `store.path in ${configFile}` : 'the default store.path, in the current folder';
  try {
    return { store: new Store({ path: cfg.store.path, mapSizeMiB: cfg.store.mapSizeMiB, readOnly: true }), path };
  } catch (e) {
    const why = e instanceof StoreNotFoundError ? 'nothing was stored there yet, or the server runs with another --config' : (e as Error).message;
    process.stderr.write(`mmsc messages: no message store at ${path} (${where}): ${why}\n`);
    return 1;
  }
}

/** Byte fields as hex (a Buffer would print as a list of octets). */
function bytesAsHex(_key: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  const b = v as { type?: unknown; data?: unknown } | null;
  if (b && typeof b === 'object' && b.type === 'Buffer' && Array.isArray(b.data)) return Buffer.from(b.data as number[]).toString('hex'); // Buffer.toJSON ran first
  return v;
}

const short = (address: string) => address.replace('/TYPE=PLMN', '');
const count = (n: number) => n.toLocaleString('en-US');

function deliveryState(d: Delivery): string {
  return `${d.state}${d.outcome && d.state === 'reported' ? `(${d.outcome})` : ''}`;
}

/** "+4790000001:notified +4790000002:notified … and 97 more (notified 90, retrieved 7)". */
export function recipientsText(deliveries: Delivery[]): string {
  const shown = deliveries.slice(0, deliveries.length > ROW_RECIPIENTS + 1 ? ROW_RECIPIENTS : deliveries.length);
  const text = shown.map((d) => `${short(d.recipient)}:${deliveryState(d)}`).join(' ');
  const rest = deliveries.slice(shown.length);
  if (rest.length === 0) return text;
  const states = new Map<string, number>();
  for (const d of rest) states.set(deliveryState(d), (states.get(deliveryState(d)) ?? 0) + 1);
  return `${text} … and ${rest.length} more (${[...states].map(([s, n]) => `${s} ${n}`).join(', ')})`;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

export async function listMessages(opts: { config?: string; limit: number }): Promise<number> {
  const opened = openStore(opts.config);
  if (typeof opened === 'number') return opened;
  const { store } = opened;
  try {
    const total = store.messages.getCount();
    if (total === 0) {
      process.stdout.write('no messages\n');
      return 0;
    }
    const rows: string[][] = [];
    for (const { value: m } of store.messages.getRange({ reverse: true, limit: opts.limit })) {
      rows.push([isoTime(m.acceptedAt), m.id, short(m.sender), `${count(m.size)} B`, recipientsText(store.deliveriesOf(m.id))]);
    }
    process.stdout.write(`${table(['ACCEPTED', 'MESSAGE-ID', 'FROM', 'SIZE', 'RECIPIENTS'], rows)}\n`);
    process.stdout.write(`${count(rows.length)} of ${count(total)} message${total === 1 ? '' : 's'}, newest first${rows.length < total ? ' (-n N shows more)' : ''}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Seconds-since-epoch fields of the codec model (date, absolute expiry...) as ISO times. */
function readableTimes(pdu: Partial<MmsPdu>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...pdu };
  if (typeof pdu.date === 'number') out.date = isoTime(pdu.date * 1000);
  for (const k of ['expiry', 'deliveryTime'] as const) {
    const v = pdu[k];
    if (v && 'absolute' in v) out[k] = { absolute: isoTime(v.absolute * 1000) };
  }
  return out;
}

/** The notification as sent, decoded. */
function notificationOf(d: Delivery): unknown {
  if (!d.notification) return undefined;
  try {
    return readableTimes(decodeMms(d.notification));
  } catch (e) {
    return { undecodable: (e as Error).message, hex: Buffer.from(d.notification).toString('hex') };
  }
}

export async function showMessage(id: string, opts: { config?: string }): Promise<number> {
  const opened = openStore(opts.config);
  if (typeof opened === 'number') return opened;
  const { store, path } = opened;
  try {
    const m: StoredMessage | undefined = store.messages.get(id);
    if (!m) {
      process.stderr.write(`mmsc messages: no message ${id} in the store at ${path}\n`);
      return 1;
    }
    const deliveries = store.deliveriesOf(id).map((d) => ({
      ...d,
      notification: notificationOf(d),
      nextAt: d.nextAt === null ? null : isoTime(d.nextAt),
      history: d.history.map((h) => ({ ...h, at: isoTime(h.at) })),
    }));
    const out = {
      ...m, acceptedAt: isoTime(m.acceptedAt), expiresAt: isoTime(m.expiresAt), deliverAt: isoTime(m.deliverAt),
      headers: readableTimes(m.headers as Partial<MmsPdu>), deliveries,
    };
    process.stdout.write(`${JSON.stringify(out, bytesAsHex, 2)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
