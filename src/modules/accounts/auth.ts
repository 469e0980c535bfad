import type { Insertable } from 'kysely';
import { type Actor, checkNewPassword, requireOrganizer } from '../../kernel/actor.ts';
import { AppError, alreadyTaken } from '../../kernel/errors.ts';
import type { Role } from '../../kernel/schemas.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import { precompiled } from '../../platform/db/precompiled.ts';
import type { SessionsTable, UserRow } from '../../platform/db/schema.ts';
import { newId, newToken } from '../../platform/ids.ts';
import { tokenDigest } from '../../platform/link-tokens.ts';
import { ACCOUNT_WIDE, blockedUntil, signInThrottle, waitBeforeSignIn } from './domain/sign-in-throttle.ts';
import { hashPassword, oneTimePassword, verifyPassword } from './passwords.ts';
import type { MeView, UserView } from './schemas.ts';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const JUDGE_SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** A hall display stays signed in through a multi-day event; revoking its link ends it earlier. */
export const SCREEN_SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The stored id of a session: sha256 of its cookie token (a stolen database yields no live sessions). */
export const sessionKey = tokenDigest;

export function presentUser(u: UserRow): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role as Role,
    unitId: u.unit_id,
    mustChangePassword: u.must_change_password === 1,
    disabled: u.disabled === 1,
  };
}

/** The session joined with whatever it may point at (a judge, a user, a screen token). */
const sessionLookup = precompiled(['key'], (db, p) =>
  db
    .selectFrom('sessions as s')
    .leftJoin('judges as j', 'j.id', 's.judge_id')
    .leftJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('screen_tokens as t', 't.id', 's.screen_token_id')
    .select([
      's.role',
      's.event_id',
      's.judge_id',
      's.user_id',
      's.screen_token_id',
      's.expires_at',
      'j.id as j_id',
      'j.name as j_name',
      'j.event_id as j_event_id',
      'u.id as u_id',
      'u.display_name as u_display_name',
      'u.role as u_role',
      'u.unit_id as u_unit_id',
      'u.must_change_password as u_must_change_password',
      'u.disabled as u_disabled',
      't.id as t_id',
      't.revoked_at as t_revoked_at',
      't.label as t_label',
    ])
    .where('s.id', '=', p.key),
);

/**
 * Resolves a session cookie to an actor; an unknown or expired token is anonymous. Every API request
 * runs this first, so it is one precompiled query (one round trip on PostgreSQL), the branches below
 * deciding which of the joined rows counts.
 */
export async function actorFromSession(ctx: Omit<Ctx, 'actor'>, token: string | undefined): Promise<Actor> {
  if (!token) return { kind: 'anonymous' };
  const [s] = await sessionLookup(ctx.db, { key: sessionKey(token) });
  if (!s || s.expires_at <= ctx.now.toISOString()) return { kind: 'anonymous' };
  if (s.role === 'screen' && s.event_id && s.screen_token_id) {
    if (!s.t_id || s.t_revoked_at) return { kind: 'anonymous' };
    return { kind: 'screen', eventId: s.event_id, name: s.t_label || 'screen' };
  }
  if (s.judge_id && s.event_id) {
    if (!s.j_id || s.j_name === null || s.j_event_id === null) return { kind: 'anonymous' };
    return { kind: 'judge', judgeId: s.j_id, eventId: s.j_event_id, name: s.j_name };
  }
  if (!s.user_id) return { kind: 'anonymous' };
  if (!s.u_id || s.u_display_name === null || s.u_role === null || Number(s.u_disabled) === 1) {
    return { kind: 'anonymous' };
  }
  return {
    kind: 'user',
    userId: s.u_id,
    name: s.u_display_name,
    role: s.u_role as Role,
    unitId: s.u_unit_id,
    mustChangePassword: Number(s.u_must_change_password) === 1,
  };
}

export interface SignInFrom {
  /** The client's address (behind a trusted proxy, the forwarded one). */
  address: string;
  /** The device cookie of an earlier sign-in, if the browser sent one. */
  deviceToken: string | undefined;
}

/**
 * Password sign-in, slowed by failures per account and address (domain/sign-in-throttle.ts). The
 * answer carries a device token for the cookie that makes this browser a known device of the account.
 */
