import { describe, expect, it } from 'vitest';
import { PERIOD_FORMATS, PeriodType, Unit } from '@crossgov/schema';
import { type MeasurementInput, checkMeasurement, describeProblem } from './measurement.rules.ts';

const input = (fields: Partial<MeasurementInput>): MeasurementInput => ({ indicatorId: 'kpi', period: '2019-01', ...fields });

describe('measurement rules', () => {
  describe('a valid measurement', () => {
    it('passes with its period parsed and its value kept', () => {
      expect(checkMeasurement(input({ value: 27760 }), Unit.COUNT)).toEqual({
        ok: true,
        period: { label: '2019-01', type: PeriodType.MONTH, start: '2019-01-01', end: '2019-01-31' },
        value: 27760,
      });
    });

    it('accepts a numerator equal to its denominator for a percentage (118800 of 118800)', () => {
      expect(checkMeasurement(input({ value: 100, numerator: 118800, denominator: 118800 }), Unit.PERCENT)).toMatchObject({ ok: true, value: 100 });
    });

    it('accepts 0 and 100 as percentages', () => {
      expect(checkMeasurement(input({ value: 0 }), Unit.PERCENT).ok).toBe(true);
      expect(checkMeasurement(input({ value: 100 }), Unit.PERCENT).ok).toBe(true);
    });

    it('accepts a count above 100', () => {
      expect(checkMeasurement(input({ value: 150 }), Unit.COUNT).ok).toBe(true);
    });

    it('accepts a financial quarter period', () => {
      const checked = checkMeasurement(input({ period: '2024/25-Q4', value: 3 }), Unit.COUNT);
      expect(checked.ok && checked.period).toEqual({ label: '2024/25-Q4', type: PeriodType.FINANCIAL_QUARTER, start: '2025-01-01', end: '2025-03-31' });
    });
  });

  describe('numerator and denominator', () => {
    it('rejects a percentage whose numerator 2299 is above its denominator 1483, naming field, value and rule', () => {
      expect(checkMeasurement(input({ value: 60.8, numerator: 2299, denominator: 1483 }), Unit.PERCENT)).toEqual({
        ok: false,
        problems: [{ field: 'numerator', value: 2299, rule: 'must not be above its denominator (1483) for a percentage' }],
      });
    });

    it('allows a numerator above its denominator for a ratio (2299 / 1483 = 1.5502...)', () => {
      const checked = checkMeasurement(input({ numerator: 2299, denominator: 1483 }), Unit.RATIO);
      expect(checked.ok).toBe(true);
      expect(checked.ok && checked.value).toBeCloseTo(1.55023601, 8);
    });

    it('rejects a zero denominator', () => {
      expect(checkMeasurement(input({ value: 5, numerator: 0, denominator: 0 }), Unit.RATIO)).toEqual({
        ok: false,
        problems: [{ field: 'denominator', value: 0, rule: 'must be greater than zero' }],
      });
    });

    it('rejects a zero denominator and, with no value given, says the value is missing too', () => {
      expect(checkMeasurement(input({ numerator: 0, denominator: 0 }), Unit.PERCENT)).toEqual({
        ok: false,
        problems: [
          { field: 'denominator', value: 0, rule: 'must be greater than zero' },
          { field: 'value', value: null, rule: 'must be given, or numerator and denominator must be' },
        ],
      });
    });

    it('rejects a negative denominator', () => {
      expect(checkMeasurement(input({ value: 1, numerator: 1, denominator: -5 }), Unit.RATIO)).toEqual({
        ok: false,
        problems: [{ field: 'denominator', value: -5, rule: 'must be greater than zero' }],
      });
    });

    it('rejects a negative numerator', () => {
      expect(checkMeasurement(input({ numerator: -1, denominator: 10 }), Unit.RATIO)).toEqual({
        ok: false,
        problems: [{ field: 'numerator', value: -1, rule: 'must not be negative' }],
      });
    });

    it('rejects a numerator without its denominator', () => {
      expect(checkMeasurement(input({ value: 10, numerator: 5 }), Unit.PERCENT)).toEqual({
        ok: false,
        problems: [{ field: 'denominator', value: null, rule: 'must be given with a numerator' }],
      });
    });

    it('rejects a denominator without its numerator', () => {
      expect(checkMeasurement(input({ value: 10, denominator: 50, numerator: null }), Unit.PERCENT)).toEqual({
        ok: false,
        problems: [{ field: 'numerator', value: null, rule: 'must be given with a denominator' }],
      });
    });
  });

  describe('the period', () => {
    it('rejects 2024-13, listing the accepted formats', () => {
      expect(checkMeasurement(input({ period: '2024-13', value: 1 }), Unit.COUNT)).toEqual({
        ok: false,
        problems: [{ field: 'period', value: '2024-13', rule: `must be a period: ${PERIOD_FORMATS}` }],
      });
    });

    it('reports a bad period together with the other problems', () => {
      const checked = checkMeasurement(input({ period: 'Jan 2024' }), Unit.COUNT);
      expect(checked.ok === false && checked.problems.map((p) => p.field)).toEqual(['period', 'value']);
    });
  });

  describe('numbers', () => {
    it('rejects a value that is not a number', () => {
      expect(checkMeasurement(input({ value: Number.NaN }), Unit.COUNT)).toEqual({
        ok: false,
        problems: [{ field: 'value', value: Number.NaN, rule: 'must be a finite number' }],
      });
    });

    it('rejects an infinite numerator', () => {
      expect(checkMeasurement(input({ numerator: Number.POSITIVE_INFINITY, denominator: 10 }), Unit.RATIO)).toEqual({
        ok: false,
        problems: [{ field: 'numerator', value: Number.POSITIVE_INFINITY, rule: 'must be a finite number' }],
      });
    });

    it('rejects an infinite denominator', () => {
      const checked = checkMeasurement(input({ value: 1, numerator: 1, denominator: Number.NEGATIVE_INFINITY }), Unit.RATIO);
      expect(checked.ok === false && checked.problems).toContainEqual({ field: 'denominator', value: Number.NEGATIVE_INFINITY, rule: 'must be a finite number' });
    });
  });

  describe('percentages', () => {
    it.each([100.5, -0.1])('rejects %d as a percentage', (value) => {
      expect(checkMeasurement(input({ value }), Unit.PERCENT)).toEqual({
        ok: false,
        problems: [{ field: 'value', value, rule: 'must be between 0 and 100 for a percentage' }],
      });
    });
  });

  describe('the value', () => {
    it('derives 25 from 1 of 4 for a percentage', () => {
      expect(checkMeasurement(input({ numerator: 1, denominator: 4 }), Unit.PERCENT)).toMatchObject({ ok: true, value: 25 });
    });

    it('derives 0.25 from 1 of 4 for a ratio', () => {
      expect(checkMeasurement(input({ numerator: 1, denominator: 4 }), Unit.RATIO)).toMatchObject({ ok: true, value: 0.25 });
    });

    it('keeps a given value over the derived one, as published', () => {
      expect(checkMeasurement(input({ value: 60.8, numerator: 1358, denominator: 2233 }), Unit.PERCENT)).toMatchObject({ ok: true, value: 60.8 });
    });

    it('keeps a given value of zero rather than deriving one', () => {
      expect(checkMeasurement(input({ value: 0, numerator: 1, denominator: 4 }), Unit.PERCENT)).toMatchObject({ ok: true, value: 0 });
    });

    it('rejects a measurement with neither a value nor its parts', () => {
      expect(checkMeasurement(input({}), Unit.SCORE)).toEqual({
        ok: false,
        problems: [{ field: 'value', value: null, rule: 'must be given, or numerator and denominator must be' }],
      });
    });
  });
});

