import {
  Frequency,
  type Period,
  PeriodType,
  Polarity,
  type RegistryEntry,
  Unit,
  nextPeriod,
  parsePeriod,
  standardIndicator,
} from '@crossgov/schema';
import { gaussian, seededRandom } from './random.ts';
import type { SeedIndicator, SeedMeasurement, SeedService, SeedTarget } from './seed.types.ts';

// No performance series is published for the clusters, departments' shared KPIs or the supporting
// programme, so these are generated: deterministic per organisation, and marked synthetic in the
// data itself (indicator.synthetic and measurement.synthetic) so nobody mistakes them for returns.

export interface SyntheticSeed {
  services: SeedService[];
  indicators: SeedIndicator[];
  measurements: SeedMeasurement[];
  targets: SeedTarget[];
}

export interface SyntheticOptions {
  /**
   * How many services a department reports on (the first four have real service names).
   * @default 4
   */
  serviceCount?: number;
  /**
   * The last month any series reaches; each organisation stops 0-2 months before it, as returns do.
   * @default "2026-09"
   */
  lastMonth?: string;
  /** @default 30 */
  months?: number;
}

function periods(first: Period, count: number): Period[] {
  const list = [first];
  while (list.length < count) list.push(nextPeriod(list.at(-1)!));
  return list;
}

function monthsBack(last: string, count: number): Period[] {
  const end = parsePeriod(last);
  const start = new Date(`${end.start}T00:00:00Z`);
  start.setUTCMonth(start.getUTCMonth() - (count - 1));
  return periods(parsePeriod(start.toISOString().slice(0, 7)), count);
}

function quartersCovering(months: Period[]): Period[] {
  const seen = new Map<string, Period>();
  for (const m of months) {
    const [year, month] = m.start.split('-').map(Number) as [number, number];
    const q = parsePeriod(`${year}-Q${Math.floor((month - 1) / 3) + 1}`);
    // Only whole quarters are reported: not one the series starts part-way through, nor one it ends in.
    if (q.start >= months[0]!.start && q.end <= months.at(-1)!.end) seen.set(q.label, q);
  }
  return [...seen.values()];
}

function indicator(
  partial: Pick<SeedIndicator, 'id' | 'code' | 'name' | 'unit' | 'polarity' | 'frequency'> &
    Partial<SeedIndicator>,
  position: number,
): SeedIndicator {
  return {
    definition: null,
    tolerance: 0.05,
    leadOfficer: null,
    dataOwner: null,
    whyItMatters: null,
    background: null,
    whatSuccessLooksLike: null,
    // No action is being taken on a generated series: the indicator's synthetic flag says what it is.
    actions: null,
    synthetic: true,
    position,
    spcFixAfterPoints: null,
    spcRebasePeriods: null,
    // The GDS and shared-services indicators are the catalogue's, adopted by code.
    standard: standardIndicator(partial.code) ? partial.code : null,
    minValue: null,
    maxValue: null,
    agreementTolerance: null,
    ...partial,
  };
}

/** A rate that drifts, with noise, kept inside [lo, hi]. */
function driftingRate(
  random: () => number,
  start: number,
  driftPerPeriod: number,
  noise: number,
  lo: number,
  hi: number,
) {
  let level = start;
  return () => {
    level += driftPerPeriod;
    return Math.min(hi, Math.max(lo, level + gaussian(random) * noise));
  };
}

function ratioRecord(
  indicatorId: string,
  serviceId: string | null,
  period: Period,
  rate: number,
  denominator: number,
  scale: number,
): SeedMeasurement {
  const numerator = Math.round(rate * denominator);
  return {
    indicatorId,
    serviceId,
    period,
    numerator,
    denominator,
    value: (numerator / denominator) * scale,
    synthetic: true,
  };
}

