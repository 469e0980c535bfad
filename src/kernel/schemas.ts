// Schemas every module shares: roles, ids, the error body, import row errors. Pure Zod, no I/O.
import { z } from 'zod';

export const roleSchema = z.enum(['organizer', 'reporter', 'leader', 'observer']);
export type Role = z.infer<typeof roleSchema>;

export const idSchema = z.string().min(1).max(64);
export const idParams = z.object({ id: idSchema });
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const shortText = z.string().trim().min(1).max(200);

export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

export const importRowError = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowError>;
export const importResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

export const okBody = z.object({ ok: z.literal(true) });
