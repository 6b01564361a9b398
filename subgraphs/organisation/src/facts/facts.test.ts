import { describe, expect, it } from 'vitest';
import {
  FactBreakdown,
  Polarity,
  Rag,
  RevisionStatus,
  SpcSignal,
  Unit,
  parsePeriod,
} from '@crossgov/schema';
import type { IndicatorRow, TargetRow } from '../db/schema.ts';
import type { SeriesRow } from '../indicator/series.ts';
import { decodeCursor, encodeCursor, indicatorFacts, isAfter } from './facts.ts';

const indicator: IndicatorRow = {
  id: 'ind',
  code: 'paid-5-days',
  name: 'Invoices paid within 5 days',
  definition: null,
  unit: Unit.PERCENT,
  polarity: Polarity.BIGGER_IS_BETTER,
  frequency: 'MONTHLY',
  tolerance: 0.05,
  leadOfficer: null,
  dataOwner: null,
  whyItMatters: null,
  background: null,
  whatSuccessLooksLike: null,
  actions: null,
  synthetic: false,
  position: 0,
  spcFixAfterPoints: null,
  spcRebasePeriods: null,
  standard: null,
  minValue: null,
  maxValue: null,
  agreementTolerance: null,
  organisationId: 'org',
};

function row(
  period: string,
  numerator: number,
  denominator: number,
  parts: { serviceId?: string; updatedAt?: string; draft?: boolean } = {},
): SeriesRow {
  const p = parsePeriod(period);
  return {
    id: 0,
    organisationId: 'org',
    indicatorId: 'ind',
    serviceId: parts.serviceId ?? null,
    department: null,
    period,
    periodType: p.type,
    periodStart: p.start,
    periodEnd: p.end,
    value: (numerator / denominator) * 100,
    numerator,
    denominator,
    synthetic: false,
    updatedAt: new Date(parts.updatedAt ?? '2026-01-01T00:00:00Z'),
    draft: parts.draft,
  };
}

const target: TargetRow = {
  organisationId: 'org',
  indicatorId: 'ind',
  fromPeriod: '2024-01',
  fromDate: '2024-01-01',
  value: 90,
};
const names = new Map([
  ['a', 'Accounts payable'],
  ['b', 'Bank reconciliation'],
]);
const twoServices = [
  row('2024-01', 90, 100, { serviceId: 'a' }),
  row('2024-01', 80, 100, { serviceId: 'b', updatedAt: '2026-02-01T00:00:00Z' }),
  row('2024-02', 45, 50, { serviceId: 'a' }),
  row('2024-02', 190, 200, { serviceId: 'b', draft: true }),
];

