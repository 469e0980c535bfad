// The robots of the groups (organizer only), the delivery log, and each user's @-handle and mutes.
// A robot's webhook address and secret are sealed when saved and never shown again: the console sees
// a hint (host and the key's last characters) and whether it signs.
import { requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso, requireLinkKey } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { seal } from '../../platform/sealed.ts';
import { SEALED_PURPOSE } from './delivery.ts';
import type { Audience } from './domain/notices.ts';
import type { ChannelKind } from './domain/robots.ts';
import { enqueueNotice } from './outbox.ts';
import type { ChannelBody, ChannelView, ContactView, DeliveryView } from './schemas.ts';

/** host…last four of the key, e.g. "oapi.dingtalk.com …9f3a". */
export function webhookHint(webhook: string): string {
  const url = new URL(webhook);
  const key =
    url.searchParams.get('access_token') ??
    url.searchParams.get('key') ??
    url.pathname.split('/').pop() ??
    '';
  return `${url.host} …${key.slice(-4)}`;
}

/** The robots' own addresses, over HTTPS only. */
const OFFICIAL_HOSTS: Record<ChannelKind, readonly string[]> = {
  dingtalk: ['oapi.dingtalk.com'],
  wecom: ['qyapi.weixin.qq.com'],
  feishu: ['open.feishu.cn', 'open.larksuite.com'],
};
let extraHosts: readonly string[] = [];

/**
 * Hosts besides the services' own that robots may live on (a government's private 浙政钉, a local test
 * endpoint), from the server's configuration (ROBOT_HOSTS): a webhook is a request the server makes, so
 * an organizer cannot point it at any address inside the network.
 */
export function configureRobotHosts(hosts: readonly string[]): void {
  extraHosts = hosts.map((h) => h.trim().toLowerCase()).filter(Boolean);
}

function checkedWebhook(kind: ChannelKind, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('webhook_invalid', {}, { field: 'webhook' });
  }
  const host = url.hostname.toLowerCase();
  const official = url.protocol === 'https:' && OFFICIAL_HOSTS[kind].includes(host) && url.port === '';
  const configured = (url.protocol === 'https:' || url.protocol === 'http:') && extraHosts.includes(host);
  if (!(official || configured) || url.username || url.password)
    throw new AppError('webhook_invalid', {}, { field: 'webhook' });
  return url.toString();
}

