// The per-recipient delivery state machine. Every state change in the relay goes through
// transition(), so an impossible change (a late notifyresp after expiry, say) is refused in
// one place instead of being special-cased by each caller.
import type { Delivery, DeliveryState, Outcome } from '../store/types.js';

const ALLOWED: Record<DeliveryState, readonly DeliveryState[]> = {
  accepted: ['notified', 'rejected', 'expired', 'forwarded', 'retrieved', 'acknowledged'],
  notified: ['notified', 'deferred', 'retrieved', 'acknowledged', 'rejected', 'expired', 'forwarded'],
  deferred: ['deferred', 'notified', 'retrieved', 'acknowledged', 'rejected', 'expired', 'forwarded'],
  retrieved: ['retrieved', 'acknowledged', 'rejected', 'expired', 'forwarded'],
  acknowledged: ['reported'],
  rejected: ['reported'],
  expired: ['reported'],
  forwarded: ['reported'],
  reported: [],
};

/** States in which the recipient's outcome is known (a report may be due). */
export const FINAL: ReadonlySet<DeliveryState> = new Set(['acknowledged', 'rejected', 'expired', 'forwarded']);

/** States from which the phone can still fetch the message. */
export const FETCHABLE: ReadonlySet<DeliveryState> = new Set(['accepted', 'notified', 'deferred', 'retrieved']);

export class TransitionError extends Error {
  override readonly name = 'TransitionError';
}

export function canTransition(from: DeliveryState, to: DeliveryState): boolean {
  return ALLOWED[from].includes(to);
}

/** Returns the delivery moved to `to` (a new object; the caller stores it). */
export function transition(
  d: Delivery,
  to: DeliveryState,
  at: number,
  changes: Partial<Delivery> = {},
  note?: string,
): Delivery {
  if (!canTransition(d.state, to)) {
    throw new TransitionError(`delivery ${d.messageId}#${d.index}: ${d.state} -> ${to} is not allowed`);
  }
  let outcome: Outcome | undefined = d.outcome;
  if (FINAL.has(to)) outcome = changes.outcome ?? (to as Outcome);
  const entry = note ? { state: to, at, note } : { state: to, at };
  return { ...d, ...changes, state: to, outcome, history: [...d.history, entry] };
}
