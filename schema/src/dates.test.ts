import { describe, expect, it } from 'vitest';
import { parseDay, parsePreciseDate, preciseDate } from './dates.ts';
import { DatePrecision } from './types/enums.ts';

describe('precise date parsing', () => {
  describe('days', () => {
    it('reads 2024-08-30 as that day', () => {
      expect(parsePreciseDate('2024-08-30')).toEqual({
        date: '2024-08-30',
        precision: DatePrecision.DAY,
        label: '2024-08-30',
      });
    });

    it('accepts 29 February 2024 (leap year)', () => {
      expect(parsePreciseDate('2024-02-29').date).toBe('2024-02-29');
    });

    it('accepts 29 February 2000 (divisible by 400)', () => {
      expect(parsePreciseDate('2000-02-29').precision).toBe(DatePrecision.DAY);
    });

    it.each([
      '2023-02-29',
      '1900-02-29',
      '2024-02-30',
      '2024-04-31',
      '2024-06-31',
      '2024-09-31',
      '2024-11-31',
      '2024-01-32',
      '2024-01-00',
      '2024-13-01',
      '2024-00-10',
    ])('rejects %s as not a real calendar day', (label) => {
      expect(() => parsePreciseDate(label)).toThrow(RangeError);
      expect(() => parsePreciseDate(label)).toThrow(`date "${label}" is not a real calendar day`);
    });
  });

  describe('months', () => {
    it('reads 2023-06 as June 2023, dated the 1st', () => {
      expect(parsePreciseDate('2023-06')).toEqual({
        date: '2023-06-01',
        precision: DatePrecision.MONTH,
        label: '2023-06',
      });
    });

    it('rejects month 13, naming the value and the rule', () => {
      expect(() => parsePreciseDate('2024-13')).toThrow(RangeError);
      expect(() => parsePreciseDate('2024-13')).toThrow(
        'date "2024-13" has month 13, which must be 01-12',
      );
    });

    it('rejects month 00, naming the value and the rule', () => {
      expect(() => parsePreciseDate('2024-00')).toThrow(
        'date "2024-00" has month 00, which must be 01-12',
      );
    });
  });

  describe('quarters', () => {
    it.each([
      ['2026-Q1', '2026-01-01'],
      ['2026-Q2', '2026-04-01'],
      ['2026-Q3', '2026-07-01'],
      ['2026-Q4', '2026-10-01'],
    ])('dates %s from %s', (label, date) => {
      expect(parsePreciseDate(label)).toEqual({ date, precision: DatePrecision.QUARTER, label });
    });

    it('rejects 2026-Q5', () => {
      expect(() => parsePreciseDate('2026-Q5')).toThrow('date "2026-Q5" is not in a known format');
    });
  });

  describe('years', () => {
    it('reads 2028 as the year, dated 1 January', () => {
      expect(parsePreciseDate('2028')).toEqual({
        date: '2028-01-01',
        precision: DatePrecision.YEAR,
        label: '2028',
      });
    });
  });

  describe('other text', () => {
    it.each(['', 'March 2024', '2024/25', '2024-3', '2024-03-1', '30/08/2024'])(
      'rejects %j, naming it and the accepted formats',
      (label) => {
        expect(() => parsePreciseDate(label)).toThrow(RangeError);
        expect(() => parsePreciseDate(label)).toThrow(
          `date "${label}" is not in a known format: use YYYY-MM-DD (day)`,
        );
      },
    );
  });
});

describe('stored date labels', () => {
  it.each([
    '2024-08-30',
    '2024-02-29',
    '2023-06',
    '2023-12',
    '2026-Q1',
    '2026-Q2',
    '2026-Q3',
    '2026-Q4',
    '2028',
  ])('rebuilds the label %s from the stored date and precision', (label) => {
    const parsed = parsePreciseDate(label);
    expect(preciseDate(parsed.date, parsed.precision)).toEqual(parsed);
  });

  it('labels a stored quarter by the quarter its date falls in', () => {
    expect(preciseDate('2025-08-01', DatePrecision.QUARTER)?.label).toBe('2025-Q3');
  });

  it('treats a date without a precision as a day', () => {
    expect(preciseDate('2024-05-17', null)).toEqual({
      date: '2024-05-17',
      precision: DatePrecision.DAY,
      label: '2024-05-17',
    });
  });

  it('gives null for no date', () => {
    expect(preciseDate(null, DatePrecision.MONTH)).toBeNull();
  });
});

describe('day parsing', () => {
  it('reads 2024-02-29 as that day', () => {
    expect(parseDay('2024-02-29')).toBe('2024-02-29');
  });

  it.each(['2024-02', '2024-Q1', '2024'])(
    'refuses %s: a month, quarter or year is not a day',
    (label) => {
      expect(() => parseDay(label)).toThrow(new RangeError('must be a full date (YYYY-MM-DD)'));
    },
  );

  it('refuses a day that does not exist with the precise date rule', () => {
    expect(() => parseDay('2023-02-29')).toThrow(
      new RangeError('date "2023-02-29" is not a real calendar day'),
    );
  });
});
