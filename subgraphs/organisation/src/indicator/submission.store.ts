import { eq, sql } from 'drizzle-orm';
import { type Period, type PeriodType, type Principal, type Unit, badInput, parsePeriod, userError } from '@crossgov/schema';
import { authoriseWrite } from '../access.ts';
import type { OrganisationDb } from '../db/client.ts';
import { indicators, measurementDrafts, measurementRevisions, returns, services } from '../db/schema.ts';
import { type Problem, checkMeasurement, describeProblem } from './measurement.rules.ts';
import { upsertMeasurements } from './measurement.store.ts';

/** A measurement as an organisation sends it, naming its indicator by code. */
export interface MeasurementSubmission {
  indicatorCode: string;
  serviceId?: string | null;
  department?: string | null;
  period: string;
  value?: number | null;
  numerator?: number | null;
  denominator?: number | null;
}

/** A broken rule in a submission, with the 1-based row it was found in. */
export interface SubmissionProblem extends Problem {
  row: number;
}

const CHUNK = 1000;

const actorOf = (principal: Principal) => principal.subject ?? principal.organisation ?? 'unknown';

/**
 * Checks every row before anything is written; one invalid row refuses the whole submission and
 * the error lists every problem of every row.
 */
async function validate(db: OrganisationDb, inputs: readonly MeasurementSubmission[]) {
  const [indicatorRows, serviceRows] = await Promise.all([
    db.select({ id: indicators.id, code: indicators.code, unit: indicators.unit }).from(indicators),
    db.select({ id: services.id }).from(services),
  ]);
  const byCode = new Map(indicatorRows.map((row) => [row.code, row]));
  const serviceIds = new Set(serviceRows.map((row) => row.id));
  const problems: SubmissionProblem[] = [];
  const records: { indicatorId: string; serviceId: string | null; department: string | null; period: Period; value: number | null; numerator: number | null; denominator: number | null }[] = [];
  inputs.forEach((input, index) => {
    const row = index + 1;
    const indicator = byCode.get(input.indicatorCode);
    if (!indicator) problems.push({ row, field: 'indicatorCode', value: input.indicatorCode, rule: 'is not an indicator of this organisation' });
    const serviceId = input.serviceId ?? null;
    if (serviceId !== null && !serviceIds.has(serviceId)) problems.push({ row, field: 'serviceId', value: serviceId, rule: 'is not a service of this organisation' });
    if (!indicator) return;
    const checked = checkMeasurement({ ...input, indicatorId: indicator.id }, indicator.unit as Unit);
    if (!checked.ok) {
      problems.push(...checked.problems.map((problem) => ({ row, ...problem })));
      return;
    }
    records.push({
      indicatorId: indicator.id,
      serviceId,
      department: input.department ?? null,
      period: checked.period,
      value: checked.value,
      numerator: input.numerator ?? null,
      denominator: input.denominator ?? null,
    });
  });
  if (problems.length > 0) {
    const rows = new Set(problems.map((p) => p.row)).size;
    const detail = problems.map((p) => `row ${p.row} ${describeProblem(p)}`).join('; ');
    throw userError('BAD_USER_INPUT', `${rows} invalid ${rows === 1 ? 'row' : 'rows'}: ${detail}`, { problems });
  }
  // The same figure twice in one submission: the later row wins, as if sent again.
  const byKey = new Map(records.map((r) => [JSON.stringify([r.indicatorId, r.serviceId, r.department, r.period.label]), r]));
  return [...byKey.values()];
}

/**
 * Stores submitted figures as drafts of this organisation, replacing any draft of the same natural
 * key (indicator, service, department, period), and appends a DRAFT revision for each. Published
 * figures do not change until the period is published. All of it or none: one transaction.
 */
export async function submitMeasurements(
  db: OrganisationDb,
  principal: Principal,
  organisationId: string,
  inputs: readonly MeasurementSubmission[],
): Promise<{ accepted: number }> {
  authoriseWrite(principal, organisationId);
  const records = await validate(db, inputs);
  const actor = actorOf(principal);
  await db.transaction(async (tx) => {
    for (let i = 0; i < records.length; i += CHUNK) {
      const chunk = records.slice(i, i + CHUNK);
      await tx
        .insert(measurementDrafts)
        .values(
          chunk.map((r) => ({
            indicatorId: r.indicatorId,
            serviceId: r.serviceId,
            department: r.department,
            period: r.period.label,
            periodType: r.period.type,
            periodStart: r.period.start,
            periodEnd: r.period.end,
            value: r.value,
            numerator: r.numerator,
            denominator: r.denominator,
            submittedBy: actor,
          })),
        )
        .onConflictDoUpdate({
          target: [measurementDrafts.indicatorId, measurementDrafts.serviceId, measurementDrafts.department, measurementDrafts.period],
          set: {
            value: sql`excluded.value`,
            numerator: sql`excluded.numerator`,
            denominator: sql`excluded.denominator`,
            submittedBy: sql`excluded.submitted_by`,
            submittedAt: sql`now()`,
          },
        });
      await tx.insert(measurementRevisions).values(
        chunk.map((r) => ({
          indicatorId: r.indicatorId,
          serviceId: r.serviceId,
          department: r.department,
          period: r.period.label,
          value: r.value,
          numerator: r.numerator,
          denominator: r.denominator,
          status: 'DRAFT',
          actor,
        })),
      );
    }
  });
  return { accepted: records.length };
}

/**
 * Publishes every draft of one period: each replaces the published figure of its natural key,
 * gets a PUBLISHED revision, and leaves the drafts; the period's return is recorded as received
 * today for each indicator published. One transaction.
 */
export async function publishPeriod(
  db: OrganisationDb,
  principal: Principal,
  organisationId: string,
  label: string,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<{ published: number }> {
  authoriseWrite(principal, organisationId);
  let period: Period;
  try {
    period = parsePeriod(label);
  } catch (error) {
    throw badInput('period', label, (error as Error).message);
  }
  const actor = actorOf(principal);
  return db.transaction(async (tx) => {
    const drafts = await tx.delete(measurementDrafts).where(eq(measurementDrafts.period, period.label)).returning();
    if (drafts.length === 0) return { published: 0 };
    await upsertMeasurements(
      tx,
      drafts.map((d) => ({
        indicatorId: d.indicatorId,
        serviceId: d.serviceId,
        department: d.department,
        period: { label: d.period, type: d.periodType as PeriodType, start: d.periodStart, end: d.periodEnd },
        value: d.value,
        numerator: d.numerator,
        denominator: d.denominator,
        synthetic: false,
      })),
    );
    for (let i = 0; i < drafts.length; i += CHUNK) {
      await tx.insert(measurementRevisions).values(
        drafts.slice(i, i + CHUNK).map((d) => ({
          indicatorId: d.indicatorId,
          serviceId: d.serviceId,
          department: d.department,
          period: d.period,
          value: d.value,
          numerator: d.numerator,
          denominator: d.denominator,
          status: 'PUBLISHED',
          actor,
        })),
      );
    }
    const datasets = [...new Set(drafts.map((d) => `indicator:${d.indicatorId}`))];
    await tx
      .insert(returns)
      .values(datasets.map((dataset) => ({ dataset, period: period.label, receivedOn: today })))
      .onConflictDoNothing();
    return { published: drafts.length };
  });
}
