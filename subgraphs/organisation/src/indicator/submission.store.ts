import { and, eq, sql } from 'drizzle-orm';
import {
  DatePrecision,
  type Frequency,
  type Period,
  type PeriodType,
  type RegistryEntry,
  Unit,
  parsePeriod,
  parsePreciseDate,
  parsedOrBadInput,
  valueRule,
} from '@crossgov/schema';
import { type Principal } from '@crossgov/schema/auth';
import { authoriseWrite } from '../access.ts';
import type { OrganisationDb } from '../db/client.ts';
import { BULK_CHUNK, numberArray, textArray } from '../db/arrays.ts';
import { indicators, measurementDrafts, services } from '../db/schema.ts';
import type { SubmissionProblem } from '../problems.ts';
import { INSERT_CHUNK, actorOf, caller, writeWhole } from '../writes.ts';
import type { PendingIndicator } from './definition.store.ts';
import { checkMeasurement, periodRule } from './measurement.rules.ts';
import { upsertMeasurements } from './measurement.store.ts';

export type { SubmissionProblem } from '../problems.ts';

/** A measurement as an organisation sends it, naming its indicator by code. */
export interface MeasurementSubmission {
  /** The organisation it is for, in a publisher's import of several; absent means the one being written. */
  organisation?: string | null;
  indicatorCode: string;
  serviceId?: string | null;
  department?: string | null;
  period: string;
  value?: number | null;
  numerator?: number | null;
  denominator?: number | null;
  /** The day it was published, for a data set of several dated publications of the same figures (src/sources). */
  publishedOn?: string;
  /** The row to name in problems (a file's line number); the 1-based position when absent. */
  row?: number;
}

/** A submission that passed every rule, ready to write. */
export interface CheckedMeasurement {
  organisationId: string;
  indicatorId: string;
  serviceId: string | null;
  department: string | null;
  period: Period;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** The day this value was published, when the submission dates its publications; null otherwise (published when written). */
  publishedOn: string | null;
}

/** A transaction, or the database itself. */
export type Executor = Pick<OrganisationDb, 'insert' | 'select' | 'delete' | 'execute'>;

/**
 * Which departments may report for this organisation: a cluster's member departments, each within
 * its membership; an organisation without members reports for itself only.
 */
function checkDepartment(
  organisation: RegistryEntry,
  department: string | null,
  period: Period,
): string | null {
  if (department === null) return null;
  if (organisation.members.length === 0)
    return `is for clusters reporting per member department; ${organisation.id} has no member departments`;
  const spans = organisation.members.filter((m) => m.department === department);
  if (spans.length === 0)
    return `is not a member department of ${organisation.id} (members: ${[...new Set(organisation.members.map((m) => m.department))].join(', ')})`;
  const inMembership = spans.some(
    (m) => m.from <= period.end && (m.to === undefined || m.to >= period.start),
  );
  return inMembership
    ? null
    : `was not a member department of ${organisation.id} during ${period.label}`;
}

/**
 * Checks every row against the rules every write path shares (mutation, CSV and JSON import) and
 * returns what is valid and every problem found; the caller refuses the whole submission if any.
 * The same figure twice in one submission (indicator, period, service and department) is refused:
 * which of the two was meant cannot be told.
 */