export async function login(
  ctx: Ctx,
  username: string,
  password: string,
  from: SignInFrom = { address: 'unknown', deviceToken: undefined },
): Promise<{ token: string; deviceToken: string; user: UserView }> {
  const u = await ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const deviceId = from.deviceToken ? sessionKey(from.deviceToken) : null;
  const known =
    u !== undefined &&
    deviceId !== null &&
    (await ctx.db
      .selectFrom('known_devices')
      .select('id')
      .where('id', '=', deviceId)
      .where('user_id', '=', u.id)
      .executeTakeFirst()) !== undefined;
  const counts = await ctx.db
    .selectFrom('sign_in_failures')
    .selectAll()
    .where('username', '=', username)
    .where('scope', 'in', [from.address, ACCOUNT_WIDE])
    .execute();
  const wait = waitBeforeSignIn(
    counts.map((c) => ({
      scope: c.scope,
      blockedUntilMs: c.blocked_until ? Date.parse(c.blocked_until) : null,
    })),
    from.address,
    known,
    ctx.now.getTime(),
  );
  if (wait !== null) throw new AppError('sign_in_throttled', { seconds: Math.ceil(wait / 1000) });

  const valid = u !== undefined && u.disabled !== 1 && (await verifyPassword(password, u.password_hash));
  // Spend the same time as a real check so user names cannot be probed by timing.
  if (u === undefined || u.disabled === 1) await verifyPassword(password, DUMMY_HASH);
  if (!valid) {
    await recordFailure(ctx, username, from.address, counts);
    throw new AppError('invalid_credentials');
  }
  const now = nowIso(ctx);
  const deviceToken = known && from.deviceToken ? from.deviceToken : newToken();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sign_in_failures').where('username', '=', username).execute();
    if (known && deviceId) {
      await trx.updateTable('known_devices').set({ last_used_at: now }).where('id', '=', deviceId).execute();
    } else {
      await trx
        .insertInto('known_devices')
        .values({ id: sessionKey(deviceToken), user_id: u.id, created_at: now, last_used_at: now })
        .execute();
    }
  });
  const token = await openSession(ctx, { user_id: u.id, role: u.role }, SESSION_TTL_MS);
  return { token, deviceToken, user: presentUser(u) };
}

async function recordFailure(
  ctx: Ctx,
  username: string,
  address: string,
  counts: readonly { scope: string; failures: number }[],
): Promise<void> {
  const now = nowIso(ctx);
  for (const scope of [address, ACCOUNT_WIDE]) {
    const failures = (counts.find((c) => c.scope === scope)?.failures ?? 0) + 1;
    const until = blockedUntil(failures, scope, ctx.now.getTime());
    const blocked_until = until === null ? null : new Date(until).toISOString();
    await ctx.db
      .insertInto('sign_in_failures')
      .values({ username, scope, failures, last_failed_at: now, blocked_until })
      .onConflict((oc) =>
        oc.columns(['username', 'scope']).doUpdateSet({ failures, last_failed_at: now, blocked_until }),
      )
      .execute();
    if (
      until !== null &&
      failures === (scope === ACCOUNT_WIDE ? signInThrottle.freePerAccount : signInThrottle.freePerAddress)
    ) {
      await audit(
        { ...ctx, actor: { kind: 'anonymous' } },
        {
          action: 'account.throttled',
          target: username,
          after: { from: scope === ACCOUNT_WIDE ? 'all addresses' : scope, until: blocked_until },
        },
      );
    }
  }
}

/** The organizer's view of an account's sign-in failures: where from, how many, blocked until when. */
async function throttlesOf(ctx: Pick<Ctx, 'db' | 'now'>, usernames: readonly string[]) {
  if (usernames.length === 0) return new Map<string, UserView['signInFailures']>();
  const rows = await ctx.db
    .selectFrom('sign_in_failures')
    .selectAll()
    .where('username', 'in', [...usernames])
    .orderBy('last_failed_at', 'desc')
    .execute();
  const by = new Map<string, UserView['signInFailures']>();
  const now = nowIso(ctx);
  for (const r of rows) {
    const list = by.get(r.username) ?? [];
    list.push({
      address: r.scope === ACCOUNT_WIDE ? null : r.scope,
      failures: r.failures,
      lastFailedAt: r.last_failed_at,
      blockedUntil: r.blocked_until && r.blocked_until > now ? r.blocked_until : null,
    });
    by.set(r.username, list);
  }
  return by;
}

export async function logout(ctx: Ctx, token: string | undefined): Promise<void> {
  if (token) await ctx.db.deleteFrom('sessions').where('id', '=', sessionKey(token)).execute();
}

