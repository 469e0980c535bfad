// What the product tells people, and to which groups each kind goes. Pure.

export const NOTICE_KINDS = [
  'task_issued',
  'task_due_soon',
  'task_overdue',
  'task_escalated',
  'task_submitted',
  'task_returned',
  'task_verified',
  'extension_requested',
  'extension_decided',
  'task_report_missing',
  'project_update_missing',
  'actuals_due',
  'actuals_overdue',
  'report_returned',
  'results_published',
  'digest',
  'test',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** A unit's group, the supervision office's group (organizers), the leaders' group. */
export const AUDIENCES = ['unit', 'office', 'leaders'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Kinds a group may mute (a test message and the digest itself always go through). */
export const MUTABLE_KINDS = NOTICE_KINDS.filter((k) => k !== 'test' && k !== 'digest');

/**
 * A person's words (a title, an opinion, a unit's name) as plain text inside a robot's markdown: the
 * characters that would make a link, a mention or a tag there are replaced by their full-width forms,
 * which read the same in Chinese text. Without this an opinion could post a link into a leaders' group
 * or @ everyone in it.
 */
export function plainText(text: string): string {
  return text.replace(/[<>[\]()@`*_#|~!]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** Every string of `vars` as plain text (numbers pass through). */
export function plainVars<T extends Record<string, string | number>>(vars: T): T {
  return Object.fromEntries(
    Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? plainText(v) : v]),
  ) as T;
}
