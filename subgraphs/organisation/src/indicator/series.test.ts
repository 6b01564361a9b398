import { describe, expect, it } from 'vitest';
import { Unit, parsePeriod } from '@crossgov/schema';
import type { MeasurementRow } from '../db/schema.ts';
import { aggregatePeriod, organisationSeries } from './series.ts';

let nextId = 1;

/** A stored measurement row for one period; dates come from the period label. */
function row(fields: Partial<MeasurementRow> & { period: string }): MeasurementRow {
  const period = parsePeriod(fields.period);
  return {
    id: nextId++,
    organisationId: 'org',
    indicatorId: 'kpi',
    serviceId: 'service-a',
    department: null,
    periodType: period.type,
    periodStart: period.start,
    periodEnd: period.end,
    value: null,
    numerator: null,
    denominator: null,
    synthetic: false,
    updatedAt: new Date('2025-01-01T00:00:00Z'),
    ...fields,
  };
}

/** A percentage row with its parts, value derived as the store would keep it. */
function rate(
  period: string,
  serviceId: string | null,
  numerator: number,
  denominator: number,
): MeasurementRow {
  return row({ period, serviceId, numerator, denominator, value: (numerator / denominator) * 100 });
}

describe('the organisation-wide value of one period', () => {
  it('is nothing when no row was reported', () => {
    expect(aggregatePeriod([], Unit.PERCENT)).toBeNull();
  });

  it('takes the ratio of sums, 10%, for 90/100 and 10/900 where the mean of the rates would be 45.6%', () => {
    // (90 + 10) / (100 + 900) = 100 / 1000 = 10%; the mean of 90% and 1.11% would be 45.56%.
    const result = aggregatePeriod(
      [rate('2024-01', 'service-a', 90, 100), rate('2024-01', 'service-b', 10, 900)],
      Unit.PERCENT,
    );
    expect(result?.numerator).toBe(100);
    expect(result?.denominator).toBe(1000);
    expect(result?.value).toBeCloseTo(10, 10);
  });

  it('leaves a ratio unscaled: 90/100 and 10/900 give 0.1', () => {
    const result = aggregatePeriod(
      [rate('2024-01', 'service-a', 90, 100), rate('2024-01', 'service-b', 10, 900)],
      Unit.RATIO,
    );
    expect(result?.value).toBeCloseTo(0.1, 12);
  });

  it('gives cost per transaction as total cost over total transactions: 1000/100 and 9000/300 give 25, not 20', () => {
    const rows = [
      row({ period: '2024-Q1', serviceId: 'a', numerator: 1000, denominator: 100, value: 10 }),
      row({ period: '2024-Q1', serviceId: 'b', numerator: 9000, denominator: 300, value: 30 }),
    ];
    expect(aggregatePeriod(rows, Unit.CURRENCY)?.value).toBe(25);
  });

  it('sums three services over the same parts: 50/200 + 30/100 + 20/200 = 20%', () => {
    const result = aggregatePeriod(
      [rate('2024-01', 'a', 50, 200), rate('2024-01', 'b', 30, 100), rate('2024-01', 'c', 20, 200)],
      Unit.PERCENT,
    );
    expect(result?.value).toBeCloseTo(20, 10);
  });

  it('reports the aggregate as the organisation, not as any service, keeping the period', () => {
    const result = aggregatePeriod(
      [rate('2024-02', 'service-a', 1, 2), rate('2024-02', 'service-b', 1, 2)],
      Unit.PERCENT,
    );
    expect(result).toMatchObject({
      serviceId: null,
      period: '2024-02',
      periodType: 'MONTH',
      periodStart: '2024-02-01',
      periodEnd: '2024-02-29',
    });
  });

  it('sums counts: 120 + 30 + 50 = 200', () => {
    const rows = [
      row({ period: '2024-01', serviceId: 'a', value: 120 }),
      row({ period: '2024-01', serviceId: 'b', value: 30 }),
      row({ period: '2024-01', serviceId: 'c', value: 50 }),
    ];
    expect(aggregatePeriod(rows, Unit.COUNT)).toMatchObject({
      value: 200,
      numerator: null,
      denominator: null,
      serviceId: null,
    });
  });

  it('does not sum counts when one service has no value', () => {
    const rows = [
      row({ period: '2024-01', serviceId: 'a', value: 120 }),
      row({ period: '2024-01', serviceId: 'b', value: null }),
    ];
    expect(aggregatePeriod(rows, Unit.COUNT)?.value).toBeNull();
  });

  it("lets the organisation's own published row win over its services' rows", () => {
    const own = row({
      period: '2024-01',
      serviceId: null,
      value: 77,
      numerator: 770,
      denominator: 1000,
    });
    const result = aggregatePeriod(
      [rate('2024-01', 'service-a', 90, 100), own, rate('2024-01', 'service-b', 10, 900)],
      Unit.PERCENT,
    );
    expect(result).toMatchObject({ value: 77, numerator: 770, denominator: 1000, serviceId: null });
  });

  it('lets a single service row stand for itself, service and all', () => {
    const only = row({
      period: '2024-01',
      serviceId: 'service-a',
      value: 42.5,
      numerator: 85,
      denominator: 200,
    });
    expect(aggregatePeriod([only], Unit.PERCENT)).toEqual({
      period: '2024-01',
      periodType: 'MONTH',
      periodStart: '2024-01-01',
      periodEnd: '2024-01-31',
      value: 42.5,
      numerator: 85,
      denominator: 200,
      serviceId: 'service-a',
      department: null,
      synthetic: false,
      draft: false,
    });
  });

  it('gives no value for a score over two services (6.6 and 6.4 cannot be averaged honestly)', () => {
    const rows = [
      row({ period: '2024-01', serviceId: 'a', value: 6.6 }),
      row({ period: '2024-01', serviceId: 'b', value: 6.4 }),
    ];
    expect(aggregatePeriod(rows, Unit.SCORE)).toMatchObject({
      value: null,
      numerator: null,
      denominator: null,
      serviceId: null,
    });
  });

  it('gives no value for percentages over two services when one lacks its parts', () => {
    const rows = [
      rate('2024-01', 'a', 90, 100),
      row({ period: '2024-01', serviceId: 'b', value: 50 }),
    ];
    expect(aggregatePeriod(rows, Unit.PERCENT)?.value).toBeNull();
  });

  it('gives no value when the denominators add up to zero, but keeps the parts', () => {
    const rows = [
      row({ period: '2024-01', serviceId: 'a', numerator: 0, denominator: 0 }),
      row({ period: '2024-01', serviceId: 'b', numerator: 0, denominator: 0 }),
    ];
    expect(aggregatePeriod(rows, Unit.PERCENT)).toMatchObject({
      value: null,
      numerator: 0,
      denominator: 0,
    });
  });

  it('marks the aggregate synthetic when any of its rows is', () => {
    const rows = [rate('2024-01', 'a', 1, 2), { ...rate('2024-01', 'b', 1, 2), synthetic: true }];
    expect(aggregatePeriod(rows, Unit.PERCENT)?.synthetic).toBe(true);
  });

  it('keeps the aggregate real when no row is synthetic', () => {
    expect(
      aggregatePeriod([rate('2024-01', 'a', 1, 2), rate('2024-01', 'b', 1, 2)], Unit.PERCENT)
        ?.synthetic,
    ).toBe(false);
  });
});

