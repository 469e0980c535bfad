// The slot window's pure rule: every (action × state) pair, as the allowed transition, the no-op or the
// refusal with its error code.
import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../src/kernel/errors.ts';
import {
  nextState,
  type SlotAction,
  type SlotState,
  slotActions,
  slotStates,
} from '../../src/modules/event/domain/slot-window.ts';

type Outcome = { to: SlotState } | 'no-op' | { error: ErrorCode };

const cases: { action: SlotAction; state: SlotState; outcome: Outcome }[] = [
  { action: 'open', state: 'pending', outcome: { to: 'open' } },
  { action: 'open', state: 'open', outcome: 'no-op' },
  { action: 'open', state: 'closed', outcome: { error: 'slot_already_closed' } },
  { action: 'close', state: 'pending', outcome: { error: 'slot_not_open' } },
  { action: 'close', state: 'open', outcome: { to: 'closed' } },
  { action: 'close', state: 'closed', outcome: 'no-op' },
  { action: 'reopen', state: 'pending', outcome: { error: 'slot_not_open' } },
  { action: 'reopen', state: 'open', outcome: 'no-op' },
  { action: 'reopen', state: 'closed', outcome: { to: 'open' } },
];

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('slot window', () => {
  it('lists every action from every state exactly once', () => {
    const listed = cases.map((c) => `${c.action} ${c.state}`);
    const all = slotActions.flatMap((a) => slotStates.map((s) => `${a} ${s}`));
    expect([...listed].sort()).toEqual([...all].sort());
  });

  it.each(cases.filter((c) => typeof c.outcome === 'object' && 'to' in c.outcome))(
    '$action from $state is allowed',
    ({ action, state, outcome }) => {
      expect(nextState(action, state)).toBe((outcome as { to: SlotState }).to);
    },
  );

  it.each(cases.filter((c) => c.outcome === 'no-op'))(
    '$action from $state changes nothing',
    ({ action, state }) => {
      expect(nextState(action, state)).toBeNull();
    },
  );

  it.each(cases.filter((c) => typeof c.outcome === 'object' && 'error' in c.outcome))(
    '$action from $state is refused',
    ({ action, state, outcome }) => {
      const e = thrownBy(() => nextState(action, state));
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe((outcome as { error: ErrorCode }).error);
      expect((e as AppError).params).toEqual({});
    },
  );

  it('opens a slot once, closes it, and opens it again only by reopen', () => {
    let state: SlotState = 'pending';
    state = nextState('open', state) ?? state;
    state = nextState('close', state) ?? state;
    expect(state).toBe('closed');
    expect(() => nextState('open', state)).toThrow(AppError);
    expect(nextState('reopen', state)).toBe('open');
  });
});
