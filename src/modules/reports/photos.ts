// A unit's report photos: uploaded by its author, checked by their bytes (never by name or declared
// type), bounded in size and in pixels before they are decoded (a small file can unpack into a huge
// image), turned upright by their EXIF orientation, scaled to at most 1280 px and re-encoded as JPEG
// without metadata (no camera serial or GPS position leaves in a deck). sharp runs on libuv's thread
// pool, off the event loop.
import sharp from 'sharp';
import { requireOrganizer, requireUser } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { assertImage, MAX_INPUT_PIXELS, normalizePhoto, PHOTO_TYPES } from '../../platform/images.ts';
import { getEventRow } from '../event/index.ts';
import { authorOf, hallOf, loadReport, lockedOf, readableReport } from './reports.ts';

/** A unit's photos in one event: far more than its highlights can show. */
export const MAX_PHOTOS_PER_UNIT = 40;

export interface PhotoView {
  id: string;
  width: number;
  height: number;
  size: number;
  createdAt: string;
}

export async function uploadPhoto(
  ctx: Ctx,
  eventId: string,
  unitId: string,
  body: unknown,
): Promise<PhotoView> {
  const user = authorOf(ctx, unitId);
  const l = await loadReport(ctx, eventId, unitId);
  if (lockedOf(l.event)) throw new AppError('reports_locked');
  const image = await assertImage(body);
  const count = await ctx.db
    .selectFrom('report_photos')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('event_id', '=', eventId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  if (Number(count?.n ?? 0) >= MAX_PHOTOS_PER_UNIT)
    throw new AppError('too_many_photos', { max: MAX_PHOTOS_PER_UNIT });
  const photo = await normalizePhoto(image);
  if (!photo) throw new AppError('file_type_invalid', { expected: PHOTO_TYPES });
  const row = {
    id: newId(),
    event_id: eventId,
    unit_id: unitId,
    mime: 'image/jpeg',
    width: photo.width,
    height: photo.height,
    size: photo.data.length,
    content_base64: photo.data.toString('base64'),
    uploaded_by: user.userId,
    created_at: nowIso(ctx),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('report_photos').values(row).execute();
    await audit(
      { ...ctx, db: trx },
      {
        eventId,
        action: 'report.photo_uploaded',
        target: l.unitName,
        after: { photoId: row.id, width: row.width, height: row.height, size: row.size },
      },
    );
  });
  return { id: row.id, width: row.width, height: row.height, size: row.size, createdAt: row.created_at };
}

/** A unit's photo, for whoever may read its report (the hall: once approved). */
export async function readPhoto(
  ctx: Ctx,
  eventId: string,
  unitId: string,
  photoId: string,
): Promise<{ data: Buffer; mime: string }> {
  await readableReport(ctx, eventId, unitId);
  const row = await ctx.db
    .selectFrom('report_photos')
    .select(['mime', 'content_base64'])
    .where('id', '=', photoId)
    .where('event_id', '=', eventId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', { what: 'photo' });
  return { data: Buffer.from(row.content_base64, 'base64'), mime: row.mime };
}

export async function listPhotos(ctx: Ctx, eventId: string, unitId: string): Promise<PhotoView[]> {
  authorOf(ctx, unitId);
  await loadReport(ctx, eventId, unitId);
  const rows = await ctx.db
    .selectFrom('report_photos')
    .select(['id', 'width', 'height', 'size', 'created_at'])
    .where('event_id', '=', eventId)
    .where('unit_id', '=', unitId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    width: Number(r.width),
    height: Number(r.height),
    size: Number(r.size),
    createdAt: r.created_at,
  }));
}

// ---------- the event's logo (the template's look) ----------

/** Upright, at most 600 × 300 px, PNG (a logo keeps its transparency); null when it is no image. */
async function normalizeLogo(body: Buffer): Promise<Buffer | null> {
  try {
    return await sharp(body, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: 600, height: 300, fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer();
  } catch {
    return null;
  }
}

export async function uploadLogo(ctx: Ctx, eventId: string, body: unknown): Promise<{ ok: true }> {
  requireOrganizer(ctx.actor);
  const event = await getEventRow(ctx, eventId);
  if (lockedOf(event)) throw new AppError('reports_locked');
  const image = await assertImage(body);
  const png = await normalizeLogo(image);
  if (!png) throw new AppError('file_type_invalid', { expected: PHOTO_TYPES });
  const row = {
    event_id: eventId,
    mime: 'image/png',
    content_base64: png.toString('base64'),
    updated_at: nowIso(ctx),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('report_logos').where('event_id', '=', eventId).execute();
    await trx.insertInto('report_logos').values(row).execute();
    await audit(
      { ...ctx, db: trx },
      { eventId, action: 'report_template.logo', target: event.title, after: { size: png.length } },
    );
  });
  return { ok: true };
}

export async function deleteLogo(ctx: Ctx, eventId: string): Promise<{ ok: true }> {
  requireOrganizer(ctx.actor);
  const event = await getEventRow(ctx, eventId);
  if (lockedOf(event)) throw new AppError('reports_locked');
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('report_logos').where('event_id', '=', eventId).execute();
    await audit(
      { ...ctx, db: trx },
      { eventId, action: 'report_template.logo', target: event.title, after: null },
    );
  });
  return { ok: true };
}

/** The logo, for every signed-in user and for the event's own screen and judges (it is on every cover). */
export async function readLogo(ctx: Ctx, eventId: string): Promise<{ data: Buffer; mime: string }> {
  if (!hallOf(ctx.actor, eventId)) requireUser(ctx.actor);
  const row = await ctx.db
    .selectFrom('report_logos')
    .select(['mime', 'content_base64'])
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', { what: 'logo' });
  return { data: Buffer.from(row.content_base64, 'base64'), mime: row.mime };
}
