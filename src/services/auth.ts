import { createHash } from 'node:crypto';
import { type Actor, checkNewPassword, requireOrganizer, requireUser } from '../domain/actor.ts';
import { AppError } from '../domain/errors.ts';
import type { MeView, Role, UserView } from '../shared/api.ts';
import type { UserRow } from '../storage/schema.ts';
import { audit } from './audit.ts';
import type { Ctx } from './context.ts';
import { nowIso } from './context.ts';
import { newId, newToken } from './ids.ts';
import { hashPassword, oneTimePassword, verifyPassword } from './passwords.ts';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const JUDGE_SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const LOCKOUT = { maxFailures: 5, minutes: 15 } as const;

const sessionKey = (token: string): string => createHash('sha256').update(token).digest('hex');

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

/** Resolves a session cookie to an actor; an unknown or expired token is anonymous. */
export async function actorFromSession(ctx: Omit<Ctx, 'actor'>, token: string | undefined): Promise<Actor> {
  if (!token) return { kind: 'anonymous' };
  const s = await ctx.db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', sessionKey(token))
    .executeTakeFirst();
  if (!s || s.expires_at <= ctx.now.toISOString()) return { kind: 'anonymous' };
  if (s.role === 'screen' && s.event_id && s.screen_token_id) {
    const t = await ctx.db
      .selectFrom('screen_tokens')
      .select(['revoked_at', 'label'])
      .where('id', '=', s.screen_token_id)
      .executeTakeFirst();
    if (!t || t.revoked_at) return { kind: 'anonymous' };
    return { kind: 'screen', eventId: s.event_id, name: t.label || 'screen' };
  }
  if (s.judge_id && s.event_id) {
    const j = await ctx.db
      .selectFrom('judges')
      .select(['id', 'name', 'event_id'])
      .where('id', '=', s.judge_id)
      .executeTakeFirst();
    if (!j) return { kind: 'anonymous' };
    return { kind: 'judge', judgeId: j.id, eventId: j.event_id, name: j.name };
  }
  if (!s.user_id) return { kind: 'anonymous' };
  const u = await ctx.db.selectFrom('users').selectAll().where('id', '=', s.user_id).executeTakeFirst();
  if (!u || u.disabled === 1) return { kind: 'anonymous' };
  return {
    kind: 'user',
    userId: u.id,
    name: u.display_name,
    role: u.role as Role,
    unitId: u.unit_id,
    mustChangePassword: u.must_change_password === 1,
  };
}

export async function login(
  ctx: Ctx,
  username: string,
  password: string,
): Promise<{ token: string; user: UserView }> {
  const u = await ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!u || u.disabled === 1) {
    // Spend the same time as a real check so user names cannot be probed by timing.
    await verifyPassword(password, DUMMY_HASH);
    throw new AppError('invalid_credentials');
  }
  if (u.locked_until && u.locked_until > nowIso(ctx)) {
    throw new AppError('account_locked', { minutes: LOCKOUT.minutes });
  }
  if (!(await verifyPassword(password, u.password_hash))) {
    const failures = u.failed_logins + 1;
    const lock = failures >= LOCKOUT.maxFailures;
    await ctx.db
      .updateTable('users')
      .set({
        failed_logins: lock ? 0 : failures,
        locked_until: lock
          ? new Date(ctx.now.getTime() + LOCKOUT.minutes * 60_000).toISOString()
          : u.locked_until,
      })
      .where('id', '=', u.id)
      .execute();
    if (lock) {
      await audit({ ...ctx, actor: { kind: 'anonymous' } }, { action: 'account.locked', target: u.username });
      throw new AppError('account_locked', { minutes: LOCKOUT.minutes });
    }
    throw new AppError('invalid_credentials');
  }
  await ctx.db
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', u.id)
    .execute();
  const token = newToken();
  await ctx.db
    .insertInto('sessions')
    .values({
      id: sessionKey(token),
      user_id: u.id,
      judge_id: null,
      event_id: null,
      role: u.role,
      created_at: nowIso(ctx),
      expires_at: new Date(ctx.now.getTime() + SESSION_TTL_MS).toISOString(),
    })
    .execute();
  return { token, user: presentUser(u) };
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

export async function changePassword(ctx: Ctx, oldPassword: string, newPassword: string): Promise<UserView> {
  if (ctx.actor.kind !== 'user')
    throw new AppError(ctx.actor.kind === 'anonymous' ? 'unauthenticated' : 'forbidden');
  const u = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(oldPassword, u.password_hash))) throw new AppError('invalid_credentials');
  checkNewPassword(u.username, oldPassword, newPassword);
  await ctx.db
    .updateTable('users')
    .set({ password_hash: await hashPassword(newPassword), must_change_password: 0 })
    .where('id', '=', u.id)
    .execute();
  await audit(ctx, { action: 'user.password_changed', target: u.username });
  return presentUser({ ...u, must_change_password: 0 });
}

/** Opens a judge session from an invite token: the judge is signed in to that one event only. */
export async function judgeSignIn(
  ctx: Ctx,
  inviteToken: string,
): Promise<{ token: string; judgeId: string; eventId: string }> {
  const inv = await ctx.db
    .selectFrom('invites')
    .selectAll()
    .where('token', '=', inviteToken)
    .executeTakeFirst();
  if (!inv || inv.revoked_at) throw new AppError('invite_invalid');
  const token = newToken();
  await ctx.db
    .insertInto('sessions')
    .values({
      id: sessionKey(token),
      user_id: null,
      judge_id: inv.judge_id,
      event_id: inv.event_id,
      role: 'judge',
      created_at: nowIso(ctx),
      expires_at: new Date(ctx.now.getTime() + JUDGE_SESSION_TTL_MS).toISOString(),
    })
    .execute();
  return { token, judgeId: inv.judge_id, eventId: inv.event_id };
}

// ---------- account management (organizer) ----------

export async function listUsers(ctx: Ctx): Promise<UserView[]> {
  requireOrganizer(ctx.actor);
  const rows = await ctx.db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(presentUser);
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
  if (exists) throw new AppError('conflict', { detail: input.username });
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

export function assertSignedIn(actor: Actor): void {
  requireUser(actor);
}
