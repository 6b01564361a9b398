import { sql } from 'drizzle-orm';
import type { Period } from '@crossgov/schema';
import type { OrganisationDb } from '../db/client.ts';
import { measurements } from '../db/schema.ts';

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

type Executor = Pick<OrganisationDb, 'insert'>;

const CHUNK = 1000;

/**
 * Writes measurements by their natural key (organisation, indicator, service, department, period): sending a record again
 * replaces it, never double counts; one sent again unchanged is left alone. Call inside a transaction so a batch lands whole or not at all.
 */
export async function upsertMeasurements(db: Executor, records: readonly MeasurementRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += CHUNK) {
    const chunk = records.slice(i, i + CHUNK).map((r) => ({
      organisationId: r.organisationId,
      indicatorId: r.indicatorId,
      serviceId: r.serviceId,
      department: r.department ?? null,
      period: r.period.label,
      periodType: r.period.type,
      periodStart: r.period.start,
      periodEnd: r.period.end,
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      synthetic: r.synthetic,
    }));
    await db
      .insert(measurements)
      .values(chunk)
      .onConflictDoUpdate({
        target: [measurements.organisationId, measurements.indicatorId, measurements.serviceId, measurements.department, measurements.period],
        set: {
          value: sql`excluded.value`,
          numerator: sql`excluded.numerator`,
          denominator: sql`excluded.denominator`,
          synthetic: sql`excluded.synthetic`,
          updatedAt: sql`now()`,
        },
        // A figure sent again unchanged stays as it was, so `updatedAt` marks real changes only
        // (incremental refresh reads it) and re-importing a file leaves the table byte for byte.
        setWhere: sql`(${measurements.value}, ${measurements.numerator}, ${measurements.denominator}, ${measurements.synthetic})
          IS DISTINCT FROM (excluded.value, excluded.numerator, excluded.denominator, excluded.synthetic)`,
      });
  }
}
