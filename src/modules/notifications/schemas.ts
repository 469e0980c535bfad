// The notifications API's messages, shared by the server and the console.
import { z } from 'zod';
import { idSchema } from '../../kernel/schemas.ts';
import { AUDIENCES, MUTABLE_KINDS, NOTICE_KINDS } from './domain/notices.ts';
import { CHANNEL_KINDS } from './domain/robots.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const mutableKind = z.enum(MUTABLE_KINDS as unknown as [string, ...string[]]);

export const channelBody = z
  .object({
    name: z.string().trim().min(1).max(60),
    kind: z.enum(CHANNEL_KINDS),
    audience: z.enum(AUDIENCES),
    unitId: idSchema.nullable(),
    /** Required when creating; omitted on an update to keep the stored one. */
    webhook: z.string().trim().max(1000).optional(),
    /** The signing secret (DingTalk 加签, Feishu 签名校验); "" removes it; omitted keeps it. */
    secret: z.string().trim().max(200).optional(),
    mutedKinds: z.array(mutableKind).max(NOTICE_KINDS.length),
    quietFrom: hhmm.nullable(),
    quietTo: hhmm.nullable(),
    digest: z.boolean(),
    enabled: z.boolean(),
  })
  .refine((c) => (c.audience === 'unit') === (c.unitId !== null), { path: ['unitId'], message: 'unit' })
  .refine((c) => (c.quietFrom === null) === (c.quietTo === null), { path: ['quietTo'], message: 'both' });
export type ChannelBody = z.infer<typeof channelBody>;

export const channelView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(CHANNEL_KINDS),
  audience: z.enum(AUDIENCES),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  /** The robot's host and the last characters of its key: enough to recognise it, never to use it. */
  webhookHint: z.string(),
  signed: z.boolean(),
  mutedKinds: z.array(z.string()),
  quietFrom: z.string().nullable(),
  quietTo: z.string().nullable(),
  digest: z.boolean(),
  enabled: z.boolean(),
  /** Deliveries of the last 7 days by state. */
  recent: z.object({ sent: z.number(), pending: z.number(), failed: z.number() }),
});
export type ChannelView = z.infer<typeof channelView>;

export const deliveryView = z.object({
  id: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  kind: z.string(),
  title: z.string(),
  state: z.string(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  notBefore: z.string(),
});
export type DeliveryView = z.infer<typeof deliveryView>;

export const deliveriesQuery = z.object({
  state: z.enum(['pending', 'sending', 'sent', 'failed', 'muted', 'digest', 'digested']).optional(),
  channelId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const contactBody = z.object({
  mobile: z
    .string()
    .trim()
    .regex(/^\+?\d{6,15}$/)
    .nullable(),
  /** A WeCom userid or Feishu open_id: letters, digits and . _ @ -, never "all" (which @s the whole group). */
  imId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.@-]{1,64}$/)
    .refine((v) => v.toLowerCase() !== 'all' && v !== '@all', { message: 'all' })
    .nullable(),
  mutedKinds: z.array(mutableKind).max(NOTICE_KINDS.length),
});
export const contactView = contactBody;
export type ContactView = z.infer<typeof contactView>;