export async function me(ctx: Ctx): Promise<MeView> {
  const a = ctx.actor;
  if (a.kind === 'anonymous') throw new AppError('unauthenticated');
  if (a.kind === 'screen') return { kind: 'screen', user: null, judge: null, screen: { eventId: a.eventId } };
  if (a.kind === 'judge') {
    const row = await ctx.db
      .selectFrom('judges')
      .innerJoin('panels', 'panels.id', 'judges.panel_id')
      .select(['judges.id', 'judges.name', 'judges.event_id', 'panels.name as panel_name'])
      .where('judges.id', '=', a.judgeId)
      .executeTakeFirstOrThrow();
    return {
      kind: 'judge',
      user: null,
      judge: { judgeId: row.id, name: row.name, eventId: row.event_id, panelName: row.panel_name },
    };
  }
  const u = await ctx.db.selectFrom('users').selectAll().where('id', '=', a.userId).executeTakeFirstOrThrow();
  return { kind: 'user', user: presentUser(u), judge: null };
}

/**
 * Changes the signed-in user's password and ends every other session of the account: a stolen
 * session, or one opened elsewhere with a one-time password, must not outlive the change.
 * `sessionToken` is the cookie of the session that made the change; it stays signed in.
 */
export async function changePassword(
  ctx: Ctx,
  oldPassword: string,
  newPassword: string,
  sessionToken: string | undefined,
): Promise<UserView> {
  if (ctx.actor.kind !== 'user')
    throw new AppError(ctx.actor.kind === 'anonymous' ? 'unauthenticated' : 'forbidden');
  const u = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(oldPassword, u.password_hash))) throw new AppError('invalid_credentials');
  checkNewPassword(u.username, oldPassword, newPassword);
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: 0 })
      .where('id', '=', u.id)
      .execute();
    await trx
      .deleteFrom('sessions')
      .where('user_id', '=', u.id)
      .where('id', '!=', sessionToken ? sessionKey(sessionToken) : '')
      .execute();
    await audit({ ...ctx, db: trx }, { action: 'user.password_changed', target: u.username });
  });
  return presentUser({ ...u, must_change_password: 0 });
}

/** Stores a new session (by the hash of its token) and answers the token for the cookie. */
async function openSession(
  ctx: Pick<Ctx, 'db' | 'now'>,
  who: Pick<Insertable<SessionsTable>, 'role'> &
    Partial<Pick<Insertable<SessionsTable>, 'user_id' | 'judge_id' | 'event_id' | 'screen_token_id'>>,
  ttlMs: number,
): Promise<string> {
  const token = newToken();
  await ctx.db
    .insertInto('sessions')
    .values({
      user_id: null,
      judge_id: null,
      event_id: null,
      ...who,
      id: sessionKey(token),
      created_at: nowIso(ctx),
      expires_at: new Date(ctx.now.getTime() + ttlMs).toISOString(),
    })
    .execute();
  return token;
}

/** Opens a judge session from an invite token: the judge is signed in to that one event only. */
export async function judgeSignIn(
  ctx: Ctx,
  inviteToken: string,
): Promise<{ token: string; judgeId: string; eventId: string }> {
  const inv = await ctx.db
    .selectFrom('invites')
    .selectAll()
    .where('token_hash', '=', tokenDigest(inviteToken))
    .executeTakeFirst();
  if (!inv || inv.revoked_at) throw new AppError('invite_invalid');
  const token = await openSession(
    ctx,
    { judge_id: inv.judge_id, event_id: inv.event_id, role: 'judge' },
    JUDGE_SESSION_TTL_MS,
  );
  return { token, judgeId: inv.judge_id, eventId: inv.event_id };
}

/** Opens a read-only big-screen session from a screen link: one event, revealed data only. */
export async function screenSignIn(
  ctx: Ctx,
  screenToken: string,
): Promise<{ token: string; eventId: string }> {
  const st = await ctx.db
    .selectFrom('screen_tokens')
    .select(['id', 'event_id', 'revoked_at'])
    .where('token_hash', '=', tokenDigest(screenToken))
    .executeTakeFirst();
  if (!st || st.revoked_at) throw new AppError('screen_token_invalid');
  const token = await openSession(
    ctx,
    { event_id: st.event_id, role: 'screen', screen_token_id: st.id },
    SCREEN_SESSION_TTL_MS,
  );
  return { token, eventId: st.event_id };
}

// ---------- account management (organizer) ----------

export async function listUsers(ctx: Ctx): Promise<UserView[]> {
  requireOrganizer(ctx.actor);
  const rows = await ctx.db.selectFrom('users').selectAll().orderBy('username').execute();
  const failures = await throttlesOf(
    ctx,
    rows.map((r) => r.username),
  );
  return rows.map((r) => ({ ...presentUser(r), signInFailures: failures.get(r.username) ?? [] }));
}

