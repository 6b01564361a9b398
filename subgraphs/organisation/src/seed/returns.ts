import { seededRandom } from './random.ts';
import type { SeedMeasurement, SeedReturn } from './seed.types.ts';

/** The data set a measurement's return belongs to. */
export const indicatorDataset = (indicatorId: string) => `indicator:${indicatorId}`;

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** One return per indicator and period that has figures, received on the date `receivedOn` gives. */
export function indicatorReturns(
  measurements: readonly SeedMeasurement[],
  receivedOn: (m: SeedMeasurement) => string,
): SeedReturn[] {
  const rows = new Map<string, SeedReturn>();
  for (const m of measurements) {
    const key = `${m.indicatorId}|${m.period.label}`;
    if (!rows.has(key))
      rows.set(key, {
        dataset: indicatorDataset(m.indicatorId),
        period: m.period.label,
        receivedOn: receivedOn(m),
      });
  }
  return [...rows.values()];
}

/**
 * Synthetic receipt dates: most returns arrive 5-25 days after the period ends, about one in six
 * 35-75 days after (late against a 30-day monthly grace). Deterministic per organisation.
 */
export function syntheticReceipt(organisationId: string): (m: SeedMeasurement) => string {
  const random = seededRandom(`${organisationId}:returns`);
  return (m) =>
    addDays(
      m.period.end,
      random() < 0.17 ? 35 + Math.floor(random() * 40) : 5 + Math.floor(random() * 20),
    );
}
