// A follow-up task (督办) and the one path it travels: issued → accepted → in progress → submitted →
// verified and closed (销号); returned with a reason back to in progress; an extension requested and
// decided. Two parties act on a task: the handler (the reporters of the unit it is given to) and the
// issuer (the supervision office, i.e. organizers, and the leader whose instruction it came from).
// Nobody else acts; the handler can never close its own task. Pure: the actor's party is decided by
// `taskParties` from plain facts, the caller supplies the clock.
import { defineWorkflow } from '../../../kernel/review-workflow.ts';

export const TASK_STATES = [
  'issued',
  'accepted',
  'in_progress',
  'extension_requested',
  'submitted',
  'closed',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const TASK_ACTIONS = [
  'accept',
  'report_progress',
  'submit',
  'verify',
  'return',
  'request_extension',
  'approve_extension',
  'refuse_extension',
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export const TASK_PARTIES = ['handler', 'issuer'] as const;
export type TaskParty = (typeof TASK_PARTIES)[number];

const open: TaskState[] = ['accepted', 'in_progress'];

export const taskWorkflow = defineWorkflow<TaskState, TaskAction, TaskParty>([
  { action: 'accept', from: ['issued'], to: 'accepted', by: ['handler'] },
  { action: 'report_progress', from: open, to: 'in_progress', by: ['handler'] },
  { action: 'submit', from: open, to: 'submitted', by: ['handler'] },
  { action: 'verify', from: ['submitted'], to: 'closed', by: ['issuer'] },
  { action: 'return', from: ['submitted'], to: 'in_progress', by: ['issuer'] },
  { action: 'request_extension', from: open, to: 'extension_requested', by: ['handler'] },
  { action: 'approve_extension', from: ['extension_requested'], to: 'in_progress', by: ['issuer'] },
  { action: 'refuse_extension', from: ['extension_requested'], to: 'in_progress', by: ['issuer'] },
]);

/** Steps whose opinion is required: a return and a refusal say why; a request says why more time. */
export const REASON_REQUIRED: ReadonlySet<TaskAction> = new Set([
  'return',
  'refuse_extension',
  'request_extension',
]);

export interface PartyFacts {
  role: 'organizer' | 'reporter' | 'leader' | 'observer';
  userId: string;
  unitId: string | null;
}

export interface TaskFacts {
  unitId: string;
  /** The leader who gave the instruction (null: the supervision office issued it). */
  issuerUserId: string | null;
}

/**
 * The parties an actor is on a task. Organizers are the issuing office of every task; the leader who
 * gave the instruction is its issuer too; the reporters of the task's unit handle it. A reporter is
 * never an issuer, so a unit cannot verify its own answer.
 */
export function taskParties(actor: PartyFacts, task: TaskFacts): TaskParty[] {
  if (actor.role === 'organizer') return ['issuer'];
  if (actor.role === 'leader' && task.issuerUserId === actor.userId) return ['issuer'];
  if (actor.role === 'reporter' && actor.unitId === task.unitId) return ['handler'];
  return [];
}

export type TaskStepRefusal = 'state' | 'party' | 'reason' | 'extension_date' | 'subtasks_open';

export interface TaskStepInput {
  action: TaskAction;
  opinion: string;
  /** request_extension: the new deadline asked for (YYYY-MM-DD). */
  newDeadline?: string | null;
}

export interface TaskStepContext {
  state: TaskState;
  deadline: string;
  /** verify: the co-units' sub-tasks that are not closed yet. */
  openSubtasks: number;
}

/**
 * Whether `parties` may take `input` on a task in `ctx`, and where it lands. Checks, in order: the
 * step exists from this state, the actor is a party to it, a reason is given where one is required,
 * an extension asks for a later date, and a task with open sub-tasks is not closed.
 */
export function decideTaskStep(
  ctx: TaskStepContext,
  parties: readonly TaskParty[],
  input: TaskStepInput,
): { ok: true; to: TaskState } | { ok: false; refusal: TaskStepRefusal } {
  const outcomes = (parties.length > 0 ? parties : TASK_PARTIES).map((p) =>
    taskWorkflow.step(ctx.state, input.action, p),
  );
  const allowed = parties.length > 0 ? outcomes.find((o) => o.ok) : undefined;
  const outcome =
    allowed ??
    (outcomes.every((o) => !o.ok && o.refusal === 'state')
      ? ({ ok: false, refusal: 'state' } as const)
      : ({ ok: false, refusal: 'party' } as const));
  if (!outcome.ok) return outcome;
  if (REASON_REQUIRED.has(input.action) && input.opinion.trim() === '')
    return { ok: false, refusal: 'reason' };
  if (input.action === 'request_extension' && !(input.newDeadline && input.newDeadline > ctx.deadline))
    return { ok: false, refusal: 'extension_date' };
  if (input.action === 'verify' && ctx.openSubtasks > 0) return { ok: false, refusal: 'subtasks_open' };
  return outcome;
}

/** The actions a page offers the actor on a task. */
export function taskActionsFor(state: TaskState, parties: readonly TaskParty[]): TaskAction[] {
  const all = new Set(parties.flatMap((p) => taskWorkflow.actionsFor(state, p)));
  return TASK_ACTIONS.filter((a) => all.has(a));
}