describe('problem descriptions', () => {
  it('reads as field, value and rule', () => {
    expect(describeProblem({ field: 'numerator', value: 2299, rule: 'must not be above its denominator (1483) for a percentage' })).toBe(
      'numerator 2299 must not be above its denominator (1483) for a percentage',
    );
  });

  it('quotes a text value', () => {
    expect(describeProblem({ field: 'period', value: '2024-13', rule: 'must be a period' })).toBe('period "2024-13" must be a period');
  });

  it('writes a missing value as null', () => {
    expect(describeProblem({ field: 'denominator', value: null, rule: 'must be given with a numerator' })).toBe('denominator null must be given with a numerator');
  });

  it('names a value that is not a number as NaN, not null', () => {
    expect(describeProblem({ field: 'value', value: Number.NaN, rule: 'must be a finite number' })).toBe('value NaN must be a finite number');
  });

  it('names an infinite value as Infinity', () => {
    expect(describeProblem({ field: 'numerator', value: Number.NEGATIVE_INFINITY, rule: 'must be a finite number' })).toBe('numerator -Infinity must be a finite number');
  });

  it('describes every problem checkMeasurement finds with the 2019 Norfolk row', () => {
    const checked = checkMeasurement(input({ value: 60.8, numerator: 2299, denominator: 1483 }), Unit.PERCENT);
    expect(checked.ok === false && checked.problems.map(describeProblem)).toEqual(['numerator 2299 must not be above its denominator (1483) for a percentage']);
  });
});