async function assertUnitForRole(ctx: Ctx, role: Role, unitId: string | null): Promise<void> {
  if (role === 'reporter' && !unitId) throw new AppError('validation_failed', { detail: 'unitId' });
  if (unitId) {
    const unit = await ctx.db.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst();
    if (!unit) throw new AppError('not_found', { what: 'unit' });
  }
}

/** Creates an account with a one-time password that must be changed at first sign-in. */
export async function createUser(
  ctx: Ctx,
  input: { username: string; displayName: string; role: Role; unitId: string | null },
): Promise<{ user: UserView; oneTimePassword: string }> {
  requireOrganizer(ctx.actor);
  await assertUnitForRole(ctx, input.role, input.unitId);
  const exists = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (exists) throw alreadyTaken('username', input.username);
  const otp = oneTimePassword();
  const row: UserRow = {
    id: newId(),
    username: input.username,
    display_name: input.displayName,
    password_hash: await hashPassword(otp),
    role: input.role,
    unit_id: input.role === 'reporter' ? input.unitId : null,
    must_change_password: 1,
    failed_logins: 0,
    locked_until: null,
    disabled: 0,
    created_at: nowIso(ctx),
  };
  await ctx.db.insertInto('users').values(row).execute();
  await audit(ctx, {
    action: 'user.created',
    target: input.username,
    after: { role: input.role, unitId: row.unit_id },
  });
  return { user: presentUser(row), oneTimePassword: otp };
}

export async function updateUser(
  ctx: Ctx,
  id: string,
  patch: {
    displayName?: string | undefined;
    role?: Role | undefined;
    unitId?: string | null | undefined;
    disabled?: boolean | undefined;
  },
): Promise<UserView> {
  const me = requireOrganizer(ctx.actor);
  const u = await ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!u) throw new AppError('not_found', { what: 'user' });
  const role = patch.role ?? (u.role as Role);
  const unitId = patch.unitId !== undefined ? patch.unitId : u.unit_id;
  await assertUnitForRole(ctx, role, unitId);
  if (u.id === me.userId && (patch.disabled || (patch.role && patch.role !== 'organizer'))) {
    throw new AppError('conflict', { detail: 'self' });
  }
  const next = {
    display_name: patch.displayName ?? u.display_name,
    role,
    unit_id: role === 'reporter' ? unitId : null,
    disabled: patch.disabled === undefined ? u.disabled : patch.disabled ? 1 : 0,
  };
  await ctx.db.updateTable('users').set(next).where('id', '=', id).execute();
  if (next.disabled === 1) await ctx.db.deleteFrom('sessions').where('user_id', '=', id).execute();
  await audit(ctx, {
    action: 'user.updated',
    target: u.username,
    before: { displayName: u.display_name, role: u.role, unitId: u.unit_id, disabled: u.disabled === 1 },
    after: {
      displayName: next.display_name,
      role: next.role,
      unitId: next.unit_id,
      disabled: next.disabled === 1,
    },
  });
  return presentUser({ ...u, ...next });
}

export async function resetPassword(
  ctx: Ctx,
  id: string,
): Promise<{ user: UserView; oneTimePassword: string }> {
  requireOrganizer(ctx.actor);
  const u = await ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!u) throw new AppError('not_found', { what: 'user' });
  const otp = oneTimePassword();
  await ctx.db
    .updateTable('users')
    .set({
      password_hash: await hashPassword(otp),
      must_change_password: 1,
      failed_logins: 0,
      locked_until: null,
    })
    .where('id', '=', id)
    .execute();
  await ctx.db.deleteFrom('sessions').where('user_id', '=', id).execute();
  await ctx.db.deleteFrom('sign_in_failures').where('username', '=', u.username).execute();
  await audit(ctx, { action: 'user.password_reset', target: u.username });
  return { user: presentUser({ ...u, must_change_password: 1 }), oneTimePassword: otp };
}

/** First start on an empty database: one organizer with a one-time password, printed once. */
export async function ensureInitialOrganizer(
  ctx: Omit<Ctx, 'actor'>,
): Promise<{ username: string; oneTimePassword: string } | null> {
  const any = await ctx.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const otp = oneTimePassword();
  await ctx.db
    .insertInto('users')
    .values({
      id: newId(),
      username: 'admin',
      display_name: '考核办管理员',
      password_hash: await hashPassword(otp),
      role: 'organizer',
      unit_id: null,
      must_change_password: 1,
      locked_until: null,
      created_at: ctx.now.toISOString(),
    })
    .execute();
  return { username: 'admin', oneTimePassword: otp };
}

// A valid hash of a random string, so that unknown users cost one scrypt like known ones.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$U2hhaXBpbkR1bW15SGFzaEZvclRpbWluZ0VxdWFsaXQ=';