export async function validateMeasurements(
  db: Executor,
  organisation: RegistryEntry,
  inputs: readonly MeasurementSubmission[],
  today: string,
  /** Indicators the same submission defines, not written yet. */
  pending: readonly PendingIndicator[] = [],
  /** Services the same submission defines, not written yet. */
  pendingServices: ReadonlySet<string> = new Set(),
): Promise<{ records: CheckedMeasurement[]; problems: SubmissionProblem[] }> {
  const [indicatorRows, serviceRows] = await Promise.all([
    db
      .select({
        id: indicators.id,
        code: indicators.code,
        unit: indicators.unit,
        frequency: indicators.frequency,
        minValue: indicators.minValue,
        maxValue: indicators.maxValue,
        agreementTolerance: indicators.agreementTolerance,
      })
      .from(indicators)
      .where(eq(indicators.organisationId, organisation.id)),
    db
      .select({ id: services.id })
      .from(services)
      .where(eq(services.organisationId, organisation.id)),
  ]);
  const byCode = new Map([...indicatorRows, ...pending].map((row) => [row.code, row]));
  const serviceIds = new Set([...serviceRows.map((row) => row.id), ...pendingServices]);
  const problems: SubmissionProblem[] = [];
  const byKey = new Map<string, CheckedMeasurement>();
  const rowOfKey = new Map<string, number>();
  inputs.forEach((input, index) => {
    const row = input.row ?? index + 1;
    const context = `indicator ${input.indicatorCode}, period ${input.period}`;
    const indicator = byCode.get(input.indicatorCode);
    if (!indicator)
      problems.push({
        row,
        context,
        field: 'indicatorCode',
        value: input.indicatorCode,
        rule: `is not an indicator of ${organisation.id}`,
      });
    const serviceId = input.serviceId ?? null;
    if (serviceId !== null && !serviceIds.has(serviceId))
      problems.push({
        row,
        context,
        field: 'serviceId',
        value: serviceId,
        rule: `is not a service of ${organisation.id}`,
      });
    if (!indicator) return;
    const checked = checkMeasurement(
      { ...input, indicatorId: indicator.id },
      indicator.unit as Unit,
      indicator,
    );
    if (!checked.ok) {
      problems.push(...checked.problems.map((problem) => ({ row, context, ...problem })));
      return;
    }
    const cadence = periodRule(checked.period, indicator.frequency as Frequency, today);
    if (cadence) {
      problems.push({ row, context, field: 'period', value: input.period, rule: cadence });
      return;
    }
    const department = input.department ?? null;
    const departmentRule = checkDepartment(organisation, department, checked.period);
    if (departmentRule) {
      problems.push({ row, context, field: 'department', value: department, rule: departmentRule });
      return;
    }
    const publishedOn = input.publishedOn ?? null;
    const publicationRule =
      publishedOn === null ? null : publishedOnRule(publishedOn, checked.period, today);
    if (publicationRule) {
      problems.push({
        row,
        context,
        field: 'publishedOn',
        value: publishedOn,
        rule: publicationRule,
      });
      return;
    }
    const record: CheckedMeasurement = {
      organisationId: organisation.id,
      indicatorId: indicator.id,
      serviceId,
      department,
      period: checked.period,
      value: checked.value,
      numerator: input.numerator ?? null,
      denominator: input.denominator ?? null,
      publishedOn,
    };
    // A dated publication may give the same figure again (a revision): one per figure and day.
    const key = JSON.stringify([
      record.indicatorId,
      record.serviceId,
      record.department,
      record.period.label,
      publishedOn,
    ]);
    const earlier = rowOfKey.get(key);
    if (earlier !== undefined) {
      const breakdown =
        serviceId !== null
          ? `service ${serviceId}`
          : department !== null
            ? `department ${department}`
            : 'the whole organisation';
      const when = publishedOn === null ? 'in one submission' : `published on ${publishedOn}`;
      problems.push({
        row,
        context,
        field: 'period',
        value: input.period,
        rule: `repeats row ${earlier}: the same indicator, period and breakdown (${breakdown}) twice ${when}; send each figure once`,
      });
      return;
    }
    rowOfKey.set(key, row);
    byKey.set(key, record);
  });
  const records = [...byKey.values()];
  problems.push(...aggregateProblems(latestOf(records), byCode, rowOfKey));
  return { records, problems };
}

/** The rule a publication day breaks, or null: a day, not before the period began, not after today. */
function publishedOnRule(day: string, period: Period, today: string): string | null {
  if (!isCalendarDay(day)) return 'must be a calendar day written YYYY-MM-DD';
  if (day > today)
    return `is after today (${today}): a figure cannot have been published on a day still to come`;
  if (day <= period.start)
    return `is not after the period began (${period.start}): a figure is published once its period is over`;
  return null;
}

/** Whether text is a real calendar day written YYYY-MM-DD (the date rules every path shares, schema/src/dates.ts). */
function isCalendarDay(text: string): boolean {
  try {
    return parsePreciseDate(text).precision === DatePrecision.DAY;
  } catch {
    return false;
  }
}

