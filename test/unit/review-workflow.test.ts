import { describe, expect, it } from 'vitest';
import {
  defineWorkflow,
  type ReviewAction,
  type ReviewParty,
  type ReviewStatus,
  reviewWorkflow,
} from '../../src/kernel/review-workflow.ts';

const states: (ReviewStatus | null)[] = [null, 'draft', 'submitted', 'verified', 'returned'];
const actions: ReviewAction[] = ['save', 'submit', 'verify', 'return'];
const parties: ReviewParty[] = ['author', 'reviewer'];

// Every allowed step, written out by hand: anything not listed here must be refused.
const allowed: Record<string, ReviewStatus> = {
  'null save author': 'draft',
  'null submit author': 'submitted',
  'draft save author': 'draft',
  'draft submit author': 'submitted',
  'submitted save author': 'draft',
  'submitted submit author': 'submitted',
  'returned save author': 'draft',
  'returned submit author': 'submitted',
  'submitted verify reviewer': 'verified',
  'submitted return reviewer': 'returned',
  'verified return reviewer': 'returned',
};

describe('the review workflow', () => {
  for (const from of states)
    for (const action of actions)
      for (const party of parties) {
        const key = `${from} ${action} ${party}`;
        const to = allowed[key];
        it(to ? `${key} → ${to}` : `${key} is refused`, () => {
          const outcome = reviewWorkflow.step(from, action, party);
          if (to) expect(outcome).toEqual({ ok: true, to });
          else expect(outcome.ok).toBe(false);
        });
      }

  it('says why a step is refused: no such step from this state, or not for this party', () => {
    expect(reviewWorkflow.step('verified', 'save', 'author')).toEqual({ ok: false, refusal: 'state' });
    expect(reviewWorkflow.step('draft', 'verify', 'reviewer')).toEqual({ ok: false, refusal: 'state' });
    expect(reviewWorkflow.step('submitted', 'verify', 'author')).toEqual({ ok: false, refusal: 'party' });
    expect(reviewWorkflow.step('draft', 'submit', 'reviewer')).toEqual({ ok: false, refusal: 'party' });
  });

  it('a returned piece goes back to draft when its author saves it, and the reviewer can return a verified one', () => {
    expect(reviewWorkflow.step('returned', 'save', 'author')).toEqual({ ok: true, to: 'draft' });
    expect(reviewWorkflow.actionsFor('verified', 'author')).toEqual([]);
    expect(reviewWorkflow.actionsFor('verified', 'reviewer')).toEqual(['return']);
    expect(reviewWorkflow.actionsFor('submitted', 'reviewer')).toEqual(['verify', 'return']);
  });

  it('refuses a table with two transitions for one action, state and party', () => {
    expect(() =>
      defineWorkflow([
        { action: 'close', from: ['open'], to: 'closed', by: ['issuer'] },
        { action: 'close', from: ['open', 'late'], to: 'archived', by: ['issuer', 'unit'] },
      ]),
    ).toThrow(/two transitions for close/);
  });
});
