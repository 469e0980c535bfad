// Reading stored report photos for a PPTX (photos.ts handles upload and single reads).
import type { Ctx } from '../../platform/context.ts';
import type { PhotoSource } from './pptx.ts';

/** The photos of these units, loaded once for a PPTX: the renderer asks by id. */
export async function photoSource(ctx: Ctx, eventId: string, unitIds: string[]): Promise<PhotoSource> {
  if (unitIds.length === 0) return () => null;
  const rows = await ctx.db
    .selectFrom('report_photos')
    .select(['id', 'mime', 'content_base64'])
    .where('event_id', '=', eventId)
    .where('unit_id', 'in', unitIds)
    .execute();
  const byId = new Map(
    rows.map((r) => [r.id, { data: Buffer.from(r.content_base64, 'base64'), mime: r.mime }]),
  );
  return (id) => byId.get(id) ?? null;
}
