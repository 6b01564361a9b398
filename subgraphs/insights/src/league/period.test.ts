import { describe, expect, it } from 'vitest';
import { type PeriodColumns, choosePeriod, periodsReported } from './period.ts';

/** One organisation's monthly columns, e.g. months('2026-07', '2026-08'). */
const months = (...labels: string[]): PeriodColumns => ({
  periods: labels,
  periodStarts: labels.map((l) => `${l}-01`),
});
const counts = (columns: PeriodColumns[]) =>
  periodsReported(columns).map((p) => [p.period, p.reported]);

describe('the periods a league can compare', () => {
  it('counts how many organisations have a figure for each period, newest first', () => {
    // Four report July and August; one has September too.
    const columns = [
      ...Array.from({ length: 4 }, () => months('2026-07', '2026-08')),
      months('2026-07', '2026-08', '2026-09'),
    ];
    expect(counts(columns)).toEqual([
      ['2026-09', 1],
      ['2026-08', 5],
      ['2026-07', 5],
    ]);
  });

  it('orders quarters and months by when they start, not by their labels ("2026-Q3" sorts after "2026-09" as text)', () => {
    const quarterly = {
      periods: ['2026-Q2', '2026-Q3'],
      periodStarts: ['2026-04-01', '2026-07-01'],
    };
    const periods = periodsReported([quarterly, months('2026-07', '2026-08', '2026-09')]);
    // 2026-Q3 starts on 1 July with 2026-07 but ends on 30 September: it is the later of the two.
    expect(periods.map((p) => p.period)).toEqual([
      '2026-09',
      '2026-08',
      '2026-Q3',
      '2026-07',
      '2026-Q2',
    ]);
    expect(periods.find((p) => p.period === '2026-Q3')).toEqual({
      period: '2026-Q3',
      start: '2026-07-01',
      end: '2026-09-30',
      reported: 1,
    });
  });

  it('counts an organisation once for a period it lists twice', () => {
    expect(counts([months('2026-08', '2026-08'), months('2026-08')])).toEqual([['2026-08', 2]]);
  });
});

describe('the period a league compares when none is asked', () => {
  it('is the latest period at least half of the expected organisations reported, not the latest anyone reported', () => {
    // 5 expected: 2026-09 has 1 (1 x 2 < 5), 2026-08 has 5.
    const periods = periodsReported([
      ...Array.from({ length: 4 }, () => months('2026-07', '2026-08')),
      months('2026-07', '2026-08', '2026-09'),
    ]);
    expect(choosePeriod(periods, 5, null)).toEqual({
      period: '2026-08',
      rule: '2026-08: the latest period at least half of the 5 expected organisations reported (5 of 5); 2026-09, the latest anyone reported, has 1 of 5',
    });
  });

  it('takes a period exactly half reported (2 of 4), but not 2 of 5', () => {
    const columns = [
      months('2026-08', '2026-09'),
      months('2026-08', '2026-09'),
      months('2026-08'),
      months('2026-08'),
    ];
    expect(choosePeriod(periodsReported(columns), 4, null)).toEqual({
      period: '2026-09',
      rule: '2026-09: the latest period at least half of the 4 expected organisations reported (2 of 4)',
    });
    // A fifth expected organisation that reported nothing (its subgraph did not answer): 2 of 5 is not half.
    expect(choosePeriod(periodsReported(columns), 5, null)?.period).toBe('2026-08');
  });

  it('is the period reported by the most when none reaches half, the later of any tied', () => {
    // 6 expected, 3 needed: 2026-09 has 1, 2026-08 has 2, 2026-07 has 2, 2026-06 has 1.
    const columns = [
      months('2026-06', '2026-07', '2026-08', '2026-09'),
      months('2026-07', '2026-08'),
      months('2026-06'),
    ];
    expect(choosePeriod(periodsReported(columns), 6, null)).toEqual({
      period: '2026-08',
      rule: '2026-08: no period was reported by at least half of the 6 expected organisations, so the one reported by the most (2 of 6), the latest of those tied',
    });
  });

  it('names no tie when one period alone is reported by the most', () => {
    const columns = [months('2026-07', '2026-09'), months('2026-07')];
    expect(choosePeriod(periodsReported(columns), 5, null)).toEqual({
      period: '2026-07',
      rule: '2026-07: no period was reported by at least half of the 5 expected organisations, so the one reported by the most (2 of 5)',
    });
  });

  it('compares a month after a quarter that starts earlier: the latest is by start date', () => {
    // Two report quarterly up to 2026-Q3 (1 July); two monthly up to 2026-08 (1 August). 4 expected, 2 is half.
    const quarterly = {
      periods: ['2026-Q2', '2026-Q3'],
      periodStarts: ['2026-04-01', '2026-07-01'],
    };
    const periods = periodsReported([
      quarterly,
      quarterly,
      months('2026-07', '2026-08'),
      months('2026-07', '2026-08'),
    ]);
    expect(choosePeriod(periods, 4, null)?.period).toBe('2026-08');
  });

  it('says one expected organisation in the singular', () => {
    expect(choosePeriod(periodsReported([months('2026-08')]), 1, null)?.rule).toBe(
      '2026-08: the latest period at least half of the 1 expected organisation reported (1 of 1)',
    );
  });

  it('is none when nobody has a figure and nothing was asked', () => {
    expect(choosePeriod([], 3, null)).toBeNull();
  });
});

describe('a period asked for', () => {
  it('is taken as asked, saying how many reported it', () => {
    const periods = periodsReported([months('2026-06', '2026-09'), months('2026-06')]);
    expect(choosePeriod(periods, 2, '2026-06')).toEqual({
      period: '2026-06',
      rule: '2026-06: asked for (2 of 2 reported)',
    });
    expect(choosePeriod(periods, 2, '2030-01')).toEqual({
      period: '2030-01',
      rule: '2030-01: asked for (0 of 2 reported)',
    });
  });
});
