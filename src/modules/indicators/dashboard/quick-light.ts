// The overview's floating-point shortcut for a light: most of 200,000 lights decided without exact
// rationals, the exact rule called only near a boundary.
import { expectedCompletion, type IndicatorDef, type Plan } from '../domain/completion.ts';
import { isReported, type Light, statusLight } from '../domain/lights.ts';
import type { PeriodDef } from '../domain/periods.ts';
import type { RulesBundle } from '../light-rules.ts';

export const LIGHTS: Light[] = ['green', 'yellow', 'red', 'grey', 'overdue'];

/** What every indicator of one period shares: the linear expectation and the light of "no data". */
export interface PeriodFacts {
  def: PeriodDef;
  linearExpected: number;
  noDataLight: Light;
}

export function periodFacts(def: PeriodDef, rules: RulesBundle, now: string): PeriodFacts {
  const probe: IndicatorDef = {
    id: '',
    direction: 'higher',
    kind: 'cumulative',
    baseline: 0,
    target: 1,
    plan: { kind: 'linear' },
    weight: 1,
  };
  return {
    def,
    linearExpected: expectedCompletion(probe, def),
    // Without a counted actual the light depends on the period's deadlines only (statusLight rule 2).
    noDataLight: statusLight({ indicator: probe, period: def, actual: null, now }, rules.light).light,
  };
}

// Light codes of the overview's hot loop (no allocation per indicator): an index into LIGHTS, or
// NEEDS_EXACT. The gap of the last decided light is left in quickGap, which the overview reads right
// after each call (an imported binding is live).
export const NEEDS_EXACT = -1;
export const CODE: Record<Light, number> = { green: 0, yellow: 1, red: 2, grey: 3, overdue: 4 };
export let quickGap: number | null = null;

export function quickLightCode(
  direction: string,
  b: number,
  t: number,
  plan: Plan,
  lightSource: string,
  a: number | null,
  status: string | null,
  facts: PeriodFacts,
  threshold: number,
): number {
  quickGap = null;
  if (lightSource === 'rank') return NEEDS_EXACT;
  if (a === null || !isReported(status)) return CODE[facts.noDataLight];
  const span = t - b;
  if (direction === 'higher' ? !(span > 0) : !(span < 0)) return NEEDS_EXACT;
  let expected = facts.linearExpected;
  let magnitude = (a < 0 ? -a : a) + (b < 0 ? -b : b) + (t < 0 ? -t : t);
  if (plan.kind === 'phased') {
    const planned = Object.hasOwn(plan.expected, facts.def.key) ? plan.expected[facts.def.key] : undefined;
    if (planned !== undefined) {
      expected = (planned - b) / span;
      magnitude += Math.abs(planned);
    }
  }
  const gap = expected - (a - b) / span;
  const tol = 1e-9 * (1 + magnitude / (span < 0 ? -span : span));
  if (!Number.isFinite(gap) || !Number.isFinite(tol)) return NEEDS_EXACT;
  quickGap = gap * 100;
  if (gap < -tol) return CODE.green;
  if (gap > tol && gap < threshold - tol) return CODE.yellow;
  if (gap > threshold + tol) return CODE.red;
  quickGap = null;
  return NEEDS_EXACT;
}

/**
 * The light of an indicator decided in floating point, or null when the exact rule must decide. It
 * mirrors statusLight's rules 2 and 4 and only answers when every comparison clears its boundary by a
 * margin far above the rounding error of the doubles involved (1e-9 relative to the sum of the
 * magnitudes, against errors of about 1e-15), so it never disagrees with the exact rule; targets equal
 * to or against the baseline, rank-sourced indicators and near-ties go to statusLight. statusLight
 * costs tens of microseconds (exact rationals): fine for a page of rows, seconds for 200,000.
 * test/integration/dashboard.test.ts checks the agreement on random inputs.
 */
export function quickLight(
  ind: { direction: string; baseline: number; target: number; plan: Plan; lightSource: string },
  actual: { value: number; status: string } | null,
  facts: PeriodFacts,
  yellowWithinPoints: number,
): { light: Light; gapPoints: number | null } | null {
  const code = quickLightCode(
    ind.direction,
    ind.baseline,
    ind.target,
    ind.plan,
    ind.lightSource,
    actual?.value ?? null,
    actual?.status ?? null,
    facts,
    yellowWithinPoints / 100,
  );
  return code === NEEDS_EXACT ? null : { light: LIGHTS[code]!, gapPoints: quickGap };
}