/** Shared-services KPIs for a delivery cluster: invoices, payroll, cost per employee, NPS. */
export function clusterSeries(entry: RegistryEntry, options: SyntheticOptions = {}): SyntheticSeed {
  const random = seededRandom(entry.id);
  const lag = Math.floor(random() * 3);
  const months = monthsBack(options.lastMonth ?? '2026-09', options.months ?? 30).slice(
    0,
    (options.months ?? 30) - lag,
  );
  const quarters = quartersCovering(months);
  const lead = entry.lead ?? null;
  const serviceIds = ['finance', 'procurement', 'hr', 'payroll'];
  const services: SeedService[] = serviceIds.map((s) => ({
    id: `${entry.id}-${s}`,
    name: `${entry.name} ${s === 'hr' ? 'HR' : s} service`,
    department: lead,
    phase: entry.id === 'defence' || entry.id === 'overseas' ? 'LIVE' : 'BETA',
    link: null,
  }));
  const owner = lead ? `${lead} shared services` : null;
  const indicators = [
    indicator(
      {
        id: 'ss-invoices-paid-5-days',
        code: 'ss-invoices-paid-5-days',
        name: 'Invoices paid within 5 days',
        unit: Unit.PERCENT,
        polarity: Polarity.BIGGER_IS_BETTER,
        frequency: Frequency.MONTHLY,
        dataOwner: owner,
        whyItMatters: 'Prompt payment keeps small suppliers solvent.',
        whatSuccessLooksLike: '90% or more of undisputed invoices paid within 5 working days.',
      },
      0,
    ),
    indicator(
      {
        id: 'ss-payroll-accuracy',
        code: 'ss-payroll-accuracy',
        name: 'Payroll accuracy',
        unit: Unit.PERCENT,
        polarity: Polarity.BIGGER_IS_BETTER,
        frequency: Frequency.MONTHLY,
        dataOwner: owner,
        whyItMatters: 'Every payroll error is a person paid wrongly.',
        whatSuccessLooksLike: '99.5% or more of payslips issued without error.',
      },
      1,
    ),
    indicator(
      {
        id: 'ss-cost-per-employee',
        code: 'ss-cost-per-employee',
        name: 'Back-office cost per employee',
        unit: Unit.CURRENCY,
        polarity: Polarity.SMALLER_IS_BETTER,
        frequency: Frequency.QUARTERLY,
        dataOwner: owner,
        whyItMatters: 'The strategy promises 10-15% operating-cost savings by 2028.',
      },
      2,
    ),
    indicator(
      {
        id: 'ss-net-promoter-score',
        code: 'ss-net-promoter-score',
        name: 'Net Promoter Score',
        unit: Unit.SCORE,
        polarity: Polarity.BIGGER_IS_BETTER,
        frequency: Frequency.QUARTERLY,
        dataOwner: owner,
        whyItMatters: 'The strategy measures satisfaction with every shared service centre by NPS.',
      },
      3,
    ),
  ];
  const invoices = 4000 + Math.round(random() * 30000);
  const employees = 5000 + Math.round(random() * 60000);
  const invoiceRate = driftingRate(
    random,
    0.86 + random() * 0.08,
    (random() - 0.5) * 0.004,
    0.012,
    0.5,
    0.995,
  );
  const payrollRate = driftingRate(
    random,
    0.99 + random() * 0.008,
    (random() - 0.55) * 0.0004,
    0.0012,
    0.95,
    0.9995,
  );
  const cost = driftingRate(random, 900 + random() * 500, (random() - 0.6) * 8, 25, 500, 3000);
  const nps = driftingRate(random, -5 + random() * 35, (random() - 0.45) * 1.5, 4, -100, 100);
  const measurements: SeedMeasurement[] = [];
  // A cluster serves its member departments, so invoices and payroll are reported for each
  // department in membership that month (machinery-of-government changes included); the
  // cluster's own figure is then the ratio of the sums. A cluster without members reports whole.
  const shares = new Map<string, { share: number; offset: number }>();
  for (const period of months) {
    const members = entry.members
      .filter((m) => m.from <= period.end && (m.to === undefined || m.to >= period.start))
      .map((m) => m.department);
    const invoiceLevel = invoiceRate();
    const payrollLevel = payrollRate();
    const invoicesThisMonth = Math.round(invoices * (0.9 + random() * 0.2));
    for (const department of members.length ? [...new Set(members)] : [null]) {
      const key = department ?? '';
      if (!shares.has(key))
        shares.set(key, { share: 0.3 + random(), offset: (random() - 0.5) * 0.04 });
      const { share, offset } = shares.get(key)!;
      const weight = share / (members.length || 1);
      const invoiceRecord = ratioRecord(
        'ss-invoices-paid-5-days',
        null,
        period,
        Math.min(0.999, Math.max(0.3, invoiceLevel + offset)),
        Math.max(50, Math.round(invoicesThisMonth * weight)),
        100,
      );
      const payrollRecord = ratioRecord(
        'ss-payroll-accuracy',
        null,
        period,
        Math.min(0.9999, Math.max(0.9, payrollLevel + offset / 10)),
        Math.max(50, Math.round(employees * weight)),
        100,
      );
      measurements.push({ ...invoiceRecord, department }, { ...payrollRecord, department });
    }
  }
  for (const period of quarters) {
    const perEmployee = cost();
    measurements.push({
      indicatorId: 'ss-cost-per-employee',
      serviceId: null,
      period,
      numerator: Math.round(perEmployee * employees),
      denominator: employees,
      value: Math.round(perEmployee * employees) / employees,
      synthetic: true,
    });
    measurements.push({
      indicatorId: 'ss-net-promoter-score',
      serviceId: null,
      period,
      numerator: null,
      denominator: null,
      value: Math.round(nps()),
      synthetic: true,
    });
  }
  const first = months[0]!;
  const firstQuarter = quarters[0];
  const targets: SeedTarget[] = [
    {
      indicatorId: 'ss-invoices-paid-5-days',
      fromPeriod: first.label,
      fromDate: first.start,
      value: 90,
    },
    {
      indicatorId: 'ss-payroll-accuracy',
      fromPeriod: first.label,
      fromDate: first.start,
      value: 99.5,
    },
    // A run shorter than a whole quarter has no quarterly figures, so no quarterly targets either.
    ...(firstQuarter
      ? [
          {
            indicatorId: 'ss-cost-per-employee',
            fromPeriod: firstQuarter.label,
            fromDate: firstQuarter.start,
            value: 1100,
          },
          {
            indicatorId: 'ss-net-promoter-score',
            fromPeriod: firstQuarter.label,
            fromDate: firstQuarter.start,
            value: 20,
          },
        ]
      : []),
  ];
  return { services, indicators, measurements, targets };
}

