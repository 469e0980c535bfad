// Evidence photos of task answers and project updates. Before the picture is normalized (and its
// metadata stripped), the camera's capture time and place are kept, and a fingerprint is taken. The
// reviewer then sees beside each photo when and where it was taken, and flags: no capture data, taken
// before the task (or the project) began, or the same picture as one uploaded before (anywhere).
import { requireUser } from '../../kernel/actor.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { nowIso } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import {
  assertImage,
  captureData,
  fingerprintDistance,
  imageFingerprint,
  normalizePhoto,
  PHOTO_TYPES,
  SAME_PICTURE_BITS,
} from '../../platform/images.ts';
import type { EvidencePhoto } from './schemas.ts';

export type OwnerKind = 'task' | 'project_update';
/** Photos one task or update may carry. */
export const MAX_EVIDENCE_PHOTOS = 20;

/** Flags from the facts: pure, so the reviewer's page and the tests read the same rule. */
export function photoFlags(
  p: { takenAt: string | null; sameAsId: string | null },
  startedAt: string,
): EvidencePhoto['flags'] {
  const flags: EvidencePhoto['flags'] = [];
  if (!p.takenAt) flags.push('no_capture_data');
  else if (Date.parse(p.takenAt) < Date.parse(startedAt)) flags.push('taken_before_start');
  if (p.sameAsId) flags.push('reused');
  return flags;
}

export async function photosOf(
  ctx: Pick<Ctx, 'db'>,
  kind: OwnerKind,
  ownerIds: string[],
  startedAt: string,
): Promise<EvidencePhoto[]> {
  if (ownerIds.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('sv_photos')
    .select([
      'id',
      'owner_id',
      'width',
      'height',
      'taken_at',
      'latitude',
      'longitude',
      'pair_role',
      'same_as_id',
      'created_at',
    ])
    .where('owner_kind', '=', kind)
    .where('owner_id', 'in', ownerIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  // A before/after pair reads before → after, whatever order (or millisecond) it was uploaded in.
  const pairRank = (role: string | null) => (role === 'before' ? 0 : role === 'after' ? 2 : 1);
  rows.sort(
    (a, b) => a.created_at.localeCompare(b.created_at) || pairRank(a.pair_role) - pairRank(b.pair_role),
  );
  return rows.map((r) => ({
    id: r.id,
    ownerId: r.owner_id,
    width: r.width,
    height: r.height,
    takenAt: r.taken_at,
    latitude: r.latitude,
    longitude: r.longitude,
    pairRole: r.pair_role as EvidencePhoto['pairRole'],
    sameAsId: r.same_as_id,
    flags: photoFlags({ takenAt: r.taken_at, sameAsId: r.same_as_id }, startedAt),
    createdAt: r.created_at,
  }));
}

/** Stores one photo for `owner` (the caller checked the actor may), with its capture data and flags. */
export async function storeEvidencePhoto(
  ctx: Ctx,
  owner: { kind: OwnerKind; id: string; unitId: string; startedAt: string },
  body: unknown,
  pairRole: 'before' | 'after' | null,
): Promise<EvidencePhoto> {
  const user = requireUser(ctx.actor);
  const image = await assertImage(body);
  const count = await ctx.db
    .selectFrom('sv_photos')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_kind', '=', owner.kind)
    .where('owner_id', '=', owner.id)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_EVIDENCE_PHOTOS)
    throw new AppError('too_many_photos', { max: MAX_EVIDENCE_PHOTOS });
  const [capture, normalized] = await Promise.all([captureData(image), normalizePhoto(image)]);
  if (!normalized) throw new AppError('file_type_invalid', { expected: PHOTO_TYPES });
  const fingerprint = await imageFingerprint(normalized.data);
  // The nearest earlier picture, anywhere in the product: reused evidence is what reviewers miss.
  const earlier = await ctx.db.selectFrom('sv_photos').select(['id', 'phash']).execute();
  const same = earlier.find((e) => fingerprintDistance(e.phash, fingerprint) <= SAME_PICTURE_BITS);
  const id = newId();
  const createdAt = nowIso(ctx);
  await ctx.db
    .insertInto('sv_photos')
    .values({
      id,
      unit_id: owner.unitId,
      owner_kind: owner.kind,
      owner_id: owner.id,
      mime: 'image/jpeg',
      width: normalized.width,
      height: normalized.height,
      size: normalized.data.length,
      content_base64: normalized.data.toString('base64'),
      taken_at: capture.takenAt,
      latitude: capture.latitude,
      longitude: capture.longitude,
      phash: fingerprint,
      same_as_id: same?.id ?? null,
      pair_role: pairRole,
      uploaded_by: user.userId,
      created_at: createdAt,
    })
    .execute();
  return {
    id,
    ownerId: owner.id,
    width: normalized.width,
    height: normalized.height,
    takenAt: capture.takenAt,
    latitude: capture.latitude,
    longitude: capture.longitude,
    pairRole,
    sameAsId: same?.id ?? null,
    flags: photoFlags({ takenAt: capture.takenAt, sameAsId: same?.id ?? null }, owner.startedAt),
    createdAt,
  };
}

/** A photo's bytes, for those who may read its unit's work (organizer, leaders, observers, the unit). */
export async function readEvidencePhoto(ctx: Ctx, id: string): Promise<{ data: Buffer; mime: string }> {
  const user = requireUser(ctx.actor);
  const row = await ctx.db
    .selectFrom('sv_photos')
    .select(['unit_id', 'mime', 'content_base64', 'owner_kind', 'owner_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', { what: 'photo' });
  if (user.role === 'reporter' && user.unitId !== row.unit_id) {
    // Another unit sees a project's acknowledged updates, photos included; nothing else of this unit.
    const update =
      row.owner_kind === 'project_update'
        ? await ctx.db
            .selectFrom('lp_updates')
            .select('status')
            .where('id', '=', row.owner_id)
            .executeTakeFirst()
        : undefined;
    if (update?.status !== 'verified') throw new AppError('forbidden');
  }
  return { data: Buffer.from(row.content_base64, 'base64'), mime: row.mime };
}
