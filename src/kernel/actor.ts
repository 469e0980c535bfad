// Who is acting, and the access rules every use case applies before touching data.

import { isCommonPassword } from './common-passwords.ts';
import { AppError } from './errors.ts';
import type { Role } from './schemas.ts';

export type Actor =
  | {
      kind: 'user';
      userId: string;
      name: string;
      role: Role;
      unitId: string | null;
      mustChangePassword: boolean;
    }
  | { kind: 'judge'; judgeId: string; eventId: string; name: string }
  /** The hall's display: read-only, one event, sees only what is revealed. */
  | { kind: 'screen'; eventId: string; name: string }
  | { kind: 'anonymous' };

export type UserActor = Extract<Actor, { kind: 'user' }>;
export type JudgeActor = Extract<Actor, { kind: 'judge' }>;
export type ScreenActor = Extract<Actor, { kind: 'screen' }>;

/** Signed-in user with one of the roles; a user who must change the password can do nothing else. */
export function requireUser(actor: Actor, ...roles: Role[]): UserActor {
  if (actor.kind === 'anonymous') throw new AppError('unauthenticated');
  if (actor.kind !== 'user') throw new AppError('forbidden');
  if (actor.mustChangePassword) throw new AppError('password_change_required');
  if (roles.length > 0 && !roles.includes(actor.role)) throw new AppError('forbidden');
  return actor;
}

export const requireOrganizer = (actor: Actor): UserActor => requireUser(actor, 'organizer');

/** A judge may act only inside the one event their invite belongs to. */
export function requireJudge(actor: Actor, eventId?: string): JudgeActor {
  if (actor.kind === 'anonymous') throw new AppError('unauthenticated');
  if (actor.kind !== 'judge') throw new AppError('forbidden');
  if (eventId !== undefined && actor.eventId !== eventId) throw new AppError('forbidden');
  return actor;
}

/** Reporters are bound to one unit; organizers reach every unit. */
export function actorName(actor: Actor): string {
  return actor.kind === 'anonymous' ? 'anonymous' : actor.name;
}

export const passwordPolicy = { minLength: 10 } as const;

export function checkNewPassword(username: string, oldPassword: string, newPassword: string): void {
  if (
    newPassword.length < passwordPolicy.minLength ||
    isCommonPassword(newPassword) ||
    newPassword === oldPassword ||
    newPassword.toLowerCase().includes(username.toLowerCase())
  ) {
    throw new AppError('weak_password');
  }
}
