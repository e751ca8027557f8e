// The delivery state machine refuses impossible changes in one place.
import { describe, expect, it } from 'vitest';
import { canTransition, FINAL, transition, TransitionError } from '../../src/relay/state.js';
import type { Delivery, DeliveryState } from '../../src/store/types.js';

const d = (state: DeliveryState): Delivery => ({
  messageId: 'm', index: 0, recipient: '+1/TYPE=PLMN', field: 'to', route: { kind: 'local' }, state, nextAt: null, notifications: 0,
  tid: 't', token: 'k', reportAllowed: true, history: [],
});

describe('delivery state machine', () => {
  it('follows the MM1 flows', () => {
    for (const [from, to] of [['accepted', 'notified'], ['notified', 'notified'], ['notified', 'deferred'], ['deferred', 'retrieved'], ['notified', 'retrieved'], ['retrieved', 'acknowledged'], ['notified', 'acknowledged'], ['notified', 'rejected'], ['deferred', 'expired'], ['acknowledged', 'reported'], ['expired', 'reported']] as const) {
      expect(canTransition(from, to), `${from} -> ${to}`).toBe(true);
    }
  });

  it('refuses moves out of a final state other than to reported, and out of reported at all', () => {
    for (const f of FINAL) for (const to of ['notified', 'retrieved', 'acknowledged', 'rejected', 'expired', 'deferred'] as const) expect(canTransition(f, to)).toBe(false);
    expect(() => transition(d('reported'), 'notified', 1)).toThrow(TransitionError);
    expect(() => transition(d('expired'), 'retrieved', 1)).toThrow(/expired -> retrieved is not allowed/);
  });

  it('records the outcome and the history', () => {
    const a = transition(d('notified'), 'rejected', 5, { outcome: 'unrecognised' }, 'phone said Unrecognised');
    expect(a).toMatchObject({ state: 'rejected', outcome: 'unrecognised', history: [{ state: 'rejected', at: 5, note: 'phone said Unrecognised' }] });
    const b = transition(a, 'reported', 6);
    expect(b).toMatchObject({ state: 'reported', outcome: 'unrecognised' });
    expect(transition(d('retrieved'), 'acknowledged', 7).outcome).toBe('acknowledged');
  });
});
