import { describe, expect, it } from 'vitest';
import {
  type RegistryEntry,
  Unit,
  findEntry,
  loadRegistry,
  nextPeriod,
  parsePeriod,
} from '@crossgov/schema';
import { checkMeasurement } from '../indicator/measurement.rules.ts';
import type { SeedMeasurement } from './seed.types.ts';
import {
  type SyntheticSeed,
  clusterSeries,
  departmentSeries,
  supportingProgrammeSeries,
} from './synthetic.ts';

const registry = loadRegistry();
const synergy = findEntry(registry, 'synergy');
const hmrc = findEntry(registry, 'hmrc');
const interoperability = findEntry(registry, 'interoperability');
const clusters = registry.organisations.filter((org) => org.kind === 'CLUSTER');

/** The periods an indicator has figures for (once each, whichever departments reported them). */
const labels = (
  measurements: SeedMeasurement[],
  indicatorId: string,
  serviceId: string | null = null,
) => [
  ...new Set(
    measurements
      .filter((m) => m.indicatorId === indicatorId && m.serviceId === serviceId)
      .map((m) => m.period.label),
  ),
];

const values = (seed: SyntheticSeed) =>
  seed.measurements.map((m) => [m.indicatorId, m.serviceId, m.period.label, m.value]);

/** The month `count` months before `label` (negative count: after). */
function monthsBefore(label: string, count: number): string {
  const start = new Date(`${parsePeriod(label).start}T00:00:00Z`);
  start.setUTCMonth(start.getUTCMonth() - count);
  return start.toISOString().slice(0, 7);
}

const seeds: [string, () => SyntheticSeed][] = [
  ['a cluster', () => clusterSeries(synergy)],
  ['a department', () => departmentSeries(hmrc)],
  ['a supporting programme', () => supportingProgrammeSeries(interoperability)],
];

