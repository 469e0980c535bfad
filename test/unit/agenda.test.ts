import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  drawOrder,
  readableSeed,
  seededShuffle,
  seededUint32Stream,
  uniformInt,
} from '../../src/modules/event/domain/agenda.ts';

const units = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ unitId: `u${i}`, code: `C${String(i).padStart(3, '0')}` }));

describe('seeded random stream', () => {
  it('is SHA-256 of "<key>#<block>", eight big-endian u32 per block', () => {
    const next = seededUint32Stream('2023-draw');
    const block0 = createHash('sha256').update('2023-draw#0').digest();
    const block1 = createHash('sha256').update('2023-draw#1').digest();
    const expected = [
      ...Array.from({ length: 8 }, (_, k) => block0.readUInt32BE(k * 4)),
      ...Array.from({ length: 8 }, (_, k) => block1.readUInt32BE(k * 4)),
    ];
    expect(Array.from({ length: 16 }, () => next())).toEqual(expected);
  });

  it('rejects draws that would bias small ranges', () => {
    // 2^32 - 1 is above floor(2^32 / 3) * 3 - 1 and must be skipped, 7 gives 7 mod 3.
    const values = [2 ** 32 - 1, 7];
    expect(uniformInt(() => values.shift() as number, 3)).toBe(1);
    expect(() => uniformInt(() => 0, 0)).toThrow(RangeError);
  });
});

describe('seededShuffle', () => {
  it('gives the same order for the same seed and a permutation of the input', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const a = seededShuffle(items, 'seed-1');
    expect(seededShuffle(items, 'seed-1')).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(items).toEqual(Array.from({ length: 20 }, (_, i) => i)); // input untouched
  });

  it('gives different orders for different seeds', () => {
    const items = Array.from({ length: 12 }, (_, i) => i);
    expect(seededShuffle(items, 'seed-1')).not.toEqual(seededShuffle(items, 'seed-2'));
  });

  it('keeps empty and single lists as they are', () => {
    expect(seededShuffle([], 'x')).toEqual([]);
    expect(seededShuffle(['only'], 'x')).toEqual(['only']);
  });

  it('is a permutation for any seed and list (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.integer(), { maxLength: 40 }), (seed, list) => {
        const out = seededShuffle(list, seed);
        expect([...out].sort((a, b) => a - b)).toEqual([...list].sort((a, b) => a - b));
        expect(seededShuffle(list, seed)).toEqual(out);
      }),
    );
  });

  it('puts every item first about equally often over many seeds', () => {
    const counts = [0, 0, 0, 0];
    const runs = 4000;
    for (let s = 0; s < runs; s++) {
      const first = seededShuffle([0, 1, 2, 3], `s${s}`)[0] as number;
      counts[first] = (counts[first] ?? 0) + 1;
    }
    for (const c of counts) expect(Math.abs(c - runs / 4)).toBeLessThan(runs * 0.04);
  });
});

describe('drawOrder', () => {
  it('does not depend on the order the units are given in: the input is sorted by unit code', () => {
    const list = units(8);
    const a = drawOrder('4821-9375', [{ trackId: 't1', units: list }]);
    const b = drawOrder('4821-9375', [{ trackId: 't1', units: [...list].reverse() }]);
    expect(b).toEqual(a);
    expect(a[0]?.unitIds).toHaveLength(8);
  });

  it('draws each track from its own stream: adding a track leaves the others unchanged', () => {
    const t1 = { trackId: 't1', units: units(6) };
    const t2 = { trackId: 't2', units: units(5).map((u) => ({ ...u, unitId: `d${u.unitId}` })) };
    const alone = drawOrder('seed', [t1]);
    const both = drawOrder('seed', [t1, t2]);
    expect(both[0]).toEqual(alone[0]);
    expect(both[1]?.unitIds.sort()).toEqual(t2.units.map((u) => u.unitId).sort());
  });

  it('follows the documented procedure exactly (Fisher–Yates over the sorted list)', () => {
    const list = units(5);
    const next = seededUint32Stream('abc|t1');
    const expected = list.map((u) => u.unitId);
    for (let i = expected.length - 1; i >= 1; i--) {
      const j = uniformInt(next, i + 1);
      [expected[i], expected[j]] = [expected[j] as string, expected[i] as string];
    }
    expect(drawOrder('abc', [{ trackId: 't1', units: list }])[0]?.unitIds).toEqual(expected);
  });
});

describe('readableSeed', () => {
  it('formats eight digits as NNNN-NNNN', () => {
    expect(readableSeed(12345678)).toBe('1234-5678');
    expect(readableSeed(42)).toBe('0000-0042');
    expect(readableSeed(100_000_001)).toBe('0000-0001');
  });
});
