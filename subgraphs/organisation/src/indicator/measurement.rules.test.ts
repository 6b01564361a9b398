import { describe, expect, it } from 'vitest';
import { Frequency, PERIOD_FORMATS, PeriodType, Unit, parsePeriod } from '@crossgov/schema';
import {
  type MeasurementInput,
  agrees,
  checkMeasurement,
  describeProblem,
  periodRule,
} from './measurement.rules.ts';

const input = (fields: Partial<MeasurementInput>): MeasurementInput => ({
  indicatorId: 'kpi',
  period: '2019-01',
  ...fields,
});

describe('measurement rules', () => {
  describe('a valid measurement', () => {
    it('passes with its period parsed and its value kept', () => {
      expect(checkMeasurement(input({ value: 27760 }), Unit.COUNT)).toEqual({
        ok: true,
        period: {
          label: '2019-01',
          type: PeriodType.MONTH,
          start: '2019-01-01',
          end: '2019-01-31',
        },
        value: 27760,
      });
    });

    it('accepts a numerator equal to its denominator for a percentage (118800 of 118800)', () => {
      expect(
        checkMeasurement(
          input({ value: 100, numerator: 118800, denominator: 118800 }),
          Unit.PERCENT,
        ),
      ).toMatchObject({ ok: true, value: 100 });
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
      expect(checked.ok && checked.period).toEqual({
        label: '2024/25-Q4',
        type: PeriodType.FINANCIAL_QUARTER,
        start: '2025-01-01',
        end: '2025-03-31',
      });
    });
  });

  describe('numerator and denominator', () => {
    it('rejects a percentage whose numerator 2299 is above its denominator 1483, naming field, value and rule', () => {
      // No value given: the published 60.8 would also contradict 2299 / 1483 (see "the value").
      expect(checkMeasurement(input({ numerator: 2299, denominator: 1483 }), Unit.PERCENT)).toEqual(
        {
          ok: false,
          problems: [
            {
              field: 'numerator',
              value: 2299,
              rule: 'must not be above its denominator (1483) for a percentage',
            },
          ],
        },
      );
    });

    it('allows a numerator above its denominator for a ratio (2299 / 1483 = 1.5502...)', () => {
      const checked = checkMeasurement(input({ numerator: 2299, denominator: 1483 }), Unit.RATIO);
      expect(checked.ok).toBe(true);
      expect(checked.ok && checked.value).toBeCloseTo(1.55023601, 8);
    });

    it('rejects a zero denominator', () => {
      expect(
        checkMeasurement(input({ value: 5, numerator: 0, denominator: 0 }), Unit.RATIO),
      ).toEqual({
        ok: false,
        problems: [{ field: 'denominator', value: 0, rule: 'must be greater than zero' }],
      });
    });

    it('rejects a zero denominator and, with no value given, says the value is missing too', () => {
      expect(checkMeasurement(input({ numerator: 0, denominator: 0 }), Unit.PERCENT)).toEqual({
        ok: false,
        problems: [
          { field: 'denominator', value: 0, rule: 'must be greater than zero' },
          {
            field: 'value',
            value: null,
            rule: 'must be given, or numerator and denominator must be',
          },
        ],
      });
    });

    it('rejects a negative denominator', () => {
      expect(
        checkMeasurement(input({ value: 1, numerator: 1, denominator: -5 }), Unit.RATIO),
      ).toEqual({
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
      expect(
        checkMeasurement(input({ value: 10, denominator: 50, numerator: null }), Unit.PERCENT),
      ).toEqual({
        ok: false,
        problems: [{ field: 'numerator', value: null, rule: 'must be given with a denominator' }],
      });
    });
  });

  describe('the period', () => {
    it('rejects 2024-13, listing the accepted formats', () => {
      expect(checkMeasurement(input({ period: '2024-13', value: 1 }), Unit.COUNT)).toEqual({
        ok: false,
        problems: [
          { field: 'period', value: '2024-13', rule: `must be a period: ${PERIOD_FORMATS}` },
        ],
      });
    });

    it('reports a bad period together with the other problems', () => {
      const checked = checkMeasurement(input({ period: 'Jan 2024' }), Unit.COUNT);
      expect(checked.ok === false && checked.problems.map((p) => p.field)).toEqual([
        'period',
        'value',
      ]);
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
      expect(
        checkMeasurement(
          input({ numerator: Number.POSITIVE_INFINITY, denominator: 10 }),
          Unit.RATIO,
        ),
      ).toEqual({
        ok: false,
        problems: [
          { field: 'numerator', value: Number.POSITIVE_INFINITY, rule: 'must be a finite number' },
        ],
      });
    });

    it('rejects an infinite denominator', () => {
      const checked = checkMeasurement(
        input({ value: 1, numerator: 1, denominator: Number.NEGATIVE_INFINITY }),
        Unit.RATIO,
      );
      expect(checked.ok === false && checked.problems).toContainEqual({
        field: 'denominator',
        value: Number.NEGATIVE_INFINITY,
        rule: 'must be a finite number',
      });
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
      expect(checkMeasurement(input({ numerator: 1, denominator: 4 }), Unit.PERCENT)).toMatchObject(
        { ok: true, value: 25 },
      );
    });

    it('derives 0.25 from 1 of 4 for a ratio', () => {
      expect(checkMeasurement(input({ numerator: 1, denominator: 4 }), Unit.RATIO)).toMatchObject({
        ok: true,
        value: 0.25,
      });
    });

    it('keeps a given value over the derived one, as published', () => {
      expect(
        checkMeasurement(input({ value: 60.8, numerator: 1358, denominator: 2233 }), Unit.PERCENT),
      ).toMatchObject({ ok: true, value: 60.8 });
    });

    it('keeps a given value of zero rather than deriving one', () => {
      // 1 of 400 is 0.25%, which a value written as 0 may round: the value agrees, and 0 is kept, not 0.25.
      expect(
        checkMeasurement(input({ value: 0, numerator: 1, denominator: 400 }), Unit.PERCENT),
      ).toMatchObject({ ok: true, value: 0 });
    });

    it('accepts a value its parts give once the published rounding is allowed for (98.2 from 111300 of 113400)', () => {
      // 111300 / 113400 is 98.148%: the counts are written to the hundred, so 98.2 is within reach.
      expect(
        checkMeasurement(
          input({ value: 98.2, numerator: 111300, denominator: 113400 }),
          Unit.PERCENT,
        ),
      ).toMatchObject({ ok: true, value: 98.2 });
    });

    it('rejects a value its own numerator and denominator contradict, naming both', () => {
      expect(
        checkMeasurement(input({ value: 50, numerator: 1, denominator: 4 }), Unit.PERCENT),
      ).toEqual({
        ok: false,
        problems: [
          {
            field: 'value',
            value: 50,
            rule: 'contradicts its numerator and denominator: 1 / 4 is 25%, which no rounding of the three figures as written turns into 50',
          },
        ],
      });
    });

    it('rejects a measurement with neither a value nor its parts', () => {
      expect(checkMeasurement(input({}), Unit.SCORE)).toEqual({
        ok: false,
        problems: [
          {
            field: 'value',
            value: null,
            rule: 'must be given, or numerator and denominator must be',
          },
        ],
      });
    });
  });
});

describe('problem descriptions', () => {
  it('reads as field, value and rule', () => {
    expect(
      describeProblem({
        field: 'numerator',
        value: 2299,
        rule: 'must not be above its denominator (1483) for a percentage',
      }),
    ).toBe('numerator 2299 must not be above its denominator (1483) for a percentage');
  });

  it('quotes a text value', () => {
    expect(describeProblem({ field: 'period', value: '2024-13', rule: 'must be a period' })).toBe(
      'period "2024-13" must be a period',
    );
  });

  it('leaves a missing value out', () => {
    expect(
      describeProblem({
        field: 'denominator',
        value: null,
        rule: 'must be given with a numerator',
      }),
    ).toBe('denominator must be given with a numerator');
  });

  it('names a value that is not a number as NaN, not null', () => {
    expect(
      describeProblem({ field: 'value', value: Number.NaN, rule: 'must be a finite number' }),
    ).toBe('value NaN must be a finite number');
  });

  it('names an infinite value as Infinity', () => {
    expect(
      describeProblem({
        field: 'numerator',
        value: Number.NEGATIVE_INFINITY,
        rule: 'must be a finite number',
      }),
    ).toBe('numerator -Infinity must be a finite number');
  });

  it('describes every problem checkMeasurement finds with the 2019 Norfolk row', () => {
    const checked = checkMeasurement(
      input({ value: 60.8, numerator: 2299, denominator: 1483 }),
      Unit.PERCENT,
    );
    expect(checked.ok === false && checked.problems.map(describeProblem)).toEqual([
      'numerator 2299 must not be above its denominator (1483) for a percentage',
      'value 60.8 contradicts its numerator and denominator: 2299 / 1483 is 155.024%, which no rounding of the three figures as written turns into 60.8',
    ]);
  });
});

describe('a value agreeing with its numerator and denominator as published', () => {
  it('agrees 10.4 with 260 / 2500 (x100 = 10.4 exactly)', () => {
    expect(agrees(10.4, 260, 2500, 100)).toBe(true);
  });

  it('does not agree 79.5 with 2675 / 3386 (x100 = 79.0018, at most 2675.5 / 3385.5 = 79.028)', () => {
    expect(agrees(79.5, 2675, 3386, 100)).toBe(false);
  });

  it('agrees 98.2 with 111300 / 113400, read as counts to the hundred (111250 / 113450 = 98.06 up to 111350 / 113350 = 98.24)', () => {
    expect(agrees(98.2, 111300, 113400, 100)).toBe(true);
  });

  it('does not agree 99 with 113100 / 113400: the lowest ratio, 113050 / 113450 = 99.647%, is above 99.5', () => {
    expect(agrees(99, 113100, 113400, 100)).toBe(false);
  });

  it('agrees 33.3 and 33 with 1 / 3 (33.333%)', () => {
    expect(agrees(33.3, 1, 3, 100)).toBe(true);
    expect(agrees(33, 1, 3, 100)).toBe(true);
  });

  it('does not agree 34 with 1 / 3: 34 stands for 33.5..34.5, above 33.333%', () => {
    expect(agrees(34, 1, 3, 100)).toBe(false);
  });

  it('agrees a value of 0 with 1 / 400 (0.25%, which rounds to 0)', () => {
    expect(agrees(0, 1, 400, 100)).toBe(true);
  });

  it('compares a ratio unscaled: 1.55 and 1.6 agree with 2299 / 1483 (1.5502), 1.7 does not', () => {
    // 2298.5 / 1483.5 = 1.54938 up to 2299.5 / 1482.5 = 1.55110; 1.6 stands for 1.55..1.65, 1.7 for 1.65..1.75.
    expect(agrees(1.55, 2299, 1483)).toBe(true);
    expect(agrees(1.6, 2299, 1483)).toBe(true);
    expect(agrees(1.7, 2299, 1483)).toBe(false);
  });

  it('refuses a value contradicting its parts, naming the field, the value and the ratio to six figures', () => {
    expect(
      checkMeasurement(input({ value: 79.5, numerator: 2675, denominator: 3386 }), Unit.PERCENT),
    ).toEqual({
      ok: false,
      problems: [
        {
          field: 'value',
          value: 79.5,
          rule: 'contradicts its numerator and denominator: 2675 / 3386 is 79.0018%, which no rounding of the three figures as written turns into 79.5',
        },
      ],
    });
  });

  it('accepts 10.4 given with 260 / 2500 and keeps it', () => {
    expect(
      checkMeasurement(input({ value: 10.4, numerator: 260, denominator: 2500 }), Unit.PERCENT),
    ).toMatchObject({ ok: true, value: 10.4 });
  });
});

describe('the period of an indicator', () => {
  const TODAY = '2026-11-30';
  const rule = (label: string, frequency: Frequency, today = TODAY) =>
    periodRule(parsePeriod(label), frequency, today);

  it('accepts a month for a monthly indicator, and refuses a quarter', () => {
    expect(rule('2026-03', Frequency.MONTHLY)).toBeNull();
    expect(rule('2026-Q1', Frequency.MONTHLY)).toBe(
      'is a quarter, but the indicator is monthly: give a month such as 2026-03',
    );
    expect(rule('2025/26-Q4', Frequency.MONTHLY)).toBe(
      'is a financial quarter, but the indicator is monthly: give a month such as 2026-03',
    );
    expect(rule('2025', Frequency.MONTHLY)).toBe(
      'is a year, but the indicator is monthly: give a month such as 2026-03',
    );
  });

  it('accepts a calendar or financial quarter, or the rolling twelve months to one, for a quarterly indicator, and refuses a month and a year', () => {
    expect(rule('2026-Q1', Frequency.QUARTERLY)).toBeNull();
    expect(rule('2025/26-Q4', Frequency.QUARTERLY)).toBeNull();
    expect(rule('2024-10/2025-09', Frequency.QUARTERLY)).toBeNull();
    expect(rule('2026-03', Frequency.QUARTERLY)).toBe(
      "is a month, but the indicator is quarterly: give a quarter such as 2026-Q1 or 2025/26-Q4, or the twelve months to a quarter's end such as 2025-04/2026-03",
    );
    expect(rule('2025', Frequency.QUARTERLY)).toBe(
      "is a year, but the indicator is quarterly: give a quarter such as 2026-Q1 or 2025/26-Q4, or the twelve months to a quarter's end such as 2025-04/2026-03",
    );
    expect(rule('2024/25', Frequency.QUARTERLY)).toBe(
      "is a financial year, but the indicator is quarterly: give a quarter such as 2026-Q1 or 2025/26-Q4, or the twelve months to a quarter's end such as 2025-04/2026-03",
    );
  });

  it('accepts a calendar or financial year, or several financial years taken together, for an annual indicator, and refuses a quarter and twelve months', () => {
    expect(rule('2025', Frequency.ANNUAL)).toBeNull();
    expect(rule('2025/26', Frequency.ANNUAL)).toBeNull();
    expect(rule('2022/23-2024/25', Frequency.ANNUAL)).toBeNull();
    expect(rule('2026-Q1', Frequency.ANNUAL)).toBe(
      'is a quarter, but the indicator is annual: give a year such as 2025 or 2025/26, or financial years taken together such as 2022/23-2024/25',
    );
    expect(rule('2026-03', Frequency.ANNUAL)).toBe(
      'is a month, but the indicator is annual: give a year such as 2025 or 2025/26, or financial years taken together such as 2022/23-2024/25',
    );
    expect(rule('2024-10/2025-09', Frequency.ANNUAL)).toBe(
      'is twelve months, but the indicator is annual: give a year such as 2025 or 2025/26, or financial years taken together such as 2022/23-2024/25',
    );
  });

  it('refuses several financial years for a monthly indicator, naming what they are', () => {
    expect(rule('2022/23-2024/25', Frequency.MONTHLY)).toBe(
      'is several financial years, but the indicator is monthly: give a month such as 2026-03',
    );
  });

  it('refuses a period that ends today, saying from when it can be reported', () => {
    expect(rule('2026-11', Frequency.MONTHLY, '2026-11-30')).toBe(
      'is in the future: a figure for 2026-11 can be reported once the period is over, from 2026-12-01; today is 2026-11-30',
    );
  });

  it('accepts the same month the day after it ends', () => {
    expect(rule('2026-11', Frequency.MONTHLY, '2026-12-01')).toBeNull();
  });

  it('refuses a period that has not started, and names the day after its end across a year boundary', () => {
    expect(rule('2027-01', Frequency.MONTHLY)).toBe(
      'is in the future: a figure for 2027-01 can be reported once the period is over, from 2027-02-01; today is 2026-11-30',
    );
    expect(rule('2026-Q4', Frequency.QUARTERLY)).toBe(
      'is in the future: a figure for 2026-Q4 can be reported once the period is over, from 2027-01-01; today is 2026-11-30',
    );
    expect(rule('2026/27', Frequency.ANNUAL)).toBe(
      'is in the future: a figure for 2026/27 can be reported once the period is over, from 2027-04-01; today is 2026-11-30',
    );
  });

  it('names a period of the wrong cadence before a period in the future', () => {
    expect(rule('2027-Q1', Frequency.MONTHLY)).toBe(
      'is a quarter, but the indicator is monthly: give a month such as 2026-03',
    );
  });
});

describe('problem descriptions of missing and long values', () => {
  it('never writes null or undefined for a missing value', () => {
    const missing = describeProblem({
      field: 'value',
      value: null,
      rule: 'must be given, or numerator and denominator must be',
    });
    expect(missing).toBe('value must be given, or numerator and denominator must be');
    const absent = describeProblem({ field: 'file', value: undefined, rule: 'is a PDF document' });
    expect(absent).toBe('file is a PDF document');
    expect(`${missing} ${absent}`).not.toMatch(/null|undefined/);
  });

  it('keeps a value of 80 characters as written whole', () => {
    const text = 'x'.repeat(78); // 80 characters with its quotes
    expect(describeProblem({ field: 'note', value: text, rule: 'is too long' })).toBe(
      `note "${text}" is too long`,
    );
  });

  it('cuts a long value short with an ellipsis', () => {
    const described = describeProblem({
      field: 'note',
      value: 'x'.repeat(200),
      rule: 'is too long',
    });
    expect(described).toMatch(/^note "x+\.\.\." is too long$/);
    expect(described).not.toContain('x'.repeat(100));
  });

  it('cuts a long value to 80 characters', () => {
    const described = describeProblem({
      field: 'note',
      value: 'x'.repeat(200),
      rule: 'is too long',
    });
    const shownValue = described.slice('note '.length, -' is too long'.length);
    expect(shownValue).toHaveLength(80);
  });
});

describe('value ranges (issue 13: one published figure must not poison shared views)', () => {
  it('refuses a score of 1.7e308, naming field, value and rule', () => {
    expect(checkMeasurement(input({ value: 1.7e308 }), Unit.SCORE)).toEqual({
      ok: false,
      problems: [
        {
          field: 'value',
          value: 1.7e308,
          rule: 'must be between -1,000,000,000 and 1,000,000,000 for a score',
        },
      ],
    });
  });

  it('refuses a value derived from finite parts that overflows to Infinity (1e15 / 1e-300)', () => {
    expect(checkMeasurement(input({ numerator: 1e15, denominator: 1e-300 }), Unit.RATIO)).toEqual({
      ok: false,
      problems: [
        {
          field: 'value',
          value: Number.POSITIVE_INFINITY,
          rule: '(derived: numerator 1000000000000000 / denominator 1e-300) must be a finite number',
        },
      ],
    });
  });

  it('refuses numerator 1e308 over denominator 1e-308, naming the oversized part and the infinite value it makes', () => {
    const checked = checkMeasurement(input({ numerator: 1e308, denominator: 1e-308 }), Unit.RATIO);
    expect(checked).toEqual({
      ok: false,
      problems: [
        {
          field: 'numerator',
          value: 1e308,
          rule: 'must be at most 1,000,000,000,000,000: a numerator or denominator is a count or an amount',
        },
        {
          field: 'value',
          value: Number.POSITIVE_INFINITY,
          rule: '(derived: numerator 1e+308 / denominator 1e-308) must be a finite number',
        },
      ],
    });
    expect(checked.ok === false && checked.problems.map(describeProblem)[1]).toBe(
      'value Infinity (derived: numerator 1e+308 / denominator 1e-308) must be a finite number',
    );
  });

  it('refuses a derived ratio past the range of a ratio', () => {
    const checked = checkMeasurement(input({ numerator: 1e15, denominator: 0.001 }), Unit.RATIO);
    expect(checked.ok === false && checked.problems).toEqual([
      {
        field: 'value',
        value: 1e18,
        rule: '(derived: numerator 1000000000000000 / denominator 0.001) must be between -1,000,000,000,000 and 1,000,000,000,000 for a ratio',
      },
    ]);
  });

  it('refuses a count that is not whole, or negative, or past the largest count', () => {
    expect(checkMeasurement(input({ value: 12.5 }), Unit.COUNT)).toEqual({
      ok: false,
      problems: [{ field: 'value', value: 12.5, rule: 'must be a whole number for a count' }],
    });
    expect(checkMeasurement(input({ value: -3 }), Unit.COUNT)).toEqual({
      ok: false,
      problems: [
        {
          field: 'value',
          value: -3,
          rule: 'must be between 0 and 1,000,000,000,000,000 for a count',
        },
      ],
    });
    expect(checkMeasurement(input({ value: 2e15 }), Unit.COUNT).ok).toBe(false);
    // A count with its parts is a rate of them, and need not be whole.
    expect(checkMeasurement(input({ numerator: 5, denominator: 2 }), Unit.COUNT)).toMatchObject({
      ok: true,
      value: 2.5,
    });
  });

  it('accepts money below zero and a score below zero, as published', () => {
    expect(checkMeasurement(input({ value: -125000 }), Unit.CURRENCY).ok).toBe(true);
    expect(checkMeasurement(input({ value: -42 }), Unit.SCORE).ok).toBe(true);
  });

  it("applies the indicator's own range to a given value and to a derived one", () => {
    const range = { code: 'vacancy-rate', minValue: 2, maxValue: 40 };
    expect(checkMeasurement(input({ value: 20 }), Unit.PERCENT, range).ok).toBe(true);
    expect(checkMeasurement(input({ value: 45 }), Unit.PERCENT, range)).toEqual({
      ok: false,
      problems: [
        {
          field: 'value',
          value: 45,
          rule: 'must be between 2 and 40: the range indicator vacancy-rate sets (its minValue and maxValue)',
        },
      ],
    });
    expect(
      checkMeasurement(input({ numerator: 1, denominator: 100 }), Unit.PERCENT, range),
    ).toEqual({
      ok: false,
      problems: [
        {
          field: 'value',
          value: 1,
          rule: '(derived: numerator 1 / denominator 100 x 100) must be between 2 and 40: the range indicator vacancy-rate sets (its minValue and maxValue)',
        },
      ],
    });
  });
});
