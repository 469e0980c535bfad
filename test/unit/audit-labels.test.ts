// Every audit action the server writes has a label in both console locales: the observer reads the
// trail in the event's audit tab (web/console/event/AuditTab.tsx), which shows `audit.actions.<action>`
// and falls back to the raw key only for an action it does not know (one written by an old version).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slotActions } from '../../src/modules/event/domain/slot-window.ts';
import { timerActionBody } from '../../src/modules/event/schemas.ts';
import { TASK_ACTIONS } from '../../src/modules/supervision/domain/task-workflow.ts';
import en from '../../src/platform/locales/en-US/console.json' with { type: 'json' };
import zh from '../../src/platform/locales/zh-CN/console.json' with { type: 'json' };

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

/**
 * What an action written as a template (`slot.${action}`) expands to, listed by hand; the test below
 * checks each list against the type it is written from.
 */
const TEMPLATE_EXPANSIONS: Record<string, readonly string[]> = {
  slot: ['open', 'close', 'reopen'],
  timer: ['start', 'pause', 'resume', 'extend', 'stop', 'reset'],
  task: [
    'accept',
    'report_progress',
    'submit',
    'verify',
    'return',
    'request_extension',
    'approve_extension',
    'refuse_extension',
  ],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each action an `audit(…)` call in src/ can write, with the file that writes it. */
function writtenActions(): { actions: Map<string, string>; templates: Map<string, string> } {
  const actions = new Map<string, string>();
  const templates = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('audit(')) continue;
    const where = relative(ROOT, file);
    // The expression after `action:` up to the end of its property (a ternary may pick one of several).
    for (const m of text.matchAll(/\baction:\s*([\s\S]*?)(?:,\s*\n|\s+\}|,\s+\w+:)/g)) {
      const expr = m[1] ?? '';
      for (const lit of expr.matchAll(/['"]([a-z_]+(?:\.[a-z_]+)+)['"]/g)) actions.set(lit[1]!, where);
      for (const tpl of expr.matchAll(/`([a-z_]+)\.\$\{[^}]+\}`/g)) templates.set(tpl[1]!, where);
    }
  }
  return { actions, templates };
}

const labels = {
  'zh-CN': zh.audit.actions as Record<string, string>,
  'en-US': en.audit.actions as Record<string, string>,
};

describe('audit action labels', () => {
  const { actions, templates } = writtenActions();

  it('lists the expansions of every template action, as the types they are written from allow', () => {
    expect([...TEMPLATE_EXPANSIONS.slot!]).toEqual([...slotActions]);
    expect([...TEMPLATE_EXPANSIONS.timer!]).toEqual([...timerActionBody.shape.action.options]);
    expect([...TEMPLATE_EXPANSIONS.task!]).toEqual([...TASK_ACTIONS]);
    for (const [prefix, file] of templates) {
      expect(
        TEMPLATE_EXPANSIONS[prefix],
        `${file} writes \`${prefix}.\${…}\`: list its expansions`,
      ).toBeDefined();
    }
  });

  it('finds the actions the server writes (the scan itself works)', () => {
    expect(actions.size).toBeGreaterThan(40);
    for (const a of ['screen.current_slot', 'event.created', 'actual.verified', 'period.unlocked'])
      expect(actions.has(a), a).toBe(true);
    expect([...templates.keys()].sort()).toEqual(['slot', 'task', 'timer']);
  });

  it.each(['zh-CN', 'en-US'] as const)('labels every written action in %s', (locale) => {
    const all = new Map(actions);
    for (const [prefix, file] of templates)
      for (const x of TEMPLATE_EXPANSIONS[prefix] ?? []) all.set(`${prefix}.${x}`, file);
    const missing = [...all]
      .filter(([action]) => {
        const label = labels[locale][action];
        return typeof label !== 'string' || label.trim() === '' || label === action;
      })
      .map(([action, file]) => `${action} (${file})`);
    expect(missing).toEqual([]);
  });
});