const HMRC_SERVICES = [
  {
    slug: 'self-assessment',
    name: 'File your Self Assessment tax return',
    link: 'https://www.gov.uk/log-in-file-self-assessment-tax-return',
  },
  {
    slug: 'vat-returns',
    name: 'Submit a VAT return',
    link: 'https://www.gov.uk/submit-vat-return',
  },
  {
    slug: 'child-benefit',
    name: 'Claim Child Benefit',
    link: 'https://www.gov.uk/child-benefit/how-to-claim',
  },
  {
    slug: 'check-income-tax',
    name: 'Check your Income Tax for the current year',
    link: 'https://www.gov.uk/check-income-tax-current-year',
  },
];

/** The four GDS KPIs for each of a department's transactional services, reported per service. */
export function departmentSeries(
  entry: RegistryEntry,
  options: SyntheticOptions = {},
): SyntheticSeed {
  const random = seededRandom(entry.id);
  const count = options.serviceCount ?? 4;
  const months = monthsBack(options.lastMonth ?? '2026-09', options.months ?? 30);
  const quarters = quartersCovering(months);
  const services: SeedService[] = Array.from({ length: count }, (_, i) => {
    const known = HMRC_SERVICES[i];
    return {
      id: known ? known.slug : `service-${i + 1}`,
      name: known ? known.name : `${entry.name} transactional service ${i + 1}`,
      department: entry.lead ?? null,
      phase: i % 7 === 6 ? 'BETA' : 'LIVE',
      link: known?.link ?? null,
    };
  });
  const gds = (
    id: string,
    name: string,
    unit: Unit,
    polarity: Polarity,
    frequency: Frequency,
    position: number,
    definition: string,
  ) =>
    indicator(
      {
        id,
        code: id,
        name,
        unit,
        polarity,
        frequency,
        definition,
        dataOwner: `${entry.lead ?? entry.name} digital performance`,
        whyItMatters:
          'One of the four KPIs every transactional service reports under the Service Standard.',
      },
      position,
    );
  const indicators = [
    gds(
      'gds-cost-per-transaction',
      'Cost per transaction',
      Unit.CURRENCY,
      Polarity.SMALLER_IS_BETTER,
      Frequency.QUARTERLY,
      0,
      'Total cost of the service over the last 12 months divided by completed transactions in that time.',
    ),
    gds(
      'gds-user-satisfaction',
      'User satisfaction',
      Unit.PERCENT,
      Polarity.BIGGER_IS_BETTER,
      Frequency.MONTHLY,
      1,
      'Share of respondents very satisfied or satisfied.',
    ),
    gds(
      'gds-completion-rate',
      'Completion rate',
      Unit.PERCENT,
      Polarity.BIGGER_IS_BETTER,
      Frequency.MONTHLY,
      2,
      'Completed transactions divided by started transactions.',
    ),
    gds(
      'gds-digital-take-up',
      'Digital take-up',
      Unit.PERCENT,
      Polarity.BIGGER_IS_BETTER,
      Frequency.MONTHLY,
      3,
      'Completed digital transactions divided by all completed transactions.',
    ),
  ];
  const measurements: SeedMeasurement[] = [];
  for (const service of services) {
    const volume = 2000 + Math.round(random() * 200000);
    const satisfaction = driftingRate(
      random,
      0.7 + random() * 0.2,
      (random() - 0.5) * 0.003,
      0.02,
      0.2,
      0.99,
    );
    const completion = driftingRate(
      random,
      0.75 + random() * 0.2,
      (random() - 0.4) * 0.002,
      0.015,
      0.3,
      0.995,
    );
    const takeUp = driftingRate(random, 0.6 + random() * 0.35, random() * 0.003, 0.01, 0.1, 0.995);
    const unitCost = driftingRate(random, 2 + random() * 20, -random() * 0.1, 0.4, 0.5, 80);
    for (const period of months) {
      const started = Math.round(volume * (0.85 + random() * 0.3));
      const completed = Math.round(started * completion());
      measurements.push({
        indicatorId: 'gds-completion-rate',
        serviceId: service.id,
        period,
        numerator: completed,
        denominator: started,
        value: (completed / started) * 100,
        synthetic: true,
      });
      measurements.push(
        ratioRecord(
          'gds-user-satisfaction',
          service.id,
          period,
          satisfaction(),
          Math.max(50, Math.round(completed * 0.02)),
          100,
        ),
      );
      measurements.push(
        ratioRecord('gds-digital-take-up', service.id, period, takeUp(), completed, 100),
      );
    }
    for (const period of quarters) {
      const transactions = volume * 12;
      const total = Math.round(unitCost() * transactions);
      measurements.push({
        indicatorId: 'gds-cost-per-transaction',
        serviceId: service.id,
        period,
        numerator: total,
        denominator: transactions,
        value: total / transactions,
        synthetic: true,
      });
    }
  }
  const first = months[0]!;
  const targets: SeedTarget[] = [
    {
      indicatorId: 'gds-user-satisfaction',
      fromPeriod: first.label,
      fromDate: first.start,
      value: 80,
    },
    {
      indicatorId: 'gds-completion-rate',
      fromPeriod: first.label,
      fromDate: first.start,
      value: 85,
    },
    {
      indicatorId: 'gds-digital-take-up',
      fromPeriod: first.label,
      fromDate: first.start,
      value: 80,
    },
  ];
  return { services, indicators, measurements, targets };
}

