// The delivery worker: claims due deliveries robot by robot, sends them, marks each sent or schedules
// a retry with backoff. A robot takes at most 20 messages a minute, counted over every process: a
// claim first locks the robot's row (PostgreSQL: FOR UPDATE SKIP LOCKED, so two processes never work
// one robot at once; SQLite: one process, transactions serialize) and claims only what is left of its
// minute. A claimed delivery carries a lease; if its process dies before marking it, the lease runs
// out and another process sends it. Marking checks the claim is still ours, so a slow process whose
// lease ran out cannot overwrite the newer attempt (docs/notifications.md says what this guarantees).
import { type Kysely, sql } from 'kysely';
import { type DbKind, locksRows } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import { unseal } from '../../platform/sealed.ts';
import {
  type ChannelKind,
  MAX_ATTEMPTS,
  ROBOT_MESSAGES_PER_MINUTE,
  type RobotMessage,
  retryDelayMs,
  robotOutcome,
  robotRequest,
} from './domain/robots.ts';

export const SEALED_PURPOSE = 'robot';

export interface DeliveryDeps {
  db: Kysely<DB>;
  dbKind: DbKind;
  now: () => Date;
  linkKey: Buffer;
  fetch?: typeof fetch;
  /** How long a claim holds before another process may take the delivery over (default 60 s). */
  leaseMs?: number;
  /** One robot request's time limit (default 10 s). */
  requestTimeoutMs?: number;
  /** The product's address, put in front of each message's link (PUBLIC_URL). */
  publicUrl?: string;
}

export interface DeliveryPass {
  sent: number;
  failed: number;
  retrying: number;
  rateLimited: number;
}

interface Claimed {
  id: string;
  outbox_id: string;
  attempts: number;
  claimed_at: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The robots that have something due now. */
async function dueChannels(deps: DeliveryDeps, nowIso: string): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('nt_deliveries')
    .select('channel_id')
    .distinct()
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'pending'), eb('not_before', '<=', nowIso)]),
        eb.and([eb('state', '=', 'sending'), eb('lease_until', '<', nowIso)]),
      ]),
    )
    .limit(200)
    .execute();
  return rows.map((r) => r.channel_id);
}

/** Claims what this robot may still take this minute; [] when another process holds the robot. */
async function claim(deps: DeliveryDeps, channelId: string, nowMs: number): Promise<Claimed[]> {
  const nowIso = iso(nowMs);
  return deps.db.transaction().execute(async (trx) => {
    if (locksRows(deps.dbKind)) {
      const locked = await trx
        .selectFrom('nt_channels')
        .select('id')
        .where('id', '=', channelId)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!locked) return [];
    }
    const recent = await trx
      .selectFrom('nt_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('channel_id', '=', channelId)
      // Claimed or answered within the minute: an answer comes after the robot counted the message.
      .where((eb) =>
        eb.or([eb('claimed_at', '>', iso(nowMs - 60_000)), eb('sent_at', '>', iso(nowMs - 60_000))]),
      )
      .executeTakeFirstOrThrow();
    const budget = ROBOT_MESSAGES_PER_MINUTE - Number(recent.n);
    if (budget <= 0) return [];
    const due = await trx
      .selectFrom('nt_deliveries')
      .select(['id'])
      .where('channel_id', '=', channelId)
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'pending'), eb('not_before', '<=', nowIso)]),
          eb.and([eb('state', '=', 'sending'), eb('lease_until', '<', nowIso)]),
        ]),
      )
      .orderBy('created_at')
      .orderBy('id')
      .limit(budget)
      .execute();
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    await trx
      .updateTable('nt_deliveries')
      .set({
        state: 'sending',
        claimed_at: nowIso,
        lease_until: iso(nowMs + (deps.leaseMs ?? 60_000)),
        attempts: sql`attempts + 1`,
      })
      .where('id', 'in', ids)
      .execute();
    const rows = await trx
      .selectFrom('nt_deliveries')
      .select(['id', 'outbox_id', 'attempts', 'claimed_at'])
      .where('id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, claimed_at: r.claimed_at ?? nowIso }));
  });
}

async function messageOf(
  deps: DeliveryDeps,
  outboxId: string,
): Promise<{ message: RobotMessage; kind: string }> {
  const o = await deps.db
    .selectFrom('nt_outbox')
    .selectAll()
    .where('id', '=', outboxId)
    .executeTakeFirstOrThrow();
  const mentioned = JSON.parse(o.mention_user_ids) as string[];
  const contacts =
    mentioned.length === 0
      ? []
      : await deps.db.selectFrom('nt_contacts').selectAll().where('user_id', 'in', mentioned).execute();
  const wanted = contacts.filter((c) => !(JSON.parse(c.muted_kinds) as string[]).includes(o.kind));
  return {
    kind: o.kind,
    message: {
      title: o.title,
      markdown: `${o.markdown}\n\n[查看详情](${(deps.publicUrl ?? '').replace(/\/$/, '')}${o.link})`,
      mentionMobiles: wanted.flatMap((c) => (c.mobile ? [c.mobile] : [])),
      mentionIds: wanted.flatMap((c) => (c.im_id ? [c.im_id] : [])),
    },
  };
}

