import { describe, expect, it } from 'vitest';
import { unusualActual } from '../../src/modules/indicators/domain/indicators.ts';

describe('unusual actuals', () => {
  it('flags a negative value only where baseline and target are both at least zero', () => {
    expect(unusualActual({ baseline: 0, target: 15 }, -1)).toBe('negative');
    expect(unusualActual({ baseline: 5.2, target: 6 }, -0.5)).toBe('negative');
    expect(unusualActual({ baseline: 0, target: 15 }, 0)).toBeNull();
    expect(unusualActual({ baseline: 0, target: 15 }, 3)).toBeNull();
    // A range that reaches below zero (a balance, a change) takes negative values as they come.
    expect(unusualActual({ baseline: -3, target: 2 }, -1)).toBeNull();
    expect(unusualActual({ baseline: 10, target: -5 }, -1)).toBeNull();
  });
});
