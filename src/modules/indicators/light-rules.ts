// Status-light and star rules: versioned rows of light_rules, each save a new version so every light
// can say which rules it was computed with. No row yet means version 0: the domain's defaults.
import type { z } from 'zod';
import { requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import { translator } from '../../platform/i18n/translator.ts';
import {
  defaultLightRules,
  type LightRules,
  lightRulesProblem,
  type StarBands,
  starBandsProblem,
} from './domain/indicators.ts';
import type { lightRulesBody, lightRulesView } from './schemas.ts';

export type LightRulesInput = z.infer<typeof lightRulesBody>;
export type LightRulesView = z.infer<typeof lightRulesView>;

/** A validation error whose detail is a sentence in the caller's language. */
const invalid = (ctx: Pick<Ctx, 'locale'>, key: string, params: Record<string, unknown> = {}): AppError =>
  new AppError('validation_failed', { detail: translator(ctx.locale)(`indicators:invalid.${key}`, params) });

/**
 * Default star bands: completion ≥ 100% five stars, ≥ 90% four, ≥ 80% three, ≥ 60% two, anything
 * else one. Bands need a finite minimum, so "anything else" is a floor no real completion goes under.
 */
export const defaultStarBands: StarBands = {
  source: 'completion',
  bands: [
    { stars: 5, min: 1 },
    { stars: 4, min: 0.9 },
    { stars: 3, min: 0.8 },
    { stars: 2, min: 0.6 },
    { stars: 1, min: -1_000_000 },
  ],
};

/** The rules in force, as the domain takes them. */
export interface RulesBundle {
  version: number;
  createdAt: string;
  light: LightRules;
  /** Null when the organizer switched star grades off: the assessment then scores completion. */
  stars: StarBands | null;
}

const defaults = (): RulesBundle => ({
  version: 0,
  createdAt: '1970-01-01T00:00:00.000Z',
  light: { ...defaultLightRules, version: 0 },
  stars: defaultStarBands,
});

function bundleOf(row: { version: number; config: string; created_at: string }): RulesBundle {
  const c = JSON.parse(row.config) as LightRulesInput;
  return {
    version: row.version,
    createdAt: row.created_at,
    light: {
      version: row.version,
      yellowWithinPoints: c.yellowWithinPoints,
      rankRed: c.rankRed ?? null,
      rankYellow: c.rankYellow ?? null,
    },
    stars: c.stars ? { source: c.stars.source, bands: c.stars.bands as StarBands['bands'] } : null,
  };
}

/** The current rules (no authorization: for other services that already authorized). */
export async function currentRules(ctx: Pick<Ctx, 'db'>): Promise<RulesBundle> {
  const row = await ctx.db
    .selectFrom('light_rules')
    .select(['version', 'config', 'created_at'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? bundleOf(row) : defaults();
}

function present(b: RulesBundle): LightRulesView {
  return {
    version: b.version,
    createdAt: b.createdAt,
    yellowWithinPoints: b.light.yellowWithinPoints,
    rankRed: b.light.rankRed ?? null,
    rankYellow: b.light.rankYellow ?? null,
    stars: b.stars ? { source: b.stars.source, bands: b.stars.bands.map((x) => ({ ...x })) } : null,
  };
}

export async function getLightRules(ctx: Ctx): Promise<LightRulesView> {
  requireUser(ctx.actor);
  return present(await currentRules(ctx));
}

/** Saves the rules as a new version; lights computed from now on carry it. */
export async function saveLightRules(ctx: Ctx, input: LightRulesInput): Promise<LightRulesView> {
  const user = requireOrganizer(ctx.actor);
  const config: LightRulesInput = {
    yellowWithinPoints: input.yellowWithinPoints,
    rankRed: input.rankRed ?? null,
    rankYellow: input.rankYellow ?? null,
    stars: input.stars ?? null,
  };
  const lightProblem = lightRulesProblem({ version: 1, ...config });
  if (lightProblem) throw invalid(ctx, 'lightRules', { problem: lightProblem });
  if (config.stars) {
    const starProblem = starBandsProblem(config.stars as StarBands);
    if (starProblem) throw invalid(ctx, 'lightRules', { problem: starProblem });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const before = await currentRules(tctx);
    const row = {
      version: before.version + 1,
      config: JSON.stringify(config),
      created_by: user.userId,
      created_at: nowIso(ctx),
    };
    await trx.insertInto('light_rules').values(row).execute();
    const after = bundleOf(row);
    await audit(tctx, {
      action: 'light_rules.saved',
      target: `v${row.version}`,
      before: present(before),
      after: present(after),
    });
    return present(after);
  });
}