/** Marks one attempt's end, if the claim is still ours. */
async function settle(
  deps: DeliveryDeps,
  d: Claimed,
  patch: Partial<{
    state: string;
    not_before: string;
    last_error: string | null;
    sent_at: string;
    attempts: number;
  }>,
) {
  await deps.db
    .updateTable('nt_deliveries')
    .set({ ...patch, lease_until: null })
    .where('id', '=', d.id)
    .where('state', '=', 'sending')
    .where('claimed_at', '=', d.claimed_at)
    .execute();
}

/**
 * Holds the claim for one more request, if it is still ours: a claim whose lease ran out may have been
 * taken over, and then this process must not send it.
 */
async function renew(deps: DeliveryDeps, d: Claimed): Promise<boolean> {
  const res = await deps.db
    .updateTable('nt_deliveries')
    .set({
      lease_until: iso(deps.now().getTime() + (deps.requestTimeoutMs ?? 10_000) + (deps.leaseMs ?? 60_000)),
    })
    .where('id', '=', d.id)
    .where('state', '=', 'sending')
    .where('claimed_at', '=', d.claimed_at)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

async function sendOne(
  deps: DeliveryDeps,
  channel: { kind: string; webhook_enc: string; secret_enc: string | null },
  d: Claimed,
  pass: DeliveryPass,
): Promise<'ok' | 'rate_limited' | 'lost'> {
  let outcome: ReturnType<typeof robotOutcome>;
  try {
    if (!(await renew(deps, d))) return 'lost';
    const { message } = await messageOf(deps, d.outbox_id);
    const webhook = unseal(deps.linkKey, SEALED_PURPOSE, channel.webhook_enc);
    const secret = channel.secret_enc ? unseal(deps.linkKey, SEALED_PURPOSE, channel.secret_enc) : null;
    const req = robotRequest(channel.kind as ChannelKind, webhook, secret, message, deps.now().getTime());
    const res = await (deps.fetch ?? fetch)(req.url, {
      method: 'POST',
      // The process in the user agent: a robot's log (or a test) can tell the senders of a cluster apart.
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': `shaipin (pid ${process.pid})`,
      },
      body: req.body,
      // A robot answers; it does not send us elsewhere.
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.requestTimeoutMs ?? 10_000),
    });
    outcome = robotOutcome(res.status, await res.text());
  } catch (e) {
    // The address itself is a secret: say what went wrong, not where.
    const error =
      e instanceof Error
        ? e.name === 'TimeoutError'
          ? 'timeout'
          : `${e.name}: ${e.message}`.slice(0, 200)
        : 'error';
    outcome = { kind: 'failed', error };
  }
  const at = deps.now().getTime();
  if (outcome.kind === 'sent') {
    await settle(deps, d, { state: 'sent', sent_at: iso(at), last_error: null });
    pass.sent++;
    return 'ok';
  }
  if (outcome.kind === 'rate_limited') {
    // The robot's minute is full (another sender shares it): not the message's fault, not counted.
    await settle(deps, d, { state: 'pending', not_before: iso(at + 60_000), attempts: d.attempts - 1 });
    pass.rateLimited++;
    return 'rate_limited';
  }
  if (d.attempts >= MAX_ATTEMPTS) {
    await settle(deps, d, { state: 'failed', last_error: outcome.error });
    pass.failed++;
  } else {
    await settle(deps, d, {
      state: 'pending',
      not_before: iso(at + retryDelayMs(d.attempts)),
      last_error: outcome.error,
    });
    pass.retrying++;
  }
  return 'ok';
}

/** One pass over every robot with something due. */
export async function deliverDue(deps: DeliveryDeps): Promise<DeliveryPass> {
  const pass: DeliveryPass = { sent: 0, failed: 0, retrying: 0, rateLimited: 0 };
  for (const channelId of await dueChannels(deps, iso(deps.now().getTime()))) {
    // The clock is read per robot: a slow robot before this one must not age this one's claim.
    const claimed = await claim(deps, channelId, deps.now().getTime());
    if (claimed.length === 0) continue;
    const channel = await deps.db
      .selectFrom('nt_channels')
      .select(['kind', 'webhook_enc', 'secret_enc'])
      .where('id', '=', channelId)
      .executeTakeFirst();
    for (const [i, d] of claimed.entries()) {
      if (!channel) {
        await settle(deps, d, { state: 'failed', last_error: 'channel deleted' });
        pass.failed++;
        continue;
      }
      // In order, one at a time: a group reads them in the order they happened.
      const sent = await sendOne(deps, channel, d, pass);
      if (sent === 'rate_limited') {
        const rest = claimed.slice(i + 1);
        for (const r of rest) await settle(deps, r, { state: 'pending', attempts: r.attempts - 1 });
        break;
      }
    }
  }
  return pass;
}
