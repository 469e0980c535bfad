// The PostgreSQL of the tests runs as the `postgres` user when the tests run as root: it must be able
// to reach the binaries, or they are copied where it can (test/support/embedded-postgres.ts).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { othersCanReach } from '../support/embedded-postgres.ts';

describe('whether the postgres user can reach the binaries', () => {
  const top = mkdtempSync(join(tmpdir(), 'shaipin-reach-'));
  afterAll(() => rmSync(top, { recursive: true, force: true }));

  it('not in a folder only its owner may enter (mktemp -d, /root), yes once it may be entered', () => {
    const bin = join(top, 'node_modules', 'pkg', 'bin');
    mkdirSync(bin, { recursive: true });
    const postgres = join(bin, 'postgres');
    writeFileSync(postgres, '');
    chmodSync(top, 0o700);
    expect(othersCanReach(postgres)).toBe(false);
    chmodSync(top, 0o755);
    expect(othersCanReach(postgres)).toBe(true);
    chmodSync(join(top, 'node_modules'), 0o750);
    expect(othersCanReach(postgres)).toBe(false);
  });
});
