import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../src/kernel/patch.ts';

describe('applyPatch', () => {
  const base = { name: '集中连片整治', target: 2400, tierFloor: 2000 as number | null };

  it('keeps a field left out or sent as undefined', () => {
    expect(applyPatch(base, {})).toEqual(base);
    expect(applyPatch(base, { target: undefined })).toEqual(base);
  });

  it('sets a field that is sent, including 0 and the empty string', () => {
    expect(applyPatch(base, { target: 0, name: '' })).toEqual({ name: '', target: 0, tierFloor: 2000 });
  });

  it('null is a value: it clears a nullable field', () => {
    expect(applyPatch(base, { tierFloor: null })).toEqual({ ...base, tierFloor: null });
  });

  it('leaves the base untouched', () => {
    applyPatch(base, { target: 1 });
    expect(base.target).toBe(2400);
  });
});
