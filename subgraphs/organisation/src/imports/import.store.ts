import { and, eq, inArray } from 'drizzle-orm';
import { Polarity, type RegistryEntry, Unit } from '@crossgov/schema';
import { recordImportRows } from '@crossgov/schema/server';
import { type Principal } from '@crossgov/schema/auth';
import { authoriseWrite } from '../access.ts';
import type { OrganisationDb } from '../db/client.ts';
import { imports, indicators } from '../db/schema.ts';
import {
  type CheckedDefinition,
  type PendingIndicator,
  pendingOf,
  validateDefinitions,
  writeDefinitions,
} from '../indicator/definition.store.ts';
import {
  type CheckedMeasurement,
  type Executor,
  discardDrafts,
  validateMeasurements,
  writeDrafts,
  writePublished,
} from '../indicator/submission.store.ts';
import { type CheckedTarget, validateTargets, writeTargets } from '../indicator/target.store.ts';
import {
  type CheckedConfidenceAssessment,
  validateConfidenceAssessments,
  writeConfidenceAssessments,
} from '../programme/confidence.store.ts';
import {
  type CheckedMilestoneReturn,
  validateMilestoneReturns,
  writeMilestoneReturns,
} from '../programme/milestone.store.ts';
import {
  type CheckedMilestone,
  type CheckedProgramme,
  type CheckedProgrammeReturn,
  validateMilestones,
  validateProgrammeReturns,
  validateProgrammes,
  writeMilestones,
  writeProgrammeReturns,
  writeProgrammes,
} from '../programme/programme.store.ts';
import {
  type CheckedService,
  validateServices,
  writeServices,
} from '../organisation/service.store.ts';
import { type SubmissionProblem, refuse } from '../problems.ts';
import { actorOf } from '../writes.ts';
import { publisherOfImportId, newImportId } from './import.claim.ts';
import { cancelled } from './import.upload.ts';
import type { ImportBatch, ImportedMeasurement, Section } from './import.parse.ts';

export interface ImportOptions {
  /** Publish the file's figures at once instead of storing them as drafts. @default false */
  publish?: boolean;
  /** The date published returns are received on. */
  today: string;
  onProgress?: (progress: ImportProgress) => void | Promise<void>;
  /**
   * The import's id, recorded with what it wrote in `imports`, in its own transaction.
   * @default a new id for the file's publisher
   */
  importId?: string;
  /** Aborted when the caller goes away: checked between steps and chunks, and last just before commit, so nothing is committed for nobody. */
  signal?: AbortSignal;
  /** Problems listed in a refusal. @default {@link DEFAULT_MAX_PROBLEMS} */
  maxProblems?: number;
  /** Names a problem's row as its file and line, for a batch read from several files (src/sources). */
  locate?: (problem: SubmissionProblem) => SubmissionProblem;
  /** Added to the result, and recorded with it: a published data set's report (src/sources). */
  report?: Record<string, unknown>;
  /** Runs inside the transaction just before it commits (the route confirms the import still holds its claim); throwing rolls back. */
  beforeCommit?: (tx: Executor) => Promise<void>;
}

export interface ImportProgress {
  phase: 'validating' | 'writing' | 'committing';
  done: number;
  total: number;
}

/**
 * Whose data a file is: one organisation's (its own import; a row naming another is refused), or
 * a publisher's (every row names one of the organisations it serves).
 */
export type ImportScope = RegistryEntry | { serves: readonly RegistryEntry[] };

/** What an import wrote. */
export interface ImportResult {
  /** The organisation of a single organisation's import; null for a publisher's. */
  organisation: string | null;
  /** Every organisation the file wrote for. */
  organisations: string[];
  format: ImportBatch['format'];
  published: boolean;
  rows: number;
  /** Indicators defined or changed (an unchanged definition sent again counts, and writes nothing). */
  indicators: number;
  measurements: number;
  targets: number;
  milestoneReturns: number;
  confidenceAssessments: number;
  /** Defined by a published data set's adapter (src/sources): 0 for a CSV or JSON file. */
  services: number;
  programmes: number;
  milestones: number;
  programmeReturns: number;
}

