import { describe, expect, it } from 'vitest';
import {
  addDays,
  instantMs,
  parsePeriodKey,
  periodDeadlines,
  periodFromKey,
  periodKey,
  periodLabel,
  periodsOfYear,
  previousPeriodKey,
  yearDaysElapsed,
  yearShareElapsed,
} from '../../src/modules/indicators/domain/periods.ts';

describe('periodsOfYear', () => {
  it('gives the four quarters with their dates, due 10 days after the end with 5 days of grace', () => {
    const quarters = periodsOfYear(2023, 'quarterly');
    expect(quarters.map((p) => [p.key, p.startDate, p.endDate, p.dueDate])).toEqual([
      ['2023-Q1', '2023-01-01', '2023-03-31', '2023-04-10'],
      ['2023-Q2', '2023-04-01', '2023-06-30', '2023-07-10'],
      ['2023-Q3', '2023-07-01', '2023-09-30', '2023-10-10'],
      ['2023-Q4', '2023-10-01', '2023-12-31', '2024-01-10'],
    ]);
    expect(quarters[1]).toEqual({
      key: '2023-Q2',
      year: 2023,
      kind: 'quarter',
      index: 2,
      startDate: '2023-04-01',
      endDate: '2023-06-30',
      dueDate: '2023-07-10',
      graceDays: 5,
    });
  });

  it('gives twelve months with zero-padded keys, and a leap February its 29th day', () => {
    const months = periodsOfYear(2024, 'monthly');
    expect(months.map((p) => p.key)).toEqual([
      '2024-M01',
      '2024-M02',
      '2024-M03',
      '2024-M04',
      '2024-M05',
      '2024-M06',
      '2024-M07',
      '2024-M08',
      '2024-M09',
      '2024-M10',
      '2024-M11',
      '2024-M12',
    ]);
    expect(months[1]).toMatchObject({
      kind: 'month',
      index: 2,
      endDate: '2024-02-29',
      dueDate: '2024-03-10',
    });
    expect(periodsOfYear(2023, 'monthly')[1]!.endDate).toBe('2023-02-28');
    expect(months[11]).toMatchObject({
      startDate: '2024-12-01',
      endDate: '2024-12-31',
      dueDate: '2025-01-10',
    });
  });

  it('takes the due-day offset and the grace days from the options', () => {
    const [q1] = periodsOfYear(2023, 'quarterly', { dueDayOffset: 15, graceDays: 0 });
    expect(q1).toMatchObject({ dueDate: '2023-04-15', graceDays: 0 });
    expect(periodsOfYear(2023, 'quarterly', { dueDayOffset: 0 })[0]!.dueDate).toBe('2023-03-31');
  });

  it('covers the year without gaps or overlaps', () => {
    for (const frequency of ['monthly', 'quarterly'] as const) {
      const periods = periodsOfYear(2024, frequency);
      expect(periods[0]!.startDate).toBe('2024-01-01');
      expect(periods.at(-1)!.endDate).toBe('2024-12-31');
      for (let i = 1; i < periods.length; i++) {
        expect(periods[i]!.startDate).toBe(addDays(periods[i - 1]!.endDate, 1));
      }
    }
  });

  it('refuses a year that is not four digits, an unknown frequency and bad options', () => {
    expect(() => periodsOfYear(999, 'monthly')).toThrow(RangeError);
    expect(() => periodsOfYear(2023.5, 'monthly')).toThrow(RangeError);
    expect(() => periodsOfYear(2023, 'weekly' as 'monthly')).toThrow(RangeError);
    expect(() => periodsOfYear(2023, 'monthly', { graceDays: -1 })).toThrow(RangeError);
    expect(() => periodsOfYear(2023, 'monthly', { dueDayOffset: 1.5 })).toThrow(RangeError);
  });
});

