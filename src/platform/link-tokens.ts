// Judge invites and big-screen links are credentials printed on paper. The database keeps only the
// sha256 of each, so a copied database opens no event. The link itself is an HMAC of its row id under
// a key kept outside the database, so the organizer can print the sheet again without new links.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type LinkKind = 'invite' | 'screen';

/** What the database stores of a token (also the stored id of a session). */
export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The token of one invite or screen link: the same for the same key and row, unguessable without the key. */
export const linkToken = (key: Buffer, kind: LinkKind, id: string): string =>
  createHmac('sha256', key).update(`${kind}:${id}`).digest('base64url');

/**
 * The token again, for a reprint, or null when this key did not make it: a link issued before links
 * were derived, or under another key (a new data folder without its key file). Such a link still
 * signs in; printing it again needs a new link.
 */
export function reprintToken(key: Buffer, kind: LinkKind, id: string, storedDigest: string): string | null {
  const token = linkToken(key, kind, id);
  const a = Buffer.from(tokenDigest(token), 'hex');
  const b = Buffer.from(storedDigest, 'hex');
  return a.length === b.length && timingSafeEqual(a, b) ? token : null;
}

export const MIN_LINK_SECRET_LENGTH = 32;

/**
 * The link key: from a secret given in the environment (several servers on several machines), else
 * from a key file in the data folder, created on first start readable by its owner only.
 */
export function loadLinkKey(options: { secret?: string | undefined; file: string }): Buffer {
  if (options.secret !== undefined && options.secret !== '') {
    if (options.secret.length < MIN_LINK_SECRET_LENGTH) {
      throw new Error(`SHAIPIN_LINK_SECRET must be at least ${MIN_LINK_SECRET_LENGTH} characters long.`);
    }
    return createHash('sha256').update(options.secret).digest();
  }
  try {
    return parseKeyFile(readFileSync(options.file, 'utf8'), options.file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dirname(options.file), { recursive: true });
  try {
    // 'wx': two servers starting together on one folder agree on the first key written.
    writeFileSync(options.file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return parseKeyFile(readFileSync(options.file, 'utf8'), options.file);
}

function parseKeyFile(text: string, file: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file} is not a link key (64 hex digits expected).`);
  return Buffer.from(hex, 'hex');
}
