// Who may receive what over /api/live: which audience an actor joins (or the close code that refuses
// it), which changes concern an audience, and what its snapshot contains.
import type { Actor } from '../../../kernel/actor.ts';
import type { Ctx } from '../../../platform/context.ts';
import type { LiveTopic } from '../../../platform/live-bus.ts';
import type { HostState, LiveAudience, LiveServerMessage, ScreenState } from '../schemas.ts';

/**
 * Close codes of /api/live (4000–4999 are the application's range). A client must not reconnect
 * after 4400/4401/4403/4404 without a user action: the answer would be the same.
 */
export const LIVE_CLOSE = {
  /** eventId missing or malformed. */
  badRequest: 4400,
  /** No valid session, or the session ended while connected (sign-out, expiry, disabled account). */
  unauthenticated: 4401,
  /** The actor may not watch this event (reporter, a judge or screen of another event…). */
  forbidden: 4403,
  /** No such event. */
  notFound: 4404,
  /** The server is stopping; reconnect. */
  goingAway: 1001,
  /** The client floods us with messages. */
  policy: 1008,
} as const;

/** The close reason sent with a refusal, for people reading a browser's network log. */
export const refusalReason = (code: number): string =>
  code === LIVE_CLOSE.unauthenticated ? 'unauthenticated' : 'forbidden';

/** Builds the snapshot of an audience; the actor in ctx is the audience's role, never a person. */
export interface LiveBuilders {
  host(ctx: Ctx, eventId: string): Promise<HostState>;
  screen(ctx: Ctx, eventId: string): Promise<ScreenState>;
}

/** The audiences that receive snapshots; judges only get the cue to refetch (see affects). */
export type SnapshotAudience = Exclude<LiveAudience, 'judge'>;

/** What a snapshot carries besides its version. */
export type SnapshotBody = Pick<Extract<LiveServerMessage, { type: 'snapshot' }>, 'host' | 'screen'>;

/** Judges refetch their own state; only these topics change what the judge page shows. */
const JUDGE_TOPICS: ReadonlySet<LiveTopic> = new Set<LiveTopic>(['slots', 'event', 'timer']);

/** Which audience an actor joins for an event, or the close code that refuses it. */
export function audienceOf(actor: Actor, eventId: string): LiveAudience | { close: number } {
  switch (actor.kind) {
    case 'anonymous':
      return { close: LIVE_CLOSE.unauthenticated };
    case 'judge':
      return actor.eventId === eventId ? 'judge' : { close: LIVE_CLOSE.forbidden };
    case 'screen':
      return actor.eventId === eventId ? 'screen' : { close: LIVE_CLOSE.forbidden };
    case 'user':
      if (actor.mustChangePassword) return { close: LIVE_CLOSE.forbidden };
      if (actor.role === 'organizer' || actor.role === 'observer' || actor.role === 'leader')
        return actor.role;
      return { close: LIVE_CLOSE.forbidden };
  }
}

/** Whether changes of these topics alter what the audience sees. */
export function affects(audience: LiveAudience, topics: ReadonlySet<LiveTopic>): boolean {
  if (audience !== 'judge') return topics.size > 0;
  for (const t of topics) if (JUDGE_TOPICS.has(t)) return true;
  return false;
}

/**
 * The actor a snapshot is built as: the audience's role, not the person who connected, because every
 * member of an audience must see exactly the same thing (and one person's expiry must not starve
 * the others).
 */
function audienceActor(audience: SnapshotAudience, eventId: string): Actor {
  if (audience === 'screen') return { kind: 'screen', eventId, name: 'live' };
  return {
    kind: 'user',
    userId: `live:${audience}`,
    name: 'live',
    role: audience,
    unitId: null,
    mustChangePassword: false,
  };
}

/**
 * The snapshot of one audience, through the same authorised use cases as the HTTP API. `shared`
 * carries what several audiences of one rebuild have in common.
 */
export async function buildSnapshotBody(
  builders: LiveBuilders,
  ctxFor: (actor: Actor) => Ctx,
  audience: SnapshotAudience,
  eventId: string,
  shared: { screen?: Promise<ScreenState> },
): Promise<SnapshotBody> {
  const ctx = ctxFor(audienceActor(audience, eventId));
  // What the hall sees is the same for every audience that sees it (the screen state depends on
  // the event only): built once per rebuild, not once per audience.
  const screen = () => {
    shared.screen ??= builders.screen(ctx, eventId);
    return shared.screen;
  };
  if (audience === 'organizer') {
    // The console shows what the hall sees beside its own controls.
    const [host, shown] = await Promise.all([builders.host(ctx, eventId), screen()]);
    return { host, screen: shown };
  }
  return { screen: await screen() };
}