/** A supporting programme reports how many platforms and programmes it has connected. */
export function supportingProgrammeSeries(
  entry: RegistryEntry,
  options: SyntheticOptions = {},
): SyntheticSeed {
  const random = seededRandom(entry.id);
  const quarters = quartersCovering(
    monthsBack(options.lastMonth ?? '2026-09', options.months ?? 30),
  ).filter((q) => q.type === PeriodType.QUARTER);
  let connected = 1;
  const measurements = quarters.map((period) => {
    connected += Math.round(random() * 2);
    return {
      indicatorId: 'interfaces-live',
      serviceId: null,
      period,
      numerator: null,
      denominator: null,
      value: connected,
      synthetic: true,
    } satisfies SeedMeasurement;
  });
  return {
    services: [],
    indicators: [
      indicator(
        {
          id: 'interfaces-live',
          code: 'interfaces-live',
          name: 'Programmes interfacing with the five cluster platforms',
          unit: Unit.COUNT,
          polarity: Polarity.BIGGER_IS_BETTER,
          frequency: Frequency.QUARTERLY,
          whyItMatters:
            'The NAO (March 2026) found at least 25 other digital programmes will need to interface with the cluster platforms.',
          whatSuccessLooksLike: 'All 25 interfacing programmes connected.',
        },
        0,
      ),
    ],
    measurements,
    targets: quarters[0]
      ? [
          {
            indicatorId: 'interfaces-live',
            fromPeriod: quarters[0].label,
            fromDate: quarters[0].start,
            value: 25,
          },
        ]
      : [],
  };
}