const naturalKey = (r: CheckedMeasurement) =>
  JSON.stringify([r.organisationId, r.indicatorId, r.serviceId, r.department, r.period.label]);

/**
 * Each figure's latest publication: what the figure is now. A submission that dates no publication
 * (every one but a published data set's) is its own latest, given back as it is, so the usual import
 * pays nothing for the rule.
 */
export function latestOf(records: readonly CheckedMeasurement[]): readonly CheckedMeasurement[] {
  if (!records.some((r) => r.publishedOn !== null)) return records;
  const latest = new Map<string, CheckedMeasurement>();
  for (const r of records) {
    const key = naturalKey(r);
    const other = latest.get(key);
    if (!other || (r.publishedOn ?? '') >= (other.publishedOn ?? '')) latest.set(key, r);
  }
  return [...latest.values()];
}

/**
 * The organisation-wide figure a submission's own service or department rows make for a period
 * (a ratio of sums, or a sum of counts; docs/domain.md, "Measurements") must obey the value rules
 * too: it is what every reader computes and compares. A ratio of sums lies between its parts'
 * ratios, so it only breaks a rule a sum of counts can (a total past a count's maximum); the check
 * is over the rows of this submission, in memory.
 */
function aggregateProblems(
  records: readonly CheckedMeasurement[],
  indicatorsByCode: ReadonlyMap<
    string,
    { id: string; code: string; unit: string; minValue?: number | null; maxValue?: number | null }
  >,
  rowOfKey: ReadonlyMap<string, number>,
): SubmissionProblem[] {
  const byId = new Map(
    [...indicatorsByCode.values()].map((indicator) => [indicator.id, indicator]),
  );
  const groups = new Map<string, CheckedMeasurement[]>();
  for (const record of records) {
    const key = JSON.stringify([record.indicatorId, record.period.label]);
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const problems: SubmissionProblem[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const indicator = byId.get(first.indicatorId);
    // The organisation's own row wins over its parts, and one row stands for itself.
    if (
      !indicator ||
      group.length < 2 ||
      group.some((r) => r.serviceId === null && r.department === null)
    )
      continue;
    let value: number | null = null;
    let how = '';
    if (group.every((r) => r.numerator !== null && r.denominator !== null)) {
      const numerator = group.reduce((sum, r) => sum + r.numerator!, 0);
      const denominator = group.reduce((sum, r) => sum + r.denominator!, 0);
      value = (numerator / denominator) * (indicator.unit === Unit.PERCENT ? 100 : 1);
      how = `ratio of sums ${numerator} / ${denominator} over ${group.length} rows`;
    } else if (indicator.unit === Unit.COUNT && group.every((r) => r.value !== null)) {
      value = group.reduce((sum, r) => sum + r.value!, 0);
      how = `sum of ${group.length} rows`;
    }
    const rule = value === null ? null : valueRule(value, indicator.unit, indicator, false);
    if (value === null || !rule) continue;
    const last = group.at(-1)!;
    const row =
      rowOfKey.get(
        JSON.stringify([
          last.indicatorId,
          last.serviceId,
          last.department,
          last.period.label,
          last.publishedOn,
        ]),
      ) ?? 1;
    problems.push({
      row,
      context: `indicator ${indicator.code}, period ${first.period.label}`,
      field: 'value',
      value,
      rule: `(the organisation-wide figure: ${how}) ${rule}`,
    });
  }
  return problems;
}

/** Called after each chunk is written, with the rows written so far (progress; tests inject failures here). */
export type OnWritten = (written: number, total: number) => void | Promise<void>;

/**
 * Stores checked figures as drafts, replacing drafts of the same natural key, with a DRAFT revision
 * each. Run it inside a transaction.
 */
export async function writeDrafts(
  tx: Executor,
  actor: string,
  records: readonly CheckedMeasurement[],
  onWritten?: OnWritten,
): Promise<void> {
  for (let i = 0; i < records.length; i += INSERT_CHUNK) {
    const chunk = records.slice(i, i + INSERT_CHUNK);
    await tx
      .insert(measurementDrafts)
      .values(
        chunk.map((r) => ({
          organisationId: r.organisationId,
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
        target: [
          measurementDrafts.organisationId,
          measurementDrafts.indicatorId,
          measurementDrafts.serviceId,
          measurementDrafts.department,
          measurementDrafts.period,
        ],
        set: {
          value: sql`excluded.value`,
          numerator: sql`excluded.numerator`,
          denominator: sql`excluded.denominator`,
          submittedBy: sql`excluded.submitted_by`,
          submittedAt: sql`now()`,
        },
      });
    await appendRevisions(tx, chunk, 'DRAFT', actor);
    await onWritten?.(Math.min(i + INSERT_CHUNK, records.length), records.length);
  }
}

/**
 * Appends one revision per figure, in one statement per chunk. A dated publication's revision is
 * dated by it, so the history reads as the publisher published; any other is dated now.
 */
async function appendRevisions(
  tx: Executor,
  records: readonly CheckedMeasurement[],
  status: 'DRAFT' | 'PUBLISHED',
  actor: string,
): Promise<void> {
  for (let i = 0; i < records.length; i += BULK_CHUNK) {
    const chunk = records.slice(i, i + BULK_CHUNK);
    const text = (pick: (r: CheckedMeasurement) => string | null) => textArray(chunk.map(pick));
    const number = (pick: (r: CheckedMeasurement) => number | null) => numberArray(chunk.map(pick));
    await tx.execute(sql`
      INSERT INTO measurement_revisions (organisation_id, indicator_id, service_id, department, period, value, numerator, denominator, status, actor, at)
      SELECT r.organisation_id, r.indicator_id, r.service_id, r.department, r.period, r.value, r.numerator, r.denominator, ${status}, ${actor}, coalesce(r.published_on::timestamptz, now())
      FROM unnest(${text((r) => r.organisationId)}::text[], ${text((r) => r.indicatorId)}::text[], ${text((r) => r.serviceId)}::text[], ${text((r) => r.department)}::text[],
        ${text((r) => r.period.label)}::text[], ${number((r) => r.value)}::float8[], ${number((r) => r.numerator)}::float8[], ${number((r) => r.denominator)}::float8[],
        ${text((r) => (r.publishedOn === null ? null : `${r.publishedOn}T00:00:00Z`))}::text[])
        AS r(organisation_id, indicator_id, service_id, department, period, value, numerator, denominator, published_on)`);
  }
}

/**
 * Makes checked figures public: each replaces the published figure of its natural key and gets a
 * PUBLISHED revision; each indicator's return for each period is recorded as received on `today`.
 * Run it inside a transaction.
 */
export async function writePublished(
  tx: Executor,
  actor: string,
  records: readonly CheckedMeasurement[],
  today: string,
  onWritten?: OnWritten,
): Promise<void> {
  // Several dated publications of one figure: the latest is the figure, and each is a revision dated by its publication.
  const current = latestOf(records);
  const total = current.length + (current === records ? 0 : records.length);
  for (let i = 0; i < current.length; i += BULK_CHUNK) {
    const chunk = current.slice(i, i + BULK_CHUNK);
    await upsertMeasurements(
      tx,
      chunk.map((r) => ({ ...r, synthetic: false })),
    );
    if (current === records) await appendRevisions(tx, chunk, 'PUBLISHED', actor);
    await onWritten?.(Math.min(i + BULK_CHUNK, current.length), total);
  }
  if (current !== records) {
    for (let i = 0; i < records.length; i += BULK_CHUNK) {
      await appendRevisions(tx, records.slice(i, i + BULK_CHUNK), 'PUBLISHED', actor);
      await onWritten?.(current.length + Math.min(i + BULK_CHUNK, records.length), total);
    }
  }
  // A period's return arrived with its first publication.
  const received = new Map<
    string,
    { organisationId: string; dataset: string; period: string; receivedOn: string }
  >();
  for (const r of records) {
    const key = `${r.organisationId}\u0000${r.indicatorId}\u0000${r.period.label}`;
    const on = r.publishedOn ?? today;
    const other = received.get(key);
    if (!other || on < other.receivedOn)
      received.set(key, {
        organisationId: r.organisationId,
        dataset: `indicator:${r.indicatorId}`,
        period: r.period.label,
        receivedOn: on,
      });
  }
  const values = [...received.values()];
  for (let i = 0; i < values.length; i += BULK_CHUNK) {
    const chunk = values.slice(i, i + BULK_CHUNK);
    const text = (pick: (r: (typeof values)[number]) => string) => textArray(chunk.map(pick));
    await tx.execute(sql`
      INSERT INTO returns (organisation_id, dataset, period, received_on)
      SELECT * FROM unnest(${text((r) => r.organisationId)}::text[], ${text((r) => r.dataset)}::text[], ${text((r) => r.period)}::text[], ${text((r) => r.receivedOn)}::date[])
      ON CONFLICT DO NOTHING`);
  }
}

/**
 * Drops drafts that a published import has overtaken, so publishing their period later cannot put
 * an older figure back. They stay in the history as the DRAFT revisions they were.
 */
export async function discardDrafts(
  tx: Executor,
  records: readonly CheckedMeasurement[],
): Promise<void> {
  const [any] = await tx
    .select({ period: measurementDrafts.period })
    .from(measurementDrafts)
    .limit(1);
  if (!any) return;
  for (let i = 0; i < records.length; i += INSERT_CHUNK) {
    const chunk = records.slice(i, i + INSERT_CHUNK);
    const column = (pick: (r: CheckedMeasurement) => string | null) =>
      sql`${textArray(chunk.map(pick))}::text[]`;
    await tx.execute(sql`
      DELETE FROM measurement_drafts d
      USING unnest(${column((r) => r.organisationId)}, ${column((r) => r.indicatorId)}, ${column((r) => r.serviceId)}, ${column((r) => r.department)}, ${column((r) => r.period.label)})
        AS k(organisation_id, indicator_id, service_id, department, period)
      WHERE d.organisation_id = k.organisation_id AND d.indicator_id = k.indicator_id AND d.service_id IS NOT DISTINCT FROM k.service_id
        AND d.department IS NOT DISTINCT FROM k.department AND d.period = k.period`);
  }
}

/**
 * Stores submitted figures as drafts of this organisation, replacing any draft of the same natural
 * key (indicator, service, department, period), and appends a DRAFT revision for each. Published
 * figures do not change until the period is published. All of it or none: one transaction.
 */
export function submitMeasurements(
  db: OrganisationDb,
  principal: Principal,
  organisation: RegistryEntry,
  inputs: readonly MeasurementSubmission[],
  today: string,
): Promise<{ accepted: number }> {
  return writeWhole(
    db,
    caller(principal, organisation),
    () => validateMeasurements(db, organisation, inputs, today),
    writeDrafts,
  );
}

/**
 * Publishes every draft of one period: each replaces the published figure of its natural key,
 * gets a PUBLISHED revision, and leaves the drafts; the period's return is recorded as received
 * today for each indicator published. One transaction.
 */
export async function publishPeriod(
  db: OrganisationDb,
  principal: Principal,
  organisation: RegistryEntry,
  label: string,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<{ published: number }> {
  authoriseWrite(principal, organisation);
  const period = parsedOrBadInput('period', label, parsePeriod);
  return db.transaction(async (tx) => {
    const drafts = await tx
      .delete(measurementDrafts)
      .where(
        and(
          eq(measurementDrafts.organisationId, organisation.id),
          eq(measurementDrafts.period, period.label),
        ),
      )
      .returning();
    if (drafts.length === 0) return { published: 0 };
    const records = drafts.map((d) => ({
      organisationId: d.organisationId,
      indicatorId: d.indicatorId,
      serviceId: d.serviceId,
      department: d.department,
      period: {
        label: d.period,
        type: d.periodType as PeriodType,
        start: d.periodStart,
        end: d.periodEnd,
      },
      value: d.value,
      numerator: d.numerator,
      denominator: d.denominator,
      publishedOn: null,
    }));
    await writePublished(tx, actorOf(principal), records, today);
    return { published: drafts.length };
  });
}
