// Request and response schemas of accounts: sign-in, users, units and tracks (server validation,
// OpenAPI and web types alike). Types are inferred, never written twice.
import { z } from 'zod';
import { idSchema, roleSchema, shortText, sortOrder } from '../../kernel/schemas.ts';

export const unitKindSchema = z.enum(['town', 'street', 'zone', 'department']);
export type UnitKind = z.infer<typeof unitKindSchema>;

// ---------- auth & accounts ----------
export const loginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});
export const userView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  unitId: z.string().nullable(),
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
  /** Organizer's list only: recent failed sign-ins by address (null: all addresses together). */
  signInFailures: z
    .array(
      z.object({
        address: z.string().nullable(),
        failures: z.number().int(),
        lastFailedAt: z.string(),
        blockedUntil: z.string().nullable(),
      }),
    )
    .optional(),
});
export type UserView = z.infer<typeof userView>;
export const judgeIdentity = z.object({
  judgeId: z.string(),
  name: z.string(),
  eventId: z.string(),
  panelName: z.string(),
});
export const meView = z.object({
  kind: z.enum(['user', 'judge', 'screen']),
  user: userView.nullable(),
  judge: judgeIdentity.nullable(),
  screen: z.object({ eventId: z.string() }).nullable().optional(),
});
export type MeView = z.infer<typeof meView>;
export const changePasswordBody = z.object({
  oldPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});
export const createUserBody = z.object({
  username: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/),
  displayName: shortText,
  role: roleSchema,
  unitId: idSchema.nullable().default(null),
});
export const updateUserBody = z.object({
  displayName: shortText.optional(),
  role: roleSchema.optional(),
  unitId: idSchema.nullable().optional(),
  disabled: z.boolean().optional(),
});
export const oneTimePasswordView = z.object({ user: userView, oneTimePassword: z.string() });

// ---------- tracks & units ----------
export const trackView = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  sort: z.number().int(),
});
export type TrackView = z.infer<typeof trackView>;
export const trackBody = z.object({
  nameZh: shortText,
  nameEn: z.string().trim().max(200).default(''),
  sort: sortOrder.default(0),
});
// Patches list their fields without defaults: Zod 4 applies a field's .default() even under
// .partial(), so a PATCH that leaves a field out would silently reset it.
export const trackPatch = z
  .object({ nameZh: shortText, nameEn: z.string().trim().max(200), sort: sortOrder })
  .partial();

export const unitView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  shortName: z.string(),
  kind: unitKindSchema,
  trackId: z.string().nullable(),
  sort: z.number().int(),
});
export type UnitView = z.infer<typeof unitView>;
export const unitBody = z.object({
  code: z.string().trim().min(1).max(32),
  name: shortText,
  shortName: z.string().trim().max(50).default(''),
  kind: unitKindSchema,
  trackId: idSchema.nullable().default(null),
  sort: sortOrder.default(0),
});
export const unitPatch = z
  .object({
    code: z.string().trim().min(1).max(32),
    name: shortText,
    shortName: z.string().trim().max(50),
    kind: unitKindSchema,
    trackId: idSchema.nullable(),
    sort: sortOrder,
  })
  .partial();