/** Sections only a published data set's adapter fills (src/sources). */
type AdapterSection = 'services' | 'programmes' | 'milestones' | 'programmeReturns';
type AnySection = Section | AdapterSection;

const UNIT_WORDS: Record<string, Unit> = Object.fromEntries(
  Object.values(Unit).flatMap((unit) => [[unit.toLowerCase(), unit]]),
);

/**
 * What a file says about an indicator (its unit, its polarity) must match the indicator's
 * definition here: a mismatch usually means the file is for another organisation's indicator of
 * the same code, or the wrong column.
 */
async function checkDeclarations(
  db: Executor,
  organisationId: string,
  measurements: readonly ImportedMeasurement[],
  pending: readonly PendingIndicator[],
): Promise<SubmissionProblem[]> {
  if (!measurements.some((m) => m.declaredUnit !== undefined || m.declaredPolarity !== undefined))
    return [];
  const rows = await db
    .select({ code: indicators.code, unit: indicators.unit, polarity: indicators.polarity })
    .from(indicators)
    .where(
      and(
        eq(indicators.organisationId, organisationId),
        inArray(indicators.code, [...new Set(measurements.map((m) => m.indicatorCode))]),
      ),
    );
  const byCode = new Map([...rows, ...pending].map((row) => [row.code, row]));
  const problems: SubmissionProblem[] = [];
  for (const m of measurements) {
    const indicator = byCode.get(m.indicatorCode);
    if (!indicator) continue; // validateMeasurements names the unknown code
    const context = `indicator ${m.indicatorCode}, period ${m.period}`;
    if (m.declaredUnit !== undefined) {
      const unit = UNIT_WORDS[m.declaredUnit.toLowerCase()];
      if (!unit)
        problems.push({
          row: m.row,
          context,
          field: 'unit',
          value: m.declaredUnit,
          rule: `must be one of ${Object.keys(UNIT_WORDS).join(', ')}`,
        });
      else if (unit !== indicator.unit)
        problems.push({
          row: m.row,
          context,
          field: 'unit',
          value: m.declaredUnit,
          rule: `does not match indicator ${m.indicatorCode}, whose unit is ${indicator.unit.toLowerCase()}`,
        });
    }
    if (m.declaredPolarity !== undefined) {
      const polarity = polarityOf(m.declaredPolarity);
      if (!polarity)
        problems.push({
          row: m.row,
          context,
          field: 'polarity',
          value: m.declaredPolarity,
          rule: 'must be bigger, smaller (is better) or closest (to target)',
        });
      else if (polarity !== indicator.polarity) {
        const better =
          indicator.polarity === Polarity.BIGGER_IS_BETTER
            ? 'bigger is better'
            : indicator.polarity === Polarity.SMALLER_IS_BETTER
              ? 'smaller is better'
              : 'closest to target is best';
        problems.push({
          row: m.row,
          context,
          field: 'polarity',
          value: m.declaredPolarity,
          rule: `does not match indicator ${m.indicatorCode}, where ${better}`,
        });
      }
    }
  }
  return problems;
}

function polarityOf(word: string): Polarity | null {
  const w = word.toLowerCase().replace(/[\s-]/g, '_');
  if (w === 'bigger' || w === 'higher' || w === Polarity.BIGGER_IS_BETTER.toLowerCase())
    return Polarity.BIGGER_IS_BETTER;
  if (w === 'smaller' || w === 'lower' || w === Polarity.SMALLER_IS_BETTER.toLowerCase())
    return Polarity.SMALLER_IS_BETTER;
  if (w === 'closest' || w === Polarity.CLOSEST_TO_TARGET.toLowerCase())
    return Polarity.CLOSEST_TO_TARGET;
  return null;
}

/** A problem from a section's own rules, named as the file names it. */
function renamed(
  batch: ImportBatch,
  section: Exclude<AnySection, 'measurements'>,
  problem: SubmissionProblem,
): SubmissionProblem {
  if (batch.format === 'json' || ADAPTER_SECTIONS.has(section))
    return { ...problem, field: `${section}.${problem.field}` };
  if (section === 'indicators') return problem;
  // A CSV target sits on its measurement's line: its value is the target column, its period the period column.
  const field =
    problem.field === 'value'
      ? 'target'
      : problem.field === 'fromPeriod'
        ? 'period'
        : problem.field;
  return { ...problem, field };
}

