// Uploaded images, for every module that takes photos: checked by their bytes (never by name or
// declared type), bounded in size and in pixels before they are decoded (a small file can unpack into
// a huge image), turned upright by their EXIF orientation, scaled and re-encoded as JPEG without
// metadata (no camera serial or GPS position leaves in a deck). What the camera said about when and
// where it was taken is read first, for evidence that must be trusted. sharp runs on libuv's thread
// pool, off the event loop; exifr reads only the metadata segment.
import exifr from 'exifr';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../kernel/errors.ts';
import { MAX_UPLOAD_BYTES } from './excel.ts';

export const PHOTO_TYPES = 'JPG / PNG / WebP';
const ACCEPTED = new Set(['jpg', 'png', 'webp']);
/** About 40 megapixels: any phone camera, not a decompression bomb. */
export const MAX_INPUT_PIXELS = 40_000_000;
/**
 * A highlight's photo frame is at most 4.6 × 5.6 in of a 13.33 in slide: about 700 px tall on a 1080p
 * screen, 1,700 px printed at 300 dpi. 1280 px is sharp on the screen, good in print, and keeps a
 * 60-unit deck with two photos a unit (about 150 KB each) well inside its memory budget.
 */
export const PHOTO_MAX_SIDE = 1280;

/** An upload is an image we take, by its bytes and size (decoding comes after, bounded in pixels). */
export async function assertImage(body: unknown): Promise<Buffer> {
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new AppError('file_type_invalid', { expected: PHOTO_TYPES });
  if (body.length > MAX_UPLOAD_BYTES)
    throw new AppError('file_too_large', { maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 });
  const kind = await fileTypeFromBuffer(body);
  if (!kind || !ACCEPTED.has(kind.ext)) throw new AppError('file_type_invalid', { expected: PHOTO_TYPES });
  return body;
}

/** Upright, at most PHOTO_MAX_SIDE on its long side, JPEG without metadata; null when it is no image. */
export async function normalizePhoto(
  body: Buffer,
): Promise<{ data: Buffer; width: number; height: number } | null> {
  try {
    const { data, info } = await sharp(body, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: PHOTO_MAX_SIDE, height: PHOTO_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch {
    // Truncated, corrupt, or beyond the pixel bound: not a photo we can show.
    return null;
  }
}

export interface CaptureData {
  /** ISO instant, or null when the camera recorded none. */
  takenAt: string | null;
  latitude: number | null;
  longitude: number | null;
}

/**
 * When and where the camera says the photo was taken. EXIF times carry no zone unless the camera adds
 * OffsetTimeOriginal; without it the time is read as China time (UTC+8), where these photos are taken.
 */
export async function captureData(body: Buffer): Promise<CaptureData> {
  try {
    const tags = (await exifr.parse(body, {
      pick: [
        'DateTimeOriginal',
        'CreateDate',
        'OffsetTimeOriginal',
        'GPSLatitude',
        'GPSLongitude',
        'GPSLatitudeRef',
        'GPSLongitudeRef',
      ],
      reviveValues: false,
      gps: true,
    })) as Record<string, unknown> | undefined;
    const raw = String(tags?.DateTimeOriginal ?? tags?.CreateDate ?? '');
    const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(raw);
    const offset =
      typeof tags?.OffsetTimeOriginal === 'string' && /^[+-]\d{2}:\d{2}$/.test(tags.OffsetTimeOriginal)
        ? tags.OffsetTimeOriginal
        : '+08:00';
    const at = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`) : Number.NaN;
    const gps = await exifr.gps(body).catch(() => undefined);
    const lat = gps && Number.isFinite(gps.latitude) ? gps.latitude : null;
    const lng = gps && Number.isFinite(gps.longitude) ? gps.longitude : null;
    return {
      takenAt: Number.isFinite(at) ? new Date(at).toISOString() : null,
      latitude: lat,
      longitude: lng,
    };
  } catch {
    return { takenAt: null, latitude: null, longitude: null };
  }
}

/**
 * A 64-bit difference hash (dHash) as 16 hex digits: the picture shrunk to 9×8 grey pixels, one bit
 * per horizontal neighbour pair. A re-saved, scaled or slightly cropped copy differs in a few bits.
 */
export async function imageFingerprint(body: Buffer): Promise<string> {
  const grey = await sharp(body, { limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .greyscale()
    .resize(9, 8, { fit: 'fill' })
    .raw()
    .toBuffer();
  let bits = 0n;
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++)
      bits = (bits << 1n) | ((grey[y * 9 + x] ?? 0) > (grey[y * 9 + x + 1] ?? 0) ? 1n : 0n);
  return bits.toString(16).padStart(16, '0');
}

/** Bits that differ between two fingerprints (0–64). */
export function fingerprintDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  while (x > 0n) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

/** At most this many differing bits: the same picture (re-saved, scaled, lightly edited). */
export const SAME_PICTURE_BITS = 6;
