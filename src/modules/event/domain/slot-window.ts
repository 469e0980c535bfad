// A slot's scoring window as a state machine: pending → open → closed, and closed → open again only
// by reopen. Kept as one table so the whole rule can be read (and tested) at a glance, apart from the
// transaction that applies it.
import { AppError, type ErrorCode } from '../../../kernel/errors.ts';

export const slotStates = ['pending', 'open', 'closed'] as const;
export type SlotState = (typeof slotStates)[number];

export const slotActions = ['open', 'close', 'reopen'] as const;
export type SlotAction = (typeof slotActions)[number];

/**
 * The state an action leads to, or 'same' when the slot already is where the action leads (a double
 * click on the host console does no harm), or the error that refuses it.
 */
type Transition = { to: SlotState } | 'same' | { refuse: ErrorCode };

const transitions: Record<SlotAction, Record<SlotState, Transition>> = {
  open: { pending: { to: 'open' }, open: 'same', closed: { refuse: 'slot_already_closed' } },
  close: { pending: { refuse: 'slot_not_open' }, open: { to: 'closed' }, closed: 'same' },
  // Opening a never-opened slot is `open`'s job: reopen is the audited way back after a close.
  reopen: { pending: { refuse: 'slot_not_open' }, open: 'same', closed: { to: 'open' } },
};

/** The slot's next state, null when nothing changes; throws the AppError that refuses the action. */
export function nextState(action: SlotAction, state: SlotState): SlotState | null {
  const t = transitions[action][state];
  // The column has no CHECK: a state outside the table changes nothing rather than failing the request.
  if (t === undefined || t === 'same') return null;
  if ('refuse' in t) throw new AppError(t.refuse);
  return t.to;
}
