// The supervision office's settings: when lights turn yellow, when overdue tasks escalate, the grace
// of periodic reports, when a milestone is at risk.
import { requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import { defaultSettings, type SupervisionSettings } from './domain/deadlines.ts';

export async function loadSettings(ctx: Pick<Ctx, 'db'>): Promise<SupervisionSettings> {
  const row = await ctx.db
    .selectFrom('sv_settings')
    .select('body')
    .where('id', '=', 'default')
    .executeTakeFirst();
  return row
    ? { ...defaultSettings, ...(JSON.parse(row.body) as Partial<SupervisionSettings>) }
    : defaultSettings;
}

export async function getSettings(ctx: Ctx): Promise<SupervisionSettings> {
  requireUser(ctx.actor);
  return loadSettings(ctx);
}

export async function saveSettings(ctx: Ctx, input: SupervisionSettings): Promise<SupervisionSettings> {
  requireOrganizer(ctx.actor);
  const before = await loadSettings(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sv_settings').where('id', '=', 'default').execute();
    await trx
      .insertInto('sv_settings')
      .values({ id: 'default', body: JSON.stringify(input), updated_at: nowIso(ctx) })
      .execute();
    await audit({ ...ctx, db: trx }, { action: 'supervision.settings', before, after: input });
  });
  return input;
}

/** The leaders who can give instructions and verify tasks (the office picks one for a visit or task). */
export async function listLeaders(ctx: Ctx): Promise<{ id: string; name: string }[]> {
  requireOrganizer(ctx.actor);
  const rows = await ctx.db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('role', '=', 'leader')
    .where('disabled', '=', 0)
    .orderBy('display_name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}
