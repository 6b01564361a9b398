import { sql } from 'drizzle-orm';
import type { Period } from '@crossgov/schema';
import { BULK_CHUNK, booleanArray, numberArray, textArray } from '../db/arrays.ts';
import type { OrganisationDb } from '../db/client.ts';

export interface MeasurementRecord {
  organisationId: string;
  indicatorId: string;
  serviceId: string | null;
  /** A member department's figure (clusters); absent or null for the whole organisation or a service. */
  department?: string | null;
  period: Period;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  synthetic: boolean;
}

type Executor = Pick<OrganisationDb, 'execute'>;

/**
 * Writes measurements by their natural key (organisation, indicator, service, department, period): sending a record again
 * replaces it, never double counts; one sent again unchanged is left alone. Call inside a transaction so a batch lands whole or not at all.
 */
export async function upsertMeasurements(
  db: Executor,
  records: readonly MeasurementRecord[],
): Promise<void> {
  for (let i = 0; i < records.length; i += BULK_CHUNK) {
    const chunk = records.slice(i, i + BULK_CHUNK);
    const text = (pick: (r: MeasurementRecord) => string | null) => textArray(chunk.map(pick));
    const number = (pick: (r: MeasurementRecord) => number | null) => numberArray(chunk.map(pick));
    await db.execute(sql`
      INSERT INTO measurements (organisation_id, indicator_id, service_id, department, period, period_type, period_start, period_end, value, numerator, denominator, synthetic)
      SELECT * FROM unnest(
        ${text((r) => r.organisationId)}::text[], ${text((r) => r.indicatorId)}::text[], ${text((r) => r.serviceId)}::text[], ${text((r) => r.department ?? null)}::text[],
        ${text((r) => r.period.label)}::text[], ${text((r) => r.period.type)}::text[], ${text((r) => r.period.start)}::date[], ${text((r) => r.period.end)}::date[],
        ${number((r) => r.value)}::float8[], ${number((r) => r.numerator)}::float8[], ${number((r) => r.denominator)}::float8[], ${booleanArray(chunk.map((r) => r.synthetic))}::boolean[])
      ON CONFLICT (organisation_id, indicator_id, service_id, department, period) DO UPDATE SET
        value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator, synthetic = excluded.synthetic, updated_at = now()
      -- A figure sent again unchanged stays as it was, so updated_at marks real changes only
      -- (incremental refresh reads it) and re-importing a file leaves the table byte for byte.
      WHERE (measurements.value, measurements.numerator, measurements.denominator, measurements.synthetic)
        IS DISTINCT FROM (excluded.value, excluded.numerator, excluded.denominator, excluded.synthetic)`);
  }
}
