// Indicator data reminders, on SQLite and PostgreSQL: a unit with unreported actuals for a period hears
// of it three days before the due date and again once it is overdue (after its grace days), once each;
// a unit that reported (submitted or verified) hears nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyActualsReminders } from '../../src/modules/indicators/index.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { dbKinds } from '../support/db.ts';
import { createTestApp, type TestApp } from '../support/http.ts';
import { type IndicatorFixture, seedIndicatorFixture } from '../support/indicator-fixtures.ts';

describe.each(dbKinds)('indicator data reminders on %s', (kind) => {
  let t: TestApp;
  let fx: IndicatorFixture;
  const ctx = (iso: string): Ctx => ({
    db: t.database.db,
    dbKind: kind,
    actor: { kind: 'anonymous' },
    now: new Date(iso),
    publicUrl: '',
    locale: 'zh-CN',
  });
  const told = () =>
    t.database.db
      .selectFrom('nt_outbox')
      .select(['kind', 'unit_id', 'cause_key'])
      .orderBy('cause_key')
      .execute();

  beforeAll(async () => {
    t = await createTestApp(kind);
    fx = await seedIndicatorFixture(t.database);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('reminds before the due date and after the grace days, once each, only units that have not reported', async () => {
    const q2 = await t.database.db
      .selectFrom('periods')
      .selectAll()
      .where('key', '=', '2023-Q2')
      .executeTakeFirstOrThrow();
    // One unit reports all its Q2 indicators; the other reports nothing.
    const mine = await t.database.db
      .selectFrom('indicators')
      .select(['id', 'unit_id', 'frequency'])
      .where('year', '=', 2023)
      .execute();
    const reporting = fx.units[0]!.id;
    const now = new Date().toISOString();
    for (const i of mine.filter((x) => x.unit_id === reporting && x.frequency === 'quarterly'))
      await t.database.db
        .insertInto('actuals')
        .values({
          id: `a-${i.id}`,
          indicator_id: i.id,
          period_key: '2023-Q2',
          value: 1,
          note: '',
          status: 'submitted',
          return_reason: null,
          version: 1,
          submitted_at: now,
          verified_at: null,
          updated_by: 'test',
          updated_at: now,
        })
        .execute();
    const lagging = [
      ...new Set(
        mine.filter((x) => x.unit_id !== reporting && x.frequency === 'quarterly').map((x) => x.unit_id),
      ),
    ];
    expect(lagging.length).toBeGreaterThan(0);
    // Two days before Q2's due date (10:00 in China).
    const before = new Date(Date.parse(`${q2.due_date}T02:00:00Z`) - 2 * 86_400_000).toISOString();
    expect((await applyActualsReminders(ctx(before))).due).toBe(lagging.length);
    expect((await applyActualsReminders(ctx(before))).due).toBe(0);
    expect(
      (await told())
        .filter((n) => n.kind === 'actuals_due')
        .map((n) => n.unit_id)
        .sort(),
    ).toEqual([...lagging].sort());
    // Within the grace days: neither due soon nor overdue yet.
    const grace = new Date(Date.parse(`${q2.due_date}T02:00:00Z`) + 86_400_000).toISOString();
    expect(await applyActualsReminders(ctx(grace))).toEqual({ due: 0, overdue: 0 });
    const after = new Date(
      Date.parse(`${q2.due_date}T02:00:00Z`) + (q2.grace_days + 1) * 86_400_000,
    ).toISOString();
    expect((await applyActualsReminders(ctx(after))).overdue).toBe(lagging.length);
    expect((await applyActualsReminders(ctx(after))).overdue).toBe(0);
    expect((await told()).some((n) => n.unit_id === reporting && n.cause_key.includes('2023-Q2'))).toBe(
      false,
    );
  });
});