describe('flat facts of one indicator', () => {
  it("gives one row per period of the organisation's figure, a ratio of sums of its services, rated against the target in force", () => {
    const facts = indicatorFacts(indicator, twoServices, [target], names, {
      breakdown: FactBreakdown.ORGANISATION,
    }).map((f) => f.fact);
    expect(
      facts.map((f) => [
        f.period,
        f.serviceId,
        f.numerator,
        f.denominator,
        f.value,
        f.target,
        f.rag,
      ]),
    ).toEqual([
      ['2024-01', null, 170, 200, 85, 90, Rag.RED],
      // 235 / 250 = 94%, not the mean of 90% and 95%.
      ['2024-02', null, 235, 250, 94, 90, Rag.GREEN],
    ]);
  });

  it('marks a figure built from any draft part as a draft, and dates it by its latest part', () => {
    const facts = indicatorFacts(indicator, twoServices, [target], names, {
      breakdown: FactBreakdown.ORGANISATION,
    }).map((f) => f.fact);
    expect(facts.map((f) => [f.period, f.status, f.updatedAt])).toEqual([
      ['2024-01', RevisionStatus.PUBLISHED, '2026-02-01T00:00:00.000Z'],
      ['2024-02', RevisionStatus.DRAFT, '2026-01-01T00:00:00.000Z'],
    ]);
  });

  it("adds each service's own series after the organisation's, services in id order, when asked for every breakdown", () => {
    const facts = indicatorFacts(indicator, twoServices, [target], names, {
      breakdown: FactBreakdown.ALL,
    });
    expect(
      facts.map((f) => [
        f.fact.serviceId,
        f.fact.serviceName,
        f.fact.period,
        f.fact.value,
        f.position.series,
      ]),
    ).toEqual([
      [null, null, '2024-01', 85, '0:'],
      [null, null, '2024-02', 94, '0:'],
      ['a', 'Accounts payable', '2024-01', 90, '1:a'],
      ['a', 'Accounts payable', '2024-02', 90, '1:a'],
      ['b', 'Bank reconciliation', '2024-01', 80, '1:b'],
      ['b', 'Bank reconciliation', '2024-02', 95, '1:b'],
    ]);
  });

  it('skips periods nobody reported instead of inventing rows for them', () => {
    const facts = indicatorFacts(
      indicator,
      [row('2024-01', 1, 2), row('2024-04', 1, 2)],
      [],
      names,
      { breakdown: FactBreakdown.ORGANISATION },
    );
    expect(facts.map((f) => f.fact.period)).toEqual(['2024-01', '2024-04']);
  });

  it('filters by period and by last change, judging SPC on the whole series rather than on the rows kept', () => {
    // Eight months rising: a trend (7 or more points each higher than the one before) in the whole series.
    const rising = Array.from({ length: 8 }, (_, i) =>
      row(`2024-0${i + 1}`, 50 + i, 100, { updatedAt: `2026-0${i + 1}-01T00:00:00Z` }),
    );
    const all = indicatorFacts(indicator, rising, [], names, {
      breakdown: FactBreakdown.ORGANISATION,
    }).map((f) => f.fact);
    const signal = new Map(all.map((f) => [f.period, f.spcSignal]));
    const window = indicatorFacts(indicator, rising, [], names, {
      breakdown: FactBreakdown.ORGANISATION,
      from: parsePeriod('2024-07'),
      to: parsePeriod('2024-Q3'),
    }).map((f) => f.fact);
    expect(window.map((f) => f.period)).toEqual(['2024-07', '2024-08']);
    // Two points alone make no signal; as part of the whole series they are special causes.
    for (const f of window) {
      expect(f.spcSignal).toBe(signal.get(f.period));
      expect([SpcSignal.TREND, SpcSignal.OUTSIDE_LIMITS]).toContain(f.spcSignal);
    }
    const changed = indicatorFacts(indicator, rising, [], names, {
      breakdown: FactBreakdown.ORGANISATION,
      updatedSince: new Date('2026-06-01T00:00:00Z'),
    }).map((f) => f.fact.period);
    expect(changed).toEqual(['2024-07', '2024-08']);
  });
});

describe('a facts cursor', () => {
  it('round-trips a position and refuses anything it did not make', () => {
    const position = { indicator: 'paid-5-days', series: '1:a', periodStart: '2024-02-01' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    expect(decodeCursor('not-a-cursor')).toBeNull();
    expect(
      decodeCursor(Buffer.from(JSON.stringify(['x', 'bad', '2024-02-01'])).toString('base64url')),
    ).toBeNull();
  });

  it('orders positions by series, then period', () => {
    const at = (series: string, periodStart: string) => ({ indicator: 'i', series, periodStart });
    expect(isAfter(at('0:', '2024-02-01'), at('0:', '2024-01-01'))).toBe(true);
    expect(isAfter(at('1:a', '2020-01-01'), at('0:', '2024-01-01'))).toBe(true);
    expect(isAfter(at('1:a', '2024-01-01'), at('1:b', '2020-01-01'))).toBe(false);
    expect(isAfter(at('0:', '2024-01-01'), at('0:', '2024-01-01'))).toBe(false);
  });
});

describe('a page of facts resuming inside an indicator', () => {
  it('starts after the cursor and stops at the limit, giving the same rows as the whole list sliced', () => {
    const all = indicatorFacts(indicator, twoServices, [target], names, {
      breakdown: FactBreakdown.ALL,
    });
    const after = all[2]!.position;
    const page = indicatorFacts(
      indicator,
      twoServices,
      [target],
      names,
      { breakdown: FactBreakdown.ALL },
      { after, limit: 2 },
    );
    expect(page).toEqual(all.slice(3, 5));
  });
});