type Owned = { row?: number; organisation?: string | null };

const ADAPTER_SECTIONS = new Set<string>([
  'services',
  'programmes',
  'milestones',
  'programmeReturns',
]);

/**
 * Which organisation each record is for, every problem with that, and the organisations the file
 * writes for. A single organisation's file may leave the column out; a publisher's names it on
 * every row.
 */
function organisationsOf(scope: ImportScope, batch: ImportBatch) {
  const single = 'serves' in scope ? null : scope;
  const served = new Map(('serves' in scope ? scope.serves : [scope]).map((org) => [org.id, org]));
  const problems: SubmissionProblem[] = [];
  const field = (section: AnySection) =>
    (batch.format === 'json' || ADAPTER_SECTIONS.has(section)) && section !== 'measurements'
      ? `${section}.organisation`
      : 'organisation';
  const ownerOf = (section: AnySection, record: Owned): RegistryEntry | null => {
    const row = record.row ?? 1;
    const named = record.organisation ?? null;
    if (named === null) {
      if (single) return single;
      problems.push({
        row,
        field: field(section),
        value: null,
        rule: `must name the organisation of every record in a publisher's import (one of ${[...served.keys()].join(', ')})`,
      });
      return null;
    }
    const org = served.get(named);
    if (single && named !== single.id) {
      problems.push({
        row,
        field: field(section),
        value: named,
        rule: `must be ${single.id}: this file is imported for ${single.id}; another organisation's rows go in its own import or its publisher's`,
      });
      return null;
    }
    if (!org) {
      problems.push({
        row,
        field: field(section),
        value: named,
        rule: `is not an organisation this publisher serves (it serves ${[...served.keys()].join(', ')})`,
      });
      return null;
    }
    return org;
  };
  return { single, ownerOf, problems };
}

/** Records of a section grouped by the organisation they are for, in first-seen order. */
function group<T extends Owned>(
  section: AnySection,
  records: readonly T[],
  ownerOf: (section: AnySection, record: T) => RegistryEntry | null,
) {
  const groups = new Map<string, { organisation: RegistryEntry; records: T[] }>();
  for (const record of records) {
    const organisation = ownerOf(section, record);
    if (!organisation) continue;
    const existing = groups.get(organisation.id);
    if (existing) existing.records.push(record);
    else groups.set(organisation.id, { organisation, records: [record] });
  }
  return groups;
}

/**
 * Imports one file as one transaction, through the same rules and writes as the mutations: every
 * record of every section is checked before anything is written, and one invalid row refuses the
 * whole file with every problem listed. Figures become drafts unless `publish` is set; targets,
 * milestone returns and assessments are not figures and apply at once, as through the mutations.
 * A publisher's file may hold rows of every organisation it serves; the caller must be allowed to
 * write for each of them.
 */