describe('synthetic series', () => {
  describe('determinism', () => {
    it.each(seeds)('gives %s the same series every time', (_, make) => {
      expect(make()).toEqual(make());
    });

    it('gives two clusters different series', () => {
      expect(values(clusterSeries(findEntry(registry, 'matrix')))).not.toEqual(
        values(clusterSeries(synergy)),
      );
    });

    it('gives two departments different series', () => {
      const other: RegistryEntry = {
        ...hmrc,
        id: 'dwp',
        name: 'Department for Work and Pensions',
        lead: 'DWP',
      };
      expect(values(departmentSeries(other))).not.toEqual(values(departmentSeries(hmrc)));
    });

    it('gives every cluster in the registry a series of its own', () => {
      const invoices = clusters.map((entry) =>
        JSON.stringify(
          clusterSeries(entry)
            .measurements.filter((m) => m.indicatorId === 'ss-invoices-paid-5-days')
            .map((m) => m.value),
        ),
      );
      expect(new Set(invoices).size).toBe(clusters.length);
    });
  });

  describe('labelling', () => {
    // The flag is the label: a note in the report card's actions read as an action being taken.
    it.each(seeds)(
      'marks every indicator of %s synthetic, and puts no note in its report card',
      (_, make) => {
        const { indicators } = make();
        expect(indicators.length).toBeGreaterThan(0);
        for (const indicator of indicators) {
          expect(indicator.synthetic, indicator.id).toBe(true);
          expect(indicator.actions, indicator.id).toBeNull();
        }
      },
    );

    it.each(seeds)('marks every measurement of %s synthetic', (_, make) => {
      const { measurements } = make();
      expect(measurements.length).toBeGreaterThan(0);
      expect(measurements.filter((m) => m.synthetic !== true)).toEqual([]);
    });
  });

  describe('validity', () => {
    it.each(seeds)(
      'never gives %s a percentage whose numerator is above its denominator',
      (_, make) => {
        const seed = make();
        const percent = new Set(
          seed.indicators.filter((i) => i.unit === Unit.PERCENT).map((i) => i.id),
        );
        for (const m of seed.measurements.filter((m) => percent.has(m.indicatorId))) {
          expect(m.numerator).not.toBeNull();
          expect(
            m.numerator!,
            `${m.indicatorId} ${m.serviceId} ${m.period.label}`,
          ).toBeLessThanOrEqual(m.denominator!);
          expect(m.value).toBeCloseTo((m.numerator! / m.denominator!) * 100, 9);
        }
      },
    );

    it.each(seeds)(
      'gives %s only measurements that pass the rules every submission must pass',
      (_, make) => {
        const seed = make();
        const unitOf = new Map(seed.indicators.map((i) => [i.id, i.unit as Unit]));
        const broken = seed.measurements
          .map((m) => ({
            m,
            checked: checkMeasurement({ ...m, period: m.period.label }, unitOf.get(m.indicatorId)!),
          }))
          .filter(({ checked }) => !checked.ok);
        expect(broken).toEqual([]);
      },
    );

    it('reports the percentages of 200 department services within the rules too', () => {
      const seed = departmentSeries(hmrc, { serviceCount: 200 });
      const bad = seed.measurements.filter(
        (m) =>
          m.numerator !== null &&
          m.denominator !== null &&
          m.indicatorId !== 'gds-cost-per-transaction' &&
          m.numerator > m.denominator,
      );
      expect(bad).toEqual([]);
    });

    it('only reports measurements for its own services', () => {
      const seed = departmentSeries(hmrc, { serviceCount: 10 });
      const ids = new Set(seed.services.map((s) => s.id));
      expect(seed.measurements.filter((m) => !ids.has(m.serviceId!))).toEqual([]);
    });
  });

  describe('department services', () => {
    it('reports on four services by default, the real HMRC ones', () => {
      expect(departmentSeries(hmrc).services.map((s) => s.id)).toEqual([
        'self-assessment',
        'vat-returns',
        'child-benefit',
        'check-income-tax',
      ]);
    });

    it('reports on 10 services when asked, numbering those beyond the first four', () => {
      const seed = departmentSeries(hmrc, { serviceCount: 10 });
      expect(seed.services.map((s) => s.id)).toEqual([
        'self-assessment',
        'vat-returns',
        'child-benefit',
        'check-income-tax',
        'service-5',
        'service-6',
        'service-7',
        'service-8',
        'service-9',
        'service-10',
      ]);
    });

    it('gives each of 10 services 30 months of three monthly KPIs and 10 quarters of cost: 1000 measurements', () => {
      // 2024-04 to 2026-09 is 30 months; whole quarters 2024-Q2 to 2026-Q3 are 10. (30 x 3 + 10) x 10 = 1000.
      expect(departmentSeries(hmrc, { serviceCount: 10 }).measurements).toHaveLength(1000);
    });

    it('reports on 200 services when asked, each once, with 20000 measurements', () => {
      const seed = departmentSeries(hmrc, { serviceCount: 200 });
      expect(seed.services).toHaveLength(200);
      expect(new Set(seed.services.map((s) => s.id)).size).toBe(200);
      expect(seed.services.at(-1)?.id).toBe('service-200');
      expect(seed.measurements).toHaveLength(20000);
    });

    it('keeps the first services the same whatever the count', () => {
      const four = departmentSeries(hmrc);
      const ten = departmentSeries(hmrc, { serviceCount: 10 });
      const first = (seed: SyntheticSeed) =>
        seed.measurements.filter((m) => m.serviceId === 'self-assessment').map((m) => m.value);
      expect(first(ten)).toEqual(first(four));
    });

    it('runs monthly KPIs from 2024-04 to 2026-09 by default', () => {
      const months = labels(
        departmentSeries(hmrc).measurements,
        'gds-completion-rate',
        'vat-returns',
      );
      expect(months).toHaveLength(30);
      expect([months[0], months.at(-1)]).toEqual(['2024-04', '2026-09']);
    });
  });

  describe('cluster series end', () => {
    it.each(clusters.map((entry) => [entry.id, entry] as const))(
      'ends %s at 2026-09 or up to 2 months before it by default',
      (_, entry) => {
        const months = labels(clusterSeries(entry).measurements, 'ss-invoices-paid-5-days');
        expect(['2026-07', '2026-08', '2026-09']).toContain(months.at(-1));
        expect(months[0]).toBe('2024-04');
        expect(months.length).toBe(30 - ['2026-09', '2026-08', '2026-07'].indexOf(months.at(-1)!));
      },
    );

    it.each(clusters.map((entry) => [entry.id, entry] as const))(
      'ends %s at 2025-01 or up to 2 months before it, across the year end',
      (_, entry) => {
        const months = labels(
          clusterSeries(entry, { lastMonth: '2025-01' }).measurements,
          'ss-payroll-accuracy',
        );
        expect(['2024-11', '2024-12', '2025-01']).toContain(months.at(-1));
      },
    );

    it('stops the clusters at different months, as late returns do', () => {
      const ends = new Set(
        clusters.map((entry) =>
          labels(clusterSeries(entry).measurements, 'ss-invoices-paid-5-days').at(-1),
        ),
      );
      expect(ends.size).toBeGreaterThan(1);
    });

    it('gives months with no gaps', () => {
      const months = labels(clusterSeries(synergy).measurements, 'ss-invoices-paid-5-days').map(
        parsePeriod,
      );
      months.slice(1).forEach((month, i) => expect(month.label).toBe(nextPeriod(months[i]!).label));
    });

    it('reports invoices and payroll for each department in membership that month', () => {
      const matrix = clusters.find((entry) => entry.id === 'matrix')!;
      const rows = clusterSeries(matrix).measurements.filter(
        (m) => m.indicatorId === 'ss-payroll-accuracy',
      );
      const departmentsIn = (period: string) =>
        rows
          .filter((m) => m.period.label === period)
          .map((m) => m.department)
          .sort();
      // BEIS was split on 2023-02-07, before the series starts: DSIT, DESNZ and DBT report instead.
      expect(departmentsIn('2024-04')).toEqual([
        'AGO',
        'CO',
        'DBT',
        'DCMS',
        'DESNZ',
        'DFE',
        'DHSC',
        'DSIT',
        'HMT',
      ]);
      expect(rows.every((m) => m.numerator! <= m.denominator!)).toBe(true);
    });

    it('honours a shorter run of months', () => {
      const months = labels(
        clusterSeries(synergy, { months: 12 }).measurements,
        'ss-invoices-paid-5-days',
      );
      expect(months.length).toBeGreaterThanOrEqual(10);
      expect(months.length).toBeLessThanOrEqual(12);
      expect(months[0]).toBe(monthsBefore('2026-09', 11));
    });
  });

  describe('quarters', () => {
    const lastMonths = ['2026-09', '2026-08', '2025-01', '2024-05'];

    it.each(lastMonths)(
      'reports only quarters the monthly series covers whole, ending %s',
      (lastMonth) => {
        for (const seed of [
          clusterSeries(synergy, { lastMonth }),
          departmentSeries(hmrc, { lastMonth }),
        ]) {
          const monthly = seed.measurements
            .filter((m) => m.period.type === 'MONTH')
            .map((m) => m.period);
          const first = monthly.reduce((a, b) => (a.start < b.start ? a : b));
          const last = monthly.reduce((a, b) => (a.end > b.end ? a : b));
          const quarters = seed.measurements
            .filter((m) => m.period.type === 'QUARTER')
            .map((m) => m.period);
          expect(quarters.length).toBeGreaterThan(0);
          for (const q of quarters) {
            expect(
              q.start >= first.start && q.end <= last.end,
              `${q.label} within ${first.label}..${last.label}`,
            ).toBe(true);
          }
        }
      },
    );

    it('reports the ten whole quarters 2024-Q2 to 2026-Q3 for a department by default', () => {
      expect(
        labels(departmentSeries(hmrc).measurements, 'gds-cost-per-transaction', 'self-assessment'),
      ).toEqual([
        '2024-Q2',
        '2024-Q3',
        '2024-Q4',
        '2025-Q1',
        '2025-Q2',
        '2025-Q3',
        '2025-Q4',
        '2026-Q1',
        '2026-Q2',
        '2026-Q3',
      ]);
    });

    it('sets the quarterly targets from the first whole quarter', () => {
      const seed = clusterSeries(synergy, { lastMonth: '2026-08' });
      const first = labels(seed.measurements, 'ss-cost-per-employee')[0];
      expect(seed.targets.find((t) => t.indicatorId === 'ss-cost-per-employee')?.fromPeriod).toBe(
        first,
      );
      expect(first).toBe('2024-Q2');
    });
  });
});
