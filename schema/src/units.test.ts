import { describe, expect, it } from 'vitest';
import { Unit } from './types/enums.ts';
import {
  AMOUNT_LIMIT,
  UNIT_RANGES,
  formatDigits,
  formatDistinct,
  formatNumber,
  formatShare,
  partRule,
  rangeRules,
  valueRule,
} from './units.ts';

describe('the range of each unit', () => {
  it.each([
    [Unit.PERCENT, 0, 100],
    [Unit.COUNT, 0, 1e15],
    [Unit.CURRENCY, -1e15, 1e15],
    [Unit.RATIO, -1e12, 1e12],
    [Unit.SCORE, -1e9, 1e9],
  ])('accepts %s from %d to %d, the bounds included, and nothing past them', (unit, min, max) => {
    expect(UNIT_RANGES[unit]).toMatchObject({ min, max });
    expect(valueRule(min, unit)).toBeNull();
    expect(valueRule(max, unit)).toBeNull();
    expect(valueRule(max * 1.000001 || 1e-9, unit)).toMatch(/^must be between /);
    expect(valueRule(min === 0 ? -0.000001 : min * 1.000001, unit)).toMatch(/^must be between /);
  });

  it('keeps every bound far below where a sum of a million figures would overflow a double', () => {
    for (const range of Object.values(UNIT_RANGES))
      expect(Math.max(-range.min, range.max) * 1e6 * 1e6).toBeLessThan(Number.MAX_VALUE);
    expect(AMOUNT_LIMIT).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });

  it('refuses the score of 1.7e308 that crashed the gateway, naming the range', () => {
    expect(valueRule(1.7e308, Unit.SCORE)).toBe(
      'must be between -1,000,000,000 and 1,000,000,000 for a score',
    );
  });

  it('words a percentage as the rule always has', () => {
    expect(valueRule(100.5, Unit.PERCENT)).toBe('must be between 0 and 100 for a percentage');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'refuses %d for every unit as not a finite number',
    (value) => {
      for (const unit of Object.values(Unit))
        expect(valueRule(value, unit)).toBe('must be a finite number');
    },
  );

  it('wants a count given on its own to be whole, forgiving only binary noise', () => {
    expect(valueRule(12.5, Unit.COUNT)).toBe('must be a whole number for a count');
    expect(valueRule(12.000000000001, Unit.COUNT)).toBeNull();
    expect(valueRule(3, Unit.COUNT)).toBeNull();
    // A count's rate from its parts, or a target, need not be whole.
    expect(valueRule(12.5, Unit.COUNT, null, false)).toBeNull();
    expect(valueRule(-1, Unit.COUNT)).toBe(
      'must be between 0 and 1,000,000,000,000,000 for a count',
    );
  });

  it('bounds a numerator or denominator like a count or an amount', () => {
    expect(partRule(1e15)).toBeNull();
    expect(partRule(1e308)).toBe(
      'must be at most 1,000,000,000,000,000: a numerator or denominator is a count or an amount',
    );
    expect(partRule(Number.NaN)).toBe('must be a finite number');
  });
});

describe("an indicator's own range", () => {
  const indicator = { code: 'vacancy-rate', minValue: 2, maxValue: 40 };

  it('narrows the unit range, naming the indicator', () => {
    expect(valueRule(20, Unit.PERCENT, indicator)).toBeNull();
    expect(valueRule(41, Unit.PERCENT, indicator)).toBe(
      'must be between 2 and 40: the range indicator vacancy-rate sets (its minValue and maxValue)',
    );
    expect(valueRule(1, Unit.PERCENT, indicator)).toBe(
      'must be between 2 and 40: the range indicator vacancy-rate sets (its minValue and maxValue)',
    );
  });

  it('may bound one side only', () => {
    expect(valueRule(-5, Unit.SCORE, { code: 'nps', minValue: -100 })).toBeNull();
    expect(valueRule(-101, Unit.SCORE, { code: 'nps', minValue: -100 })).toBe(
      'must be at least -100: the range indicator nps sets (its minValue and maxValue)',
    );
    expect(valueRule(101, Unit.SCORE, { code: 'nps', maxValue: 100 })).toBe(
      'must be at most 100: the range indicator nps sets (its minValue and maxValue)',
    );
  });

  it('never widens the unit range: the unit is checked first', () => {
    expect(valueRule(150, Unit.PERCENT, { code: 'x', minValue: 0, maxValue: 100 })).toBe(
      'must be between 0 and 100 for a percentage',
    );
  });

  it('is valid when finite, within what the unit can represent, and lowest below highest', () => {
    expect(rangeRules(Unit.PERCENT, 0, 50)).toEqual([]);
    expect(rangeRules(Unit.SCORE, -100, null)).toEqual([]);
    expect(rangeRules(Unit.PERCENT, 50, 50)).toEqual([
      { field: 'maxValue', value: 50, rule: 'must be above minValue (50)' },
    ]);
    expect(rangeRules(Unit.PERCENT, 60, 50)).toEqual([
      { field: 'maxValue', value: 50, rule: 'must be above minValue (60)' },
    ]);
    expect(rangeRules(Unit.PERCENT, -1, 101)).toEqual([
      { field: 'minValue', value: -1, rule: 'must be between 0 and 100, what a percentage can be' },
      {
        field: 'maxValue',
        value: 101,
        rule: 'must be between 0 and 100, what a percentage can be',
      },
    ]);
    expect(rangeRules(Unit.COUNT, Number.NEGATIVE_INFINITY, Number.NaN)).toEqual([
      { field: 'minValue', value: Number.NEGATIVE_INFINITY, rule: 'must be a finite number' },
      { field: 'maxValue', value: Number.NaN, rule: 'must be a finite number' },
    ]);
  });
});

describe('a figure written for people', () => {
  it('writes each unit as the dashboard does: 83.266% as 83.3%, £1,095.4 as £1,095, 86.5193 points as 86.52', () => {
    expect(formatNumber(83.266, Unit.PERCENT)).toBe('83.3%');
    expect(formatNumber(1095.4, Unit.CURRENCY)).toBe('£1,095');
    expect(formatNumber(10.856, Unit.CURRENCY)).toBe('£10.86');
    expect(formatNumber(27760, Unit.COUNT)).toBe('27,760');
    expect(formatNumber(86.5193, Unit.SCORE)).toBe('86.52');
    expect(formatNumber(1.23456, Unit.RATIO)).toBe('1.23');
  });

  it('writes a unit it does not know as a plain number, and what is not a number as n/a', () => {
    expect(formatNumber(1234.567, 'FURLONGS')).toBe('1,234.57');
    expect(formatNumber(Number.NaN, Unit.COUNT)).toBe('n/a');
  });

  it('writes exactly the decimals asked for, as an axis tick needs', () => {
    expect(formatDigits(85, Unit.PERCENT, 0)).toBe('85%');
    expect(formatDigits(82.5, Unit.PERCENT, 1)).toBe('82.5%');
    expect(formatDigits(1500, Unit.CURRENCY, 0)).toBe('£1,500');
    expect(formatDigits(0.25, Unit.RATIO, 2)).toBe('0.25');
    expect(formatDigits(2e20, Unit.COUNT, 0)).toBe('2e20');
  });

  it('writes a relative difference as a percentage to at most one decimal, and one that rounds to nothing as less than 0.1%', () => {
    expect(formatShare(0.04)).toBe('4%');
    expect(formatShare(0.0204)).toBe('2%');
    expect(formatShare(6.6 / 28)).toBe('23.6%');
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(0.0004)).toBe('less than 0.1%');
    expect(formatShare(0.0005)).toBe('0.1%');
  });

  it('writes figures set against each other as usual unless two unequal ones would then read the same', () => {
    expect(formatDistinct([83.266, 85], Unit.PERCENT)).toEqual(['83.3%', '85.0%']);
    // 84.96% and 85% both round to 85.0%: two decimals tell them apart.
    expect(formatDistinct([84.96, 85], Unit.PERCENT)).toEqual(['84.96%', '85.00%']);
    // Equal figures may read the same: only unequal ones must not.
    expect(formatDistinct([85, 85, 84.9], Unit.PERCENT)).toEqual(['85.0%', '85.0%', '84.9%']);
    expect(formatDistinct([-0.001, 0])).toEqual(['-0.001', '0.000']);
    expect(formatDistinct([1000.4, 1000], Unit.CURRENCY)).toEqual(['£1,000.4', '£1,000.0']);
    // Closer than a millionth is binary noise: written as usual, not to six decimals.
    expect(formatDistinct([99, 99 + 1e-12], Unit.PERCENT)).toEqual(['99.0%', '99.0%']);
  });
});