export async function importBatch(
  db: OrganisationDb,
  principal: Principal,
  scope: ImportScope,
  batch: ImportBatch,
  options: ImportOptions,
): Promise<ImportResult> {
  if (!('serves' in scope)) authoriseWrite(principal, scope);
  const { signal, maxProblems } = options;
  const checkpoint = () => {
    if (signal?.aborted) throw cancelled();
  };
  // Every progress report is a checkpoint: the writes report after each chunk.
  const progress = async (report: ImportProgress) => {
    checkpoint();
    await options.onProgress?.(report);
  };
  const located = (problems: readonly SubmissionProblem[]) =>
    options.locate ? problems.map(options.locate) : problems;
  // Reading stopped at the problem cap: the file is refused with what was found, unchecked further.
  if (batch.stoppedAtRow !== undefined)
    refuse(located(batch.problems), { maxProblems, stoppedAtRow: batch.stoppedAtRow });
  const adapted = {
    services: batch.services ?? [],
    programmes: batch.programmes ?? [],
    milestones: batch.milestones ?? [],
    programmeReturns: batch.programmeReturns ?? [],
  };
  const total =
    batch.indicators.length +
    batch.measurements.length +
    batch.targets.length +
    batch.milestoneReturns.length +
    batch.confidenceAssessments.length +
    adapted.services.length +
    adapted.programmes.length +
    adapted.milestones.length +
    adapted.programmeReturns.length;
  await progress({ phase: 'validating', done: 0, total });
  const owners = organisationsOf(scope, batch);
  const sections = {
    indicators: group('indicators', batch.indicators, owners.ownerOf),
    measurements: group('measurements', batch.measurements, owners.ownerOf),
    targets: group('targets', batch.targets, owners.ownerOf),
    milestoneReturns: group('milestoneReturns', batch.milestoneReturns, owners.ownerOf),
    confidenceAssessments: group(
      'confidenceAssessments',
      batch.confidenceAssessments,
      owners.ownerOf,
    ),
    services: group('services', adapted.services, owners.ownerOf),
    programmes: group('programmes', adapted.programmes, owners.ownerOf),
    milestones: group('milestones', adapted.milestones, owners.ownerOf),
    programmeReturns: group('programmeReturns', adapted.programmeReturns, owners.ownerOf),
  };
  const organisations = new Map<string, RegistryEntry>();
  for (const groups of Object.values(sections))
    for (const { organisation } of groups.values())
      organisations.set(organisation.id, organisation);
  // Every organisation the file writes for must be the caller's to write, before a row is checked.
  for (const organisation of organisations.values()) authoriseWrite(principal, organisation);

  const checked = await Promise.all(
    [...organisations.values()].map(async (organisation) => {
      const of = <T>(groups: Map<string, { records: T[] }>) =>
        groups.get(organisation.id)?.records ?? [];
      // Definitions first: figures, targets and returns of the same file may be for an indicator,
      // service, programme or milestone it defines.
      const definitions = await validateDefinitions(db, organisation, of(sections.indicators));
      const pending = pendingOf(definitions.records);
      const services = validateServices(organisation, of(sections.services));
      const programmes = validateProgrammes(organisation, of(sections.programmes));
      const pendingProgrammes = new Set(programmes.records.map((p) => p.id));
      const milestones = await validateMilestones(
        db,
        organisation,
        of(sections.milestones),
        pendingProgrammes,
      );
      const [measurements, declarations, targets, milestoneReturns, assessments, programmeReturns] =
        await Promise.all([
          validateMeasurements(
            db,
            organisation,
            of(sections.measurements),
            options.today,
            pending,
            new Set(services.records.map((s) => s.id)),
          ),
          checkDeclarations(db, organisation.id, of(sections.measurements), pending),
          validateTargets(db, organisation, of(sections.targets), pending),
          validateMilestoneReturns(
            db,
            organisation,
            of(sections.milestoneReturns),
            new Set(milestones.records.map((m) => m.id)),
          ),
          validateConfidenceAssessments(
            db,
            organisation,
            of(sections.confidenceAssessments),
            pendingProgrammes,
          ),
          validateProgrammeReturns(
            db,
            organisation,
            of(sections.programmeReturns),
            pendingProgrammes,
            options.today,
          ),
        ]);
      return {
        definitions,
        services,
        programmes,
        milestones,
        measurements,
        declarations,
        targets,
        milestoneReturns,
        assessments,
        programmeReturns,
      };
    }),
  );
  const problems = dedupe([
    ...batch.problems,
    ...owners.problems,
    ...checked.flatMap((c) => [
      ...c.definitions.problems.map((p) => renamed(batch, 'indicators', p)),
      ...c.measurements.problems,
      ...c.declarations,
      ...c.targets.problems.map((p) => renamed(batch, 'targets', p)),
      ...c.milestoneReturns.problems.map((p) => renamed(batch, 'milestoneReturns', p)),
      ...c.assessments.problems.map((p) => renamed(batch, 'confidenceAssessments', p)),
      ...c.services.problems.map((p) => renamed(batch, 'services', p)),
      ...c.programmes.problems.map((p) => renamed(batch, 'programmes', p)),
      ...c.milestones.problems.map((p) => renamed(batch, 'milestones', p)),
      ...c.programmeReturns.problems.map((p) => renamed(batch, 'programmeReturns', p)),
    ]),
  ]);
  if (problems.length > 0) refuse(located(problems), { maxProblems });
  if (total === 0)
    refuse([{ row: 1, field: 'file', value: null, rule: 'has no records to import' }]);
  await progress({ phase: 'validating', done: total, total });

  const records = {
    definitions: checked.flatMap((c): CheckedDefinition[] => c.definitions.records),
    measurements: checked.flatMap((c): CheckedMeasurement[] => c.measurements.records),
    targets: checked.flatMap((c): CheckedTarget[] => c.targets.records),
    milestoneReturns: checked.flatMap((c): CheckedMilestoneReturn[] => c.milestoneReturns.records),
    assessments: checked.flatMap((c): CheckedConfidenceAssessment[] => c.assessments.records),
    services: checked.flatMap((c): CheckedService[] => c.services.records),
    programmes: checked.flatMap((c): CheckedProgramme[] => c.programmes.records),
    milestones: checked.flatMap((c): CheckedMilestone[] => c.milestones.records),
    programmeReturns: checked.flatMap((c): CheckedProgrammeReturn[] => c.programmeReturns.records),
  };
  const actor = actorOf(principal);
  const written = (done: number) => progress({ phase: 'writing', done, total });
  const result: ImportResult = {
    organisation: owners.single?.id ?? null,
    organisations: [...organisations.keys()],
    format: batch.format,
    published: options.publish ?? false,
    rows: batch.rows,
    indicators: records.definitions.length,
    measurements: records.measurements.length,
    targets: records.targets.length,
    milestoneReturns: records.milestoneReturns.length,
    confidenceAssessments: records.assessments.length,
    services: records.services.length,
    programmes: records.programmes.length,
    milestones: records.milestones.length,
    programmeReturns: records.programmeReturns.length,
    ...options.report,
  };
  const importId =
    options.importId ??
    newImportId(('serves' in scope ? scope.serves[0]?.publisher : scope.publisher) ?? 'import');
  checkpoint();
  await db.transaction(async (tx) => {
    await writeDefinitions(tx, actor, records.definitions);
    await writeServices(tx, records.services);
    await writeProgrammes(tx, records.programmes);
    await writeMilestones(tx, records.milestones);
    if (options.publish) {
      await discardDrafts(tx, records.measurements);
      await writePublished(tx, actor, records.measurements, options.today, (done) => written(done));
    } else {
      await writeDrafts(tx, actor, records.measurements, (done) => written(done));
    }
    let done = records.definitions.length + records.measurements.length;
    await writeTargets(tx, actor, records.targets);
    done += records.targets.length;
    await writeMilestoneReturns(tx, actor, records.milestoneReturns);
    done += records.milestoneReturns.length;
    await writeConfidenceAssessments(tx, actor, records.assessments);
    done += records.assessments.length;
    await writeProgrammeReturns(tx, records.programmeReturns);
    done +=
      records.services.length +
      records.programmes.length +
      records.milestones.length +
      records.programmeReturns.length;
    await progress({ phase: 'committing', done, total });
    // The record of the import commits with its writes, or neither does (see import.claim.ts).
    await options.beforeCommit?.(tx);
    await tx
      .insert(imports)
      .values({ id: importId, organisationId: result.organisation, actor, result });
    checkpoint();
  });
  const {
    indicators,
    measurements,
    targets,
    milestoneReturns,
    confidenceAssessments,
    services,
    programmes,
    milestones,
    programmeReturns,
  } = result;
  recordImportRows(publisherOfImportId(importId) ?? 'import', {
    indicators,
    measurements,
    targets,
    milestoneReturns,
    confidenceAssessments,
    services,
    programmes,
    milestones,
    programmeReturns,
  });
  return result;
}

function dedupe(problems: SubmissionProblem[]): SubmissionProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.row, p.field, p.value, p.rule]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