describe('the organisation-wide series', () => {
  it('is empty without rows', () => {
    expect(organisationSeries([], Unit.PERCENT)).toEqual([]);
  });

  it('gives one entry per period, oldest first, whatever order the rows came in', () => {
    const rows = [
      rate('2024-02', 'a', 30, 100),
      rate('2024-01', 'b', 10, 900),
      rate('2023-12', 'a', 5, 10),
      rate('2024-01', 'a', 90, 100),
      rate('2024-02', 'b', 70, 100),
    ];
    const series = organisationSeries(rows, Unit.PERCENT);
    expect(series.map((m) => m.period)).toEqual(['2023-12', '2024-01', '2024-02']);
    // 2023-12: one service, 50%. 2024-01: 100/1000 = 10%. 2024-02: 100/200 = 50%.
    expect(series.map((m) => m.value)).toEqual([50, expect.closeTo(10, 10), 50]);
    expect(series.map((m) => m.denominator)).toEqual([10, 1000, 200]);
  });

  it('orders by period start, so a financial quarter sorts among calendar months', () => {
    const rows = [
      row({ period: '2024-05', value: 3 }),
      row({ period: '2023/24-Q4', value: 1 }),
      row({ period: '2024-04', value: 2 }),
    ];
    expect(organisationSeries(rows, Unit.COUNT).map((m) => m.period)).toEqual([
      '2023/24-Q4',
      '2024-04',
      '2024-05',
    ]);
  });

  it('sums counts period by period', () => {
    const rows = [
      row({ period: '2024-01', serviceId: 'a', value: 3 }),
      row({ period: '2024-02', serviceId: 'a', value: 5 }),
      row({ period: '2024-01', serviceId: 'b', value: 4 }),
      row({ period: '2024-02', serviceId: 'b', value: 6 }),
    ];
    expect(organisationSeries(rows, Unit.COUNT).map((m) => [m.period, m.value])).toEqual([
      ['2024-01', 7],
      ['2024-02', 11],
    ]);
  });

  it('keeps a period whose services cannot be combined, with no value, rather than dropping it', () => {
    const rows = [
      row({ period: '2024-01', serviceId: 'a', value: 6.6 }),
      row({ period: '2024-01', serviceId: 'b', value: 6.4 }),
      row({ period: '2024-02', serviceId: 'a', value: 6.5 }),
    ];
    expect(organisationSeries(rows, Unit.SCORE).map((m) => [m.period, m.value])).toEqual([
      ['2024-01', null],
      ['2024-02', 6.5],
    ]);
  });
});

describe("a cluster's figure over its member departments", () => {
  it('is the ratio of the sums of the departments, and a cluster-wide row still wins', () => {
    const dwp = row({
      period: '2026-01',
      serviceId: null,
      department: 'DWP',
      numerator: 900,
      denominator: 1000,
      value: 90,
    });
    const ho = row({
      period: '2026-01',
      serviceId: null,
      department: 'HO',
      numerator: 50,
      denominator: 100,
      value: 50,
    });
    const combined = aggregatePeriod([dwp, ho], Unit.PERCENT)!;
    // 950 / 1100 = 86.36%, not the mean of 90% and 50%.
    expect(combined).toMatchObject({
      numerator: 950,
      denominator: 1100,
      department: null,
      serviceId: null,
    });
    expect(combined.value).toBeCloseTo((950 / 1100) * 100, 12);
    const own = row({
      period: '2026-01',
      serviceId: null,
      department: null,
      numerator: 1,
      denominator: 2,
      value: 50,
    });
    expect(aggregatePeriod([dwp, own, ho], Unit.PERCENT)!.value).toBe(50);
  });
});
