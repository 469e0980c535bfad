import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linkToken, loadLinkKey, reprintToken, tokenDigest } from '../../src/platform/link-tokens.ts';

describe('link tokens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shaipin-link-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const keyA = Buffer.alloc(32, 1);
  const keyB = Buffer.alloc(32, 2);

  it('derives one token per key, kind and row, and gives it back only for its own digest', () => {
    const t = linkToken(keyA, 'invite', 'row-1');
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(linkToken(keyA, 'invite', 'row-1')).toBe(t);
    expect(
      new Set([
        t,
        linkToken(keyA, 'invite', 'row-2'),
        linkToken(keyA, 'screen', 'row-1'),
        linkToken(keyB, 'invite', 'row-1'),
      ]).size,
    ).toBe(4);
    expect(reprintToken(keyA, 'invite', 'row-1', tokenDigest(t))).toBe(t);
    expect(reprintToken(keyB, 'invite', 'row-1', tokenDigest(t))).toBeNull();
    expect(reprintToken(keyA, 'invite', 'row-1', tokenDigest('an older random token'))).toBeNull();
    expect(reprintToken(keyA, 'invite', 'row-1', 'not hex')).toBeNull();
  });

  it('creates the key file once, readable by its owner only, and reads the same key after', () => {
    const file = join(dir, 'data', 'link.key');
    const first = loadLinkKey({ file });
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadLinkKey({ file }).equals(first)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('hex'));
  });

  it('takes a secret from the environment over the file, and refuses a short one or a damaged file', () => {
    const file = join(dir, 'other.key');
    const secret = 'x'.repeat(40);
    expect(loadLinkKey({ secret, file }).equals(loadLinkKey({ secret, file: join(dir, 'unused.key') }))).toBe(
      true,
    );
    expect(() => loadLinkKey({ secret: 'short', file })).toThrow(/at least 32/);
    writeFileSync(file, 'hello');
    expect(() => loadLinkKey({ file })).toThrow(/not a link key/);
  });
});
