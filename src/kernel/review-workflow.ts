// The review loop every module that collects a unit's work runs: a unit writes and submits, a reviewer
// verifies or returns with a reason, a returned piece is reworked and submitted again. Indicator
// actuals use it; showcase reports and supervision tasks define their own tables with the same
// machinery. Pure: which party takes a step (the unit's author or the reviewer) is decided by the
// module from the actor; this file only says which steps exist, from where, to where, and by whom.

/** One allowed step: from any of `from` (null: nothing exists yet), `action` by any of `by`, lands in `to`. */
export interface Transition<S extends string, A extends string, P extends string> {
  action: A;
  from: readonly (S | null)[];
  to: S;
  by: readonly P[];
}

export type StepOutcome<S extends string> =
  | { ok: true; to: S }
  /** `state`: the step does not exist from here; `party`: it exists, but not for this party. */
  | { ok: false; refusal: 'state' | 'party' };

export interface Workflow<S extends string, A extends string, P extends string> {
  readonly transitions: readonly Transition<S, A, P>[];
  /** Where `action` by `party` leads from `from`, or why it is refused. */
  step(from: S | null, action: A, party: P): StepOutcome<S>;
  /** The actions `party` may take from `from`, in table order (what a page offers as buttons). */
  actionsFor(from: S | null, party: P): A[];
}

export function defineWorkflow<S extends string, A extends string, P extends string>(
  transitions: readonly Transition<S, A, P>[],
): Workflow<S, A, P> {
  for (const t of transitions) {
    const clash = transitions.find(
      (u) =>
        u !== t &&
        u.action === t.action &&
        u.from.some((f) => t.from.includes(f)) &&
        u.by.some((p) => t.by.includes(p)),
    );
    if (clash) throw new Error(`workflow: two transitions for ${t.action} from the same state and party`);
  }
  return {
    transitions,
    step(from, action, party) {
      const fromHere = transitions.filter((t) => t.action === action && t.from.includes(from));
      if (fromHere.length === 0) return { ok: false, refusal: 'state' };
      const mine = fromHere.find((t) => t.by.includes(party));
      return mine ? { ok: true, to: mine.to } : { ok: false, refusal: 'party' };
    },
    actionsFor(from, party) {
      return transitions.filter((t) => t.from.includes(from) && t.by.includes(party)).map((t) => t.action);
    },
  };
}

export type ReviewStatus = 'draft' | 'submitted' | 'verified' | 'returned';
export type ReviewAction = 'save' | 'submit' | 'verify' | 'return';
/** `author`: the unit that owns the piece (the organizer may act for it); `reviewer`: the organizer. */
export type ReviewParty = 'author' | 'reviewer';

/**
 * draft → submitted → verified, or → returned (with a reason) → saved (back to draft) or submitted
 * again. A verified piece stands: its author cannot change it until the reviewer returns it.
 */
export const reviewWorkflow = defineWorkflow<ReviewStatus, ReviewAction, ReviewParty>([
  { action: 'save', from: [null, 'draft', 'submitted', 'returned'], to: 'draft', by: ['author'] },
  { action: 'submit', from: [null, 'draft', 'submitted', 'returned'], to: 'submitted', by: ['author'] },
  { action: 'verify', from: ['submitted'], to: 'verified', by: ['reviewer'] },
  { action: 'return', from: ['submitted', 'verified'], to: 'returned', by: ['reviewer'] },
]);
