// Report photos as they are stored: upright by their EXIF orientation, at most 1280 px, JPEG without
// metadata; anything that is not a decodable image within the pixel bound is refused.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { normalizePhoto, PHOTO_MAX_SIDE } from '../../src/platform/images.ts';

const image = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } });

describe('normalizePhoto', () => {
  it('turns a photo upright by its EXIF orientation and drops the metadata', async () => {
    // A camera held sideways: the pixels are 400 × 200, the orientation tag says "rotate 90°".
    const sideways = await image(400, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(sideways).metadata()).orientation).toBe(6);
    const out = await normalizePhoto(sideways);
    expect(out).toMatchObject({ width: 200, height: 400 });
    const meta = await sharp(out!.data).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 200, height: 400 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it('scales a large photo to the long side, keeping its proportions, and never enlarges a small one', async () => {
    const big = await normalizePhoto(await image(4000, 3000).png().toBuffer());
    expect(big).toMatchObject({ width: PHOTO_MAX_SIDE, height: (PHOTO_MAX_SIDE * 3) / 4 });
    const small = await normalizePhoto(await image(320, 240).webp().toBuffer());
    expect(small).toMatchObject({ width: 320, height: 240 });
  });

  it('refuses what is not a whole image, and an image beyond the pixel bound', async () => {
    expect(await normalizePhoto(Buffer.from('not an image at all'))).toBeNull();
    const jpeg = await image(200, 200).jpeg().toBuffer();
    expect(await normalizePhoto(jpeg.subarray(0, jpeg.length / 2))).toBeNull();
    // 9000 × 5000 = 45 megapixels: a small file that would unpack into 135 MB of pixels.
    const bomb = await image(9000, 5000).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(2_000_000);
    expect(await normalizePhoto(bomb)).toBeNull();
  });
});
