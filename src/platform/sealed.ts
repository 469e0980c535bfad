// Secrets the product must use but never show again (robot webhook addresses and signing secrets):
// sealed with AES-256-GCM under a key derived from the server's link key (platform/link-tokens.ts),
// so a copy of the database alone does not yield them.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const keyFor = (linkKey: Buffer, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', linkKey, Buffer.alloc(0), `shaipin sealed ${purpose}`, 32));

/** "v1.<iv>.<tag>.<ciphertext>", base64url parts. */
export function seal(linkKey: Buffer, purpose: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(linkKey, purpose), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The sealed text, or an error if it was sealed under another key or altered. */
export function unseal(linkKey: Buffer, purpose: string, sealed: string): string {
  const [v, iv, tag, data] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(linkKey, purpose), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
