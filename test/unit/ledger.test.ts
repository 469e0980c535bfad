// The score ledger's pure parts: the canonical JSON every hash is taken over, the entry hash, chain
// verification and the "latest version counts" rule. A third-party verifier must reproduce these
// byte for byte, so the expected texts and hashes here are written out, not recomputed by the code
// under test.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/kernel/canonical-json.ts';
import {
  type ChainedEntry,
  entryHash,
  GENESIS_HASH,
  type LedgerEntry,
  latestPerSlotAndJudge,
  verifyChain,
} from '../../src/modules/event/domain/ledger.ts';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code unit: upper case before lower case, "10" before "9"', () => {
    expect(canonicalJson({ a: 1, B: 2, b: 3, A: 4 })).toBe('{"A":4,"B":2,"a":1,"b":3}');
    // JavaScript lists integer-like keys numerically (9 before 10); the canonical order is textual.
    const numeric = { 9: 'nine', 10: 'ten', 2: 'two' };
    expect(Object.keys(numeric)).toEqual(['2', '9', '10']);
    expect(canonicalJson(numeric)).toBe('{"10":"ten","2":"two","9":"nine"}');
  });

  it('orders by code unit, not by code point or locale', () => {
    // U+1F600 is stored as the surrogates D83D DE00, which sort before U+FF5E; by code point it
    // would come after. Chinese keys are ordered by their code units too, not by pinyin.
    const value = { '\uFF5E': 1, '\u{1F600}': 2, 工作实绩: 3, 特色亮点: 4, 问题剖析: 5 };
    expect(canonicalJson(value)).toBe('{"工作实绩":3,"特色亮点":4,"问题剖析":5,"😀":2,"～":1}');
  });

  it('sorts keys at every level of nesting, inside arrays too', () => {
    const value = { z: { y: { b: 1, a: 2 }, x: [{ d: 1, c: 2 }] }, a: null };
    expect(canonicalJson(value)).toBe('{"a":null,"z":{"x":[{"c":2,"d":1}],"y":{"a":2,"b":1}}}');
  });

  it('leaves out members whose value is undefined, at every level, and keeps null', () => {
    const value = { b: undefined, a: 1, c: { d: undefined, e: null } };
    expect(canonicalJson(value)).toBe('{"a":1,"c":{"e":null}}');
    expect(canonicalJson(value)).toBe(canonicalJson({ a: 1, c: { e: null } }));
  });

  it('keeps arrays in their order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ list: ['b', 'a', { k: [2, 1] }] })).toBe('{"list":["b","a",{"k":[2,1]}]}');
  });

  it('writes scalars as JSON.stringify does, with no spaces', () => {
    expect(canonicalJson('引号"与\\反斜杠\n')).toBe('"引号\\"与\\\\反斜杠\\n"');
    expect(canonicalJson(0.1)).toBe('0.1');
    expect(canonicalJson(1e21)).toBe('1e+21');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it('gives the same text for the same value whatever the insertion order', () => {
    const a = { values: { c2: 30, c1: 40 }, total: 70, judgeId: 'j' };
    const b = { judgeId: 'j', total: 70, values: { c1: 40, c2: 30 } };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('writes a realistic score entry as a fixed text', () => {
    const entry: LedgerEntry = {
      seq: 12,
      eventId: '01HZX3M8Q6R2V9T4K7N5B0C1D2',
      slotId: '01HZX3M8Q6R2V9T4K7N5B0C1D3',
      judgeId: '01HZX3M8Q6R2V9T4K7N5B0C1D4',
      clientId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      values: { results: 36.5, highlights: 27, shortfalls: 17.5, spirit: 9.2 },
      total: 90.2,
      createdAt: '2023-08-02T01:23:45.678Z',
    };
    expect(canonicalJson(entry)).toBe(
      '{"clientId":"7c9e6679-7425-40de-944b-e07fc1f90ae7","createdAt":"2023-08-02T01:23:45.678Z",' +
        '"eventId":"01HZX3M8Q6R2V9T4K7N5B0C1D2","judgeId":"01HZX3M8Q6R2V9T4K7N5B0C1D4",' +
        '"seq":12,"slotId":"01HZX3M8Q6R2V9T4K7N5B0C1D3","total":90.2,' +
        '"values":{"highlights":27,"results":36.5,"shortfalls":17.5,"spirit":9.2}}',
    );
  });
});

const base: LedgerEntry = {
  seq: 1,
  eventId: 'ev-1',
  slotId: 'slot-1',
  judgeId: 'judge-1',
  clientId: 'client-1',
  values: { c1: 38.5, c2: 27 },
  total: 65.5,
  createdAt: '2023-08-02T01:00:00.000Z',
};

describe('entryHash', () => {
  it('is sha256 of "<prevHash>\\n<canonical JSON of the entry>", as documented', () => {
    // The canonical text written out by hand, so this does not depend on canonicalJson.
    const text =
      '{"clientId":"client-1","createdAt":"2023-08-02T01:00:00.000Z","eventId":"ev-1",' +
      '"judgeId":"judge-1","seq":1,"slotId":"slot-1","total":65.5,"values":{"c1":38.5,"c2":27}}';
    const expected = sha256(`${GENESIS_HASH}\n${text}`);
    expect(entryHash(GENESIS_HASH, base)).toBe(expected);
    // Pinned: a change of the hashed text breaks every exported ledger and must be deliberate.
    expect(expected).toBe('bb4b24c2328f94a62adce4828ec6b87f4ebd5218ca11e9143b10f85c160d83f9');
  });

  it('depends on the previous hash', () => {
    expect(entryHash('f'.repeat(64), base)).not.toBe(entryHash(GENESIS_HASH, base));
  });

  const changes: [keyof LedgerEntry, unknown][] = [
    ['seq', 2],
    ['eventId', 'ev-2'],
    ['slotId', 'slot-2'],
    ['judgeId', 'judge-2'],
    ['clientId', 'client-2'],
    ['values', { c1: 38.5, c2: 27.5 }],
    ['total', 66],
    ['createdAt', '2023-08-02T01:00:00.001Z'],
  ];
  it.each(changes)('changes when %s changes', (field, value) => {
    const changed = { ...base, [field]: value } as LedgerEntry;
    expect(entryHash(GENESIS_HASH, changed)).not.toBe(entryHash(GENESIS_HASH, base));
  });

  it('changes when a criterion is added to or removed from the values', () => {
    const h = entryHash(GENESIS_HASH, base);
    expect(entryHash(GENESIS_HASH, { ...base, values: { ...base.values, c3: 0 } })).not.toBe(h);
    expect(entryHash(GENESIS_HASH, { ...base, values: { c1: 38.5 } })).not.toBe(h);
  });

  it('covers exactly the ledger fields: an extra member (a row id, a stored hash) does not change it', () => {
    const stored = { ...base, id: 'row-7', prevHash: GENESIS_HASH, hash: 'x'.repeat(64), panelId: 'p' };
    expect(entryHash(GENESIS_HASH, stored)).toBe(entryHash(GENESIS_HASH, base));
  });

  it('does not depend on the order the fields or values were written in', () => {
    const reordered: LedgerEntry = {
      createdAt: base.createdAt,
      values: { c2: 27, c1: 38.5 },
      total: base.total,
      clientId: base.clientId,
      judgeId: base.judgeId,
      slotId: base.slotId,
      eventId: base.eventId,
      seq: base.seq,
    };
    expect(entryHash(GENESIS_HASH, reordered)).toBe(entryHash(GENESIS_HASH, base));
  });
});

/** A valid chain of n entries, each hashed over the previous one. */
function chain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const entry: LedgerEntry = {
      ...base,
      seq: i,
      clientId: `client-${i}`,
      slotId: `slot-${1 + (i % 2)}`,
      values: { c1: 30 + i, c2: 20 },
      total: 50 + i,
      createdAt: `2023-08-02T01:00:0${i}.000Z`,
    };
    const hash = entryHash(prev, entry);
    out.push({ ...entry, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('verifyChain', () => {
  it('accepts an empty chain with the genesis head', () => {
    expect(verifyChain([])).toEqual({ ok: true, head: GENESIS_HASH, length: 0 });
  });

  it('accepts a valid chain and reports the last hash as the head', () => {
    const entries = chain(4);
    expect(verifyChain(entries)).toEqual({ ok: true, head: entries[3]!.hash, length: 4 });
  });

  it('detects an edited value even when the stored hash is left as it was', () => {
    const entries = chain(4);
    entries[2] = { ...entries[2]!, values: { c1: 99, c2: 20 } };
    expect(verifyChain(entries)).toEqual({ ok: false, seq: 3, reason: 'hash_mismatch' });
  });

  it('detects an entry re-hashed after an edit: the next entry no longer links to it', () => {
    const entries = chain(4);
    const edited = { ...entries[1]!, total: 1 };
    entries[1] = { ...edited, hash: entryHash(edited.prevHash, edited) };
    expect(verifyChain(entries)).toEqual({ ok: false, seq: 3, reason: 'prev_hash_mismatch' });
  });

  it('detects a removed entry as a gap in seq', () => {
    const entries = chain(4);
    expect(verifyChain([entries[0]!, entries[2]!, entries[3]!])).toEqual({
      ok: false,
      seq: 3,
      reason: 'seq_gap',
    });
    expect(verifyChain(entries.slice(1))).toEqual({ ok: false, seq: 2, reason: 'seq_gap' });
  });

  it('detects entries out of order', () => {
    const entries = chain(3);
    expect(verifyChain([entries[1]!, entries[0]!, entries[2]!])).toMatchObject({ ok: false, seq: 2 });
  });

  it('detects a first entry that does not start from the genesis hash', () => {
    const entries = chain(2);
    const first = { ...entries[0]!, prevHash: 'f'.repeat(64) };
    entries[0] = { ...first, hash: entryHash(first.prevHash, first) };
    expect(verifyChain(entries)).toEqual({ ok: false, seq: 1, reason: 'prev_hash_mismatch' });
  });
});

describe('latestPerSlotAndJudge', () => {
  type E = Pick<LedgerEntry, 'seq' | 'slotId' | 'judgeId'> & { label: string };
  const entries: E[] = [
    { seq: 1, slotId: 's1', judgeId: 'j1', label: 's1/j1 first' },
    { seq: 2, slotId: 's1', judgeId: 'j2', label: 's1/j2 only' },
    { seq: 3, slotId: 's1', judgeId: 'j1', label: 's1/j1 second' },
    { seq: 4, slotId: 's2', judgeId: 'j1', label: 's2/j1 first' },
    { seq: 5, slotId: 's1', judgeId: 'j1', label: 's1/j1 latest' },
    { seq: 6, slotId: 's2', judgeId: 'j1', label: 's2/j1 latest' },
  ];
  const expected = ['s1/j1 latest', 's1/j2 only', 's2/j1 latest'];

  function permutations<T>(list: readonly T[]): T[][] {
    if (list.length <= 1) return [[...list]];
    return list.flatMap((x, i) =>
      permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [x, ...rest]),
    );
  }

  it('keeps one entry per slot and judge: the one with the highest seq', () => {
    expect(
      latestPerSlotAndJudge(entries)
        .map((e) => e.label)
        .sort(),
    ).toEqual(expected);
  });

  it('picks the same entries whatever the input order (all 720 orders)', () => {
    const all = permutations(entries);
    expect(all).toHaveLength(720);
    for (const order of all) {
      const labels = latestPerSlotAndJudge(order)
        .map((e) => e.label)
        .sort();
      expect(labels, order.map((e) => e.seq).join(',')).toEqual(expected);
    }
  });

  it('tells slot and judge apart: (s1, j2) and (s2, j1) are different pairs', () => {
    const out = latestPerSlotAndJudge([
      { seq: 1, slotId: 's1', judgeId: 'j2' },
      { seq: 2, slotId: 's2', judgeId: 'j1' },
    ]);
    expect(out.map((e) => e.seq).sort()).toEqual([1, 2]);
  });

  it('returns nothing for no entries', () => {
    expect(latestPerSlotAndJudge([])).toEqual([]);
  });
});