export async function listChannels(ctx: Ctx): Promise<ChannelView[]> {
  requireOrganizer(ctx.actor);
  const since = new Date(ctx.now.getTime() - 7 * 86_400_000).toISOString();
  const [rows, units, counts] = await Promise.all([
    ctx.db.selectFrom('nt_channels').selectAll().orderBy('created_at').execute(),
    ctx.db.selectFrom('units').select(['id', 'name']).execute(),
    ctx.db
      .selectFrom('nt_deliveries')
      .select(['channel_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('created_at', '>=', since)
      .groupBy(['channel_id', 'state'])
      .execute(),
  ]);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  return rows.map((r) => {
    const mine = counts.filter((c) => c.channel_id === r.id);
    const n = (...states: string[]) =>
      mine.filter((c) => states.includes(c.state)).reduce((s, c) => s + Number(c.n), 0);
    return {
      id: r.id,
      name: r.name,
      kind: r.kind as ChannelKind,
      audience: r.audience as Audience,
      unitId: r.unit_id,
      unitName: r.unit_id ? (unitName.get(r.unit_id) ?? null) : null,
      webhookHint: r.webhook_hint,
      signed: r.secret_enc !== null,
      mutedKinds: JSON.parse(r.muted_kinds) as string[],
      quietFrom: r.quiet_from,
      quietTo: r.quiet_to,
      digest: r.digest === 1,
      enabled: r.enabled === 1,
      recent: { sent: n('sent'), pending: n('pending', 'sending', 'digest'), failed: n('failed') },
    };
  });
}

async function assertUnit(ctx: Ctx, unitId: string | null) {
  if (!unitId) return;
  const u = await ctx.db.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst();
  if (!u) throw new AppError('not_found', { what: 'unit' });
}

/** Creates a robot (id null) or updates one; the webhook and secret, when given, are sealed. */
export async function saveChannel(ctx: Ctx, id: string | null, input: ChannelBody): Promise<{ id: string }> {
  requireOrganizer(ctx.actor);
  const key = requireLinkKey(ctx);
  await assertUnit(ctx, input.unitId);
  const existing = id
    ? await ctx.db.selectFrom('nt_channels').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (id && !existing) throw new AppError('not_found', { what: 'channel' });
  if (!existing && !input.webhook) throw new AppError('webhook_invalid', {}, { field: 'webhook' });
  const webhook = input.webhook ? checkedWebhook(input.kind, input.webhook) : null;
  const fields = {
    name: input.name,
    kind: input.kind,
    audience: input.audience,
    unit_id: input.audience === 'unit' ? input.unitId : null,
    muted_kinds: JSON.stringify(input.mutedKinds),
    quiet_from: input.quietFrom,
    quiet_to: input.quietTo,
    digest: input.digest ? 1 : 0,
    enabled: input.enabled ? 1 : 0,
    updated_at: nowIso(ctx),
    ...(webhook
      ? { webhook_enc: seal(key, SEALED_PURPOSE, webhook), webhook_hint: webhookHint(webhook) }
      : {}),
    ...(input.secret === undefined
      ? {}
      : { secret_enc: input.secret === '' ? null : seal(key, SEALED_PURPOSE, input.secret) }),
  };
  // What the audit log keeps: the settings, never the address or the secret.
  const { webhook: _w, secret: _s, ...logged } = input;
  const channelId = id ?? newId();
  await ctx.db.transaction().execute(async (trx) => {
    if (existing) {
      await trx.updateTable('nt_channels').set(fields).where('id', '=', channelId).execute();
    } else {
      await trx
        .insertInto('nt_channels')
        .values({
          id: channelId,
          webhook_enc: '',
          webhook_hint: '',
          secret_enc: null,
          created_at: nowIso(ctx),
          ...fields,
        })
        .execute();
    }
    await audit(
      { ...ctx, db: trx },
      {
        action: existing ? 'channel.updated' : 'channel.created',
        target: input.name,
        after: { ...logged, webhookChanged: Boolean(webhook), secretChanged: input.secret !== undefined },
      },
    );
  });
  return { id: channelId };
}

/** A robot the organizer acts on, or not_found. */
async function organizersChannel(ctx: Ctx, id: string): Promise<{ id: string; name: string }> {
  requireOrganizer(ctx.actor);
  const row = await ctx.db
    .selectFrom('nt_channels')
    .select(['id', 'name'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', { what: 'channel' });
  return row;
}

export async function deleteChannel(ctx: Ctx, id: string): Promise<{ ok: true }> {
  const row = await organizersChannel(ctx, id);
  await ctx.db.transaction().execute(async (trx) => {
    // Undelivered messages to it go nowhere; the log of what was sent stays.
    await trx.deleteFrom('nt_deliveries').where('channel_id', '=', id).where('state', '!=', 'sent').execute();
    await trx.deleteFrom('nt_channels').where('id', '=', id).execute();
    await audit({ ...ctx, db: trx }, { action: 'channel.deleted', target: row.name });
  });
  return { ok: true };
}

/** Queues a test message to one robot: the organizer sees it arrive (or fail) in the log. */
export async function testChannel(ctx: Ctx, id: string): Promise<{ ok: true }> {
  const row = await organizersChannel(ctx, id);
  await ctx.db.transaction().execute(async (trx) => {
    await enqueueNotice(
      { ...ctx, db: trx },
      {
        causeKey: `test:${id}:${newId()}`,
        kind: 'test',
        unitId: null,
        audiences: [],
        channelIds: [id],
        title: '晒拼 测试消息',
        markdown: `#### 晒拼 测试消息\n\n「${row.name}」机器人已接通，督办提醒将发送到本群。`,
        linkPath: '/supervision/inbox',
        mentionUserIds: [],
      },
    );
  });
  return { ok: true };
}

export async function listDeliveries(
  ctx: Ctx,
  q: { state?: string | undefined; channelId?: string | undefined; limit: number },
): Promise<DeliveryView[]> {
  requireOrganizer(ctx.actor);
  let query = ctx.db
    .selectFrom('nt_deliveries as d')
    .innerJoin('nt_outbox as o', 'o.id', 'd.outbox_id')
    .leftJoin('nt_channels as c', 'c.id', 'd.channel_id')
    .select([
      'd.id',
      'd.channel_id',
      'c.name as channel_name',
      'o.kind',
      'o.title',
      'd.state',
      'd.attempts',
      'd.last_error',
      'd.created_at',
      'd.sent_at',
      'd.not_before',
    ])
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(q.limit);
  if (q.state) query = query.where('d.state', '=', q.state);
  if (q.channelId) query = query.where('d.channel_id', '=', q.channelId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channel_id,
    channelName: r.channel_name ?? '',
    kind: r.kind,
    title: r.title,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    notBefore: r.not_before,
  }));
}

/** A failed delivery is tried again from now, with a fresh count of attempts. */
export async function retryDelivery(ctx: Ctx, id: string): Promise<{ ok: true }> {
  requireOrganizer(ctx.actor);
  const res = await ctx.db
    .updateTable('nt_deliveries')
    .set({ state: 'pending', attempts: 0, not_before: nowIso(ctx), last_error: null })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new AppError('not_found', { what: 'delivery' });
  return { ok: true };
}

export async function getContact(ctx: Ctx): Promise<ContactView> {
  const user = requireUser(ctx.actor);
  const row = await ctx.db
    .selectFrom('nt_contacts')
    .selectAll()
    .where('user_id', '=', user.userId)
    .executeTakeFirst();
  return {
    mobile: row?.mobile ?? null,
    imId: row?.im_id ?? null,
    mutedKinds: row ? (JSON.parse(row.muted_kinds) as string[]) : [],
  };
}

export async function saveContact(ctx: Ctx, input: ContactView): Promise<ContactView> {
  const user = requireUser(ctx.actor);
  const values = {
    mobile: input.mobile,
    im_id: input.imId,
    muted_kinds: JSON.stringify(input.mutedKinds),
    updated_at: nowIso(ctx),
  };
  await ctx.db
    .insertInto('nt_contacts')
    .values({ user_id: user.userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
  return input;
}