describe('period keys', () => {
  it('parses month and quarter keys', () => {
    expect(parsePeriodKey('2023-M01')).toEqual({ year: 2023, kind: 'month', index: 1 });
    expect(parsePeriodKey('2023-M12')).toEqual({ year: 2023, kind: 'month', index: 12 });
    expect(parsePeriodKey('2023-Q2')).toEqual({ year: 2023, kind: 'quarter', index: 2 });
  });

  it('rejects anything else with null', () => {
    for (const bad of [
      '2023-M13',
      '2023-M00',
      '2023-M1',
      '2023-Q0',
      '2023-Q5',
      '2023-q1',
      '23-Q1',
      '0999-Q1',
      ' 2023-Q1',
      '2023-Q1 ',
      '2023-H1',
      '',
    ]) {
      expect(parsePeriodKey(bad), bad).toBeNull();
    }
  });

  it('builds keys and periods from keys, and steps back across a year end', () => {
    expect(periodKey(2023, 'month', 6)).toBe('2023-M06');
    expect(periodKey(2023, 'quarter', 4)).toBe('2023-Q4');
    expect(() => periodKey(2023, 'quarter', 5)).toThrow(RangeError);
    expect(periodFromKey('2023-Q2')).toEqual(periodsOfYear(2023, 'quarterly')[1]);
    expect(periodFromKey('nonsense')).toBeNull();
    expect(previousPeriodKey('2023-Q2')).toBe('2023-Q1');
    expect(previousPeriodKey('2023-Q1')).toBe('2022-Q4');
    expect(previousPeriodKey('2023-M01')).toBe('2022-M12');
    expect(previousPeriodKey('2023-M10')).toBe('2023-M09');
    expect(previousPeriodKey('bad')).toBeNull();
  });

  it('labels periods in Chinese and English', () => {
    expect(periodLabel('2023-Q2', 'zh-CN')).toBe('2023年第二季度');
    expect(periodLabel('2023-Q4', 'zh-CN')).toBe('2023年第四季度');
    expect(periodLabel('2023-M06', 'zh-CN')).toBe('2023年6月');
    expect(periodLabel('2023-Q2', 'en-US')).toBe('Q2 2023');
    expect(periodLabel('2023-M06', 'en-US')).toBe('Jun 2023');
    expect(periodLabel('2023-M12', 'en-US')).toBe('Dec 2023');
    expect(periodLabel('not-a-key', 'zh-CN')).toBe('not-a-key');
  });
});

describe('yearShareElapsed', () => {
  it('is the days elapsed at the end of the period over the days of the year', () => {
    const [q1, q2, q3, q4] = periodsOfYear(2023, 'quarterly');
    expect(yearShareElapsed(q1!)).toBe(90 / 365);
    expect(yearShareElapsed(q2!)).toBe(181 / 365);
    expect(yearShareElapsed(q3!)).toBe(273 / 365);
    expect(yearShareElapsed(q4!)).toBe(1);
    expect(yearDaysElapsed(q2!)).toEqual({ elapsed: 181, total: 365 });
  });

  it('counts the 29th of February in a leap year', () => {
    const months = periodsOfYear(2024, 'monthly');
    expect(yearShareElapsed(months[0]!)).toBe(31 / 366);
    expect(yearShareElapsed(months[1]!)).toBe(60 / 366);
    expect(yearShareElapsed(periodsOfYear(2024, 'quarterly')[1]!)).toBe(182 / 366);
  });

  it('is 0 for an end before the year and 1 for an end after it', () => {
    expect(yearShareElapsed({ year: 2023, endDate: '2022-12-31' })).toBe(0);
    expect(yearShareElapsed({ year: 2023, endDate: '2024-03-31' })).toBe(1);
  });

  it('refuses dates that do not exist', () => {
    expect(() => yearShareElapsed({ year: 2023, endDate: '2023-02-29' })).toThrow(RangeError);
    expect(() => yearShareElapsed({ year: 2023, endDate: '2023-6-30' })).toThrow(RangeError);
  });
});

describe('deadlines', () => {
  it('ends a due date at local midnight, UTC+8 by default, and the grace period whole days later', () => {
    const q2 = periodsOfYear(2023, 'quarterly')[1]!;
    expect(periodDeadlines(q2)).toMatchObject({
      dueAt: '2023-07-10T16:00:00.000Z',
      graceEndsAt: '2023-07-15T16:00:00.000Z',
      lastGraceDate: '2023-07-15',
    });
    expect(periodDeadlines(q2, 0)).toMatchObject({
      dueAt: '2023-07-11T00:00:00.000Z',
      graceEndsAt: '2023-07-16T00:00:00.000Z',
    });
    expect(periodDeadlines({ ...q2, graceDays: 0 }).graceEndsAt).toBe('2023-07-10T16:00:00.000Z');
  });

  it('refuses an instant without a zone, which would be read in the machine zone', () => {
    expect(instantMs('2023-07-10T16:00:00.000Z')).toBe(Date.UTC(2023, 6, 10, 16));
    expect(instantMs('2023-07-11T00:00:00+08:00')).toBe(Date.UTC(2023, 6, 10, 16));
    expect(() => instantMs('2023-07-10T16:00:00')).toThrow(RangeError);
    expect(() => instantMs('2023-07-10')).toThrow(RangeError);
    expect(() => instantMs('yesterday')).toThrow(RangeError);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(() => addDays('2023-02-30', 1)).toThrow(RangeError);
  });
});
