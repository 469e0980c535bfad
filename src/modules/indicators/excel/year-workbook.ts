// The year's workbook as its export and import share it: the columns of the 指标 and 排名 sheets, the
// choice cells and the plan cell, written in the caller's language and read back in any.
import { canonicalJson } from '../../../kernel/canonical-json.ts';
import { translator } from '../../../platform/i18n/translator.ts';
import type { Plan } from '../domain/completion.ts';
import { planSchema } from '../schemas.ts';
import { NS } from './common.ts';

export const INDICATOR_COLUMNS = [
  'code',
  'name',
  'nodeCode',
  'nodeName',
  'measure',
  'direction',
  'kind',
  'year',
  'baseline',
  'target',
  'tierFloor',
  'tierStretch',
  'unitCode',
  'unit',
  'coUnits',
  'frequency',
  'plan',
  'weight',
  'lightSource',
  'sort',
] as const;
export const RANKING_COLUMNS = [
  'code',
  'rankedUnitCode',
  'scope',
  'period',
  'rank',
  'outOf',
  'source',
  'publishedOn',
] as const;

/** Choice cells are written in the caller's language and read back in any language or as the raw value. */
export const CHOICES = {
  direction: ['higher', 'lower'],
  kind: ['cumulative', 'point'],
  frequency: ['monthly', 'quarterly'],
  lightSource: ['completion', 'rank'],
} as const;
export type ChoiceField = keyof typeof CHOICES;

export function choiceOf(field: ChoiceField, text: string): string | null {
  const wanted = text.trim().toLowerCase();
  for (const value of CHOICES[field]) {
    if (value === wanted) return value;
    for (const locale of ['zh-CN', 'en-US'] as const) {
      if (translator(locale)(`${NS}:${field}.${value}`).toLowerCase() === wanted) return value;
    }
  }
  return null;
}

export function planText(t: (k: string) => string, plan: Plan): string {
  if (plan.kind === 'linear') return t(`${NS}:plan.linear`);
  return canonicalJson(plan.expected);
}

/** 线性 / Linear / empty, a plan as JSON, or JSON of the expected value per period (a phased plan). */
export function parsePlanCell(text: string): Plan | null {
  if (!text) return { kind: 'linear' };
  if (choicePlanLinear(text)) return { kind: 'linear' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const candidate =
    json !== null && typeof json === 'object' && !('kind' in json)
      ? { kind: 'phased', expected: json }
      : json;
  const parsed = planSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

function choicePlanLinear(text: string): boolean {
  const wanted = text.trim().toLowerCase();
  return (
    wanted === 'linear' ||
    (['zh-CN', 'en-US'] as const).some((l) => translator(l)(`${NS}:plan.linear`).toLowerCase() === wanted)
  );
}
