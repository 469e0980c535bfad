// Reading stored report photos for a PPTX (photos.ts handles upload and single reads).
import type { Ctx } from '../../platform/context.ts';
import { LOGO_PHOTO_ID } from './domain/layout.ts';
import type { PhotoSource } from './pptx.ts';

/** The photos of these units, loaded once for a PPTX: the renderer asks by id. */
export async function photoSource(ctx: Ctx, eventId: string, unitIds: string[]): Promise<PhotoSource> {
  const logo = await ctx.db
    .selectFrom('report_logos')
    .select(['mime', 'content_base64'])
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  const logoPhoto = logo ? { data: Buffer.from(logo.content_base64, 'base64'), mime: logo.mime } : null;
  if (unitIds.length === 0) return (id) => (id === LOGO_PHOTO_ID ? logoPhoto : null);
  const rows = await ctx.db
    .selectFrom('report_photos')
    .select(['id', 'mime', 'content_base64'])
    .where('event_id', '=', eventId)
    .where('unit_id', 'in', unitIds)
    .execute();
  const byId = new Map(
    rows.map((r) => [r.id, { data: Buffer.from(r.content_base64, 'base64'), mime: r.mime }]),
  );
  return (id) => (id === LOGO_PHOTO_ID ? logoPhoto : (byId.get(id) ?? null));
}
