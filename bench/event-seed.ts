// The `npm run bench:event` fixture, written straight into a fresh database before the server starts
// (not timed): bench/fixture.ts's event with one slot and N judges with invites, plus a signed-in
// session for every judge and every viewer (half big screens of one screen token, half observers),
// the slot on stage (so screens show its progress) and opened through the real use case.
// Sessions are rows as judgeSignIn / login / the screen sign-in would write them (sessionKey of a fresh
// token): signing 10,000 judges in over HTTP would only measure the sign-in rate limit.
import type { Insertable, Kysely } from 'kysely';
import { JUDGE_SESSION_TTL_MS, SESSION_TTL_MS, sessionKey } from '../src/modules/accounts/auth.ts';
import { openSlot } from '../src/modules/event/slot-control.ts';
import type { Ctx } from '../src/platform/context.ts';
import type { DbKind } from '../src/platform/db/database.ts';
import type { DB } from '../src/platform/db/schema.ts';
import { SESSION_COOKIE } from '../src/platform/http/app.ts';
import { newId, newToken } from '../src/platform/ids.ts';
import { tokenDigest } from '../src/platform/link-tokens.ts';
import { rows } from '../test/support/factory.ts';
import { type BurstFixture, seedBurstFixture } from './fixture.ts';

export interface EventBenchFixture extends BurstFixture {
  /** A second open slot, for warming the submission path up before the timed run (not on stage). */
  warmSlotId: string;
  /** `sp_session=…` per judge, in fixture.judges order. */
  judgeCookies: string[];
  /** `sp_session=…` per viewer: screens first, then observers. */
  viewerCookies: string[];
  screens: number;
  observers: number;
}

const CHUNK = 500;

type SessionInsert = Insertable<DB['sessions']>;

async function insertSessions(db: Kysely<DB>, rows: readonly SessionInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('sessions')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}

export async function seedEventBench(
  db: Kysely<DB>,
  dbKind: DbKind,
  opts: { judges: number; viewers: number },
): Promise<EventBenchFixture> {
  const fixture = await seedBurstFixture(db, opts.judges);
  const now = new Date();
  const at = now.toISOString();
  const cookie = (token: string): string => `${SESSION_COOKIE}=${token}`;

  const judgeTokens = fixture.judges.map(() => newToken());
  const screens = Math.ceil(opts.viewers / 2);
  const observers = opts.viewers - screens;
  const screenTokens = Array.from({ length: screens }, () => newToken());
  const observerTokens = Array.from({ length: observers }, () => newToken());
  const screenTokenId = newId();
  const observerIds = observerTokens.map(() => newId());
  const warmSlotId = newId();
  const warmUnitId = newId();

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('screen_tokens')
      .values({
        id: screenTokenId,
        event_id: fixture.eventId,
        token_hash: tokenDigest(newToken()),
        label: 'bench',
        created_at: at,
        revoked_at: null,
      })
      .execute();
    for (let i = 0; i < observerIds.length; i += CHUNK) {
      await trx
        .insertInto('users')
        .values(
          observerIds.slice(i, i + CHUNK).map((id, k) =>
            // Never signed in with: the session below stands for a past sign-in.
            rows.user({
              id,
              username: `bench-observer-${i + k}`,
              display_name: `observer ${i + k}`,
              role: 'observer',
            }),
          ),
        )
        .execute();
    }
    const judgeExpiry = new Date(now.getTime() + JUDGE_SESSION_TTL_MS).toISOString();
    const userExpiry = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    await insertSessions(trx, [
      ...fixture.judges.map((j, i) => ({
        id: sessionKey(judgeTokens[i]!),
        user_id: null,
        judge_id: j.id,
        event_id: fixture.eventId,
        role: 'judge',
        created_at: at,
        expires_at: judgeExpiry,
      })),
      ...screenTokens.map((token) => ({
        id: sessionKey(token),
        user_id: null,
        judge_id: null,
        event_id: fixture.eventId,
        role: 'screen',
        created_at: at,
        expires_at: userExpiry,
        screen_token_id: screenTokenId,
      })),
      ...observerTokens.map((token, i) => ({
        id: sessionKey(token),
        user_id: observerIds[i]!,
        judge_id: null,
        event_id: null,
        role: 'observer',
        created_at: at,
        expires_at: userExpiry,
      })),
    ]);
    const slot = await trx
      .selectFrom('slots')
      .selectAll()
      .where('id', '=', fixture.slotId)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('units')
      .values(
        rows.unit({
          id: warmUnitId,
          code: 'B02',
          name: '预热单位',
          short_name: '预热',
          kind: 'department',
          track_id: slot.track_id,
          sort: 2,
        }),
      )
      .execute();
    await trx
      .insertInto('slots')
      .values({ ...slot, id: warmSlotId, unit_id: warmUnitId, position: 2 })
      .execute();
    await trx
      .updateTable('events')
      .set({ current_slot_id: fixture.slotId })
      .where('id', '=', fixture.eventId)
      .execute();
  });

  const organizer: Ctx = {
    db,
    dbKind,
    actor: {
      kind: 'user',
      userId: fixture.organizerId,
      name: 'bench organizer',
      role: 'organizer',
      unitId: null,
      mustChangePassword: false,
    },
    now,
    publicUrl: '',
    locale: 'zh-CN',
  };
  await openSlot(organizer, fixture.eventId, fixture.slotId);
  await openSlot(organizer, fixture.eventId, warmSlotId);

  return {
    ...fixture,
    warmSlotId,
    judgeCookies: judgeTokens.map(cookie),
    viewerCookies: [...screenTokens, ...observerTokens].map(cookie),
    screens,
    observers,
  };
}
