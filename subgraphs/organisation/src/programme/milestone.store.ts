import { desc, eq, sql } from 'drizzle-orm';
import { DatePrecision, badInput, parsePreciseDate } from '@crossgov/schema';
import type { OrganisationDb } from '../db/client.ts';
import { milestoneForecasts, milestones, returns } from '../db/schema.ts';

export interface MilestoneForecastInput {
  milestoneId: string;
  /** ISO date of the return that gives this forecast. */
  returnDate: string;
  /** The forecast at its precision: 2026-03-15, 2026-03, 2026-Q1 or 2026. */
  forecast: string;
  note?: string | null;
}

function parseOrRefuse(field: string, value: string, day = false) {
  try {
    const parsed = parsePreciseDate(value);
    if (day && parsed.precision !== DatePrecision.DAY) throw new RangeError('must be a full date (YYYY-MM-DD)');
    return parsed;
  } catch (error) {
    throw badInput(field, value, (error as Error).message);
  }
}

/**
 * Records the forecast one return gives for a milestone, as a new snapshot: earlier snapshots stay
 * as they were, and the milestone's current forecast becomes the one of its latest return. Sending
 * the same return again replaces that return's snapshot (its natural key is milestone and return
 * date), never adds a second. One transaction: all of it or none.
 */
export async function recordMilestoneForecast(db: OrganisationDb, input: MilestoneForecastInput): Promise<void> {
  const returned = parseOrRefuse('returnDate', input.returnDate, true);
  const forecast = parseOrRefuse('forecast', input.forecast);
  await db.transaction(async (tx) => {
    const [milestone] = await tx.select({ id: milestones.id }).from(milestones).where(eq(milestones.id, input.milestoneId));
    if (!milestone) throw badInput('milestoneId', input.milestoneId, 'is not a milestone of this organisation');
    await tx
      .insert(milestoneForecasts)
      .values({ milestoneId: input.milestoneId, returnDate: returned.date, forecastDate: forecast.date, forecastPrecision: forecast.precision, note: input.note ?? null })
      .onConflictDoUpdate({
        target: [milestoneForecasts.milestoneId, milestoneForecasts.returnDate],
        set: { forecastDate: forecast.date, forecastPrecision: forecast.precision, note: input.note ?? null, recordedAt: sql`now()` },
      });
    const [latest] = await tx
      .select()
      .from(milestoneForecasts)
      .where(eq(milestoneForecasts.milestoneId, input.milestoneId))
      .orderBy(desc(milestoneForecasts.returnDate))
      .limit(1);
    await tx.update(milestones).set({ forecastDate: latest!.forecastDate, forecastPrecision: latest!.forecastPrecision }).where(eq(milestones.id, input.milestoneId));
    const [year, month] = returned.date.split('-').map(Number) as [number, number];
    await tx
      .insert(returns)
      .values({ dataset: 'milestones', period: `${year}-Q${Math.floor((month - 1) / 3) + 1}`, receivedOn: returned.date })
      .onConflictDoNothing();
  });
}
