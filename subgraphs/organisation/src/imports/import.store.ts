import { Polarity, type Principal, type RegistryEntry, Unit } from '@crossgov/schema';
import { authoriseWrite } from '../access.ts';
import type { OrganisationDb } from '../db/client.ts';
import { indicators } from '../db/schema.ts';
import { type CheckedMeasurement, type Executor, actorOf, discardDrafts, validateMeasurements, writeDrafts, writePublished } from '../indicator/submission.store.ts';
import { validateTargets, writeTargets } from '../indicator/target.store.ts';
import { validateConfidenceAssessments, writeConfidenceAssessments } from '../programme/confidence.store.ts';
import { validateMilestoneReturns, writeMilestoneReturns } from '../programme/milestone.store.ts';
import { type SubmissionProblem, refuse } from '../problems.ts';
import type { ImportBatch, ImportedMeasurement } from './import.parse.ts';

export interface ImportOptions {
  /** Publish the file's figures at once instead of storing them as drafts. @default false */
  publish?: boolean;
  /** The date published returns are received on. */
  today: string;
  onProgress?: (progress: ImportProgress) => void | Promise<void>;
}

export interface ImportProgress {
  phase: 'validating' | 'writing' | 'committing';
  done: number;
  total: number;
}

/** What an import wrote. */
export interface ImportResult {
  organisation: string;
  format: ImportBatch['format'];
  published: boolean;
  rows: number;
  measurements: number;
  targets: number;
  milestoneReturns: number;
  confidenceAssessments: number;
}

const UNIT_WORDS: Record<string, Unit> = Object.fromEntries(Object.values(Unit).flatMap((unit) => [[unit.toLowerCase(), unit]]));

/**
 * What a file says about an indicator (its unit, its polarity) must match the indicator's
 * definition here: a mismatch usually means the file is for another organisation's indicator of
 * the same code, or the wrong column.
 */
async function checkDeclarations(db: Executor, measurements: readonly ImportedMeasurement[]): Promise<SubmissionProblem[]> {
  if (!measurements.some((m) => m.declaredUnit !== undefined || m.declaredPolarity !== undefined)) return [];
  const rows = await db.select({ code: indicators.code, unit: indicators.unit, polarity: indicators.polarity }).from(indicators);
  const byCode = new Map(rows.map((row) => [row.code, row]));
  const problems: SubmissionProblem[] = [];
  for (const m of measurements) {
    const indicator = byCode.get(m.indicatorCode);
    if (!indicator) continue; // validateMeasurements names the unknown code
    const context = `indicator ${m.indicatorCode}, period ${m.period}`;
    if (m.declaredUnit !== undefined) {
      const unit = UNIT_WORDS[m.declaredUnit.toLowerCase()];
      if (!unit) problems.push({ row: m.row, context, field: 'unit', value: m.declaredUnit, rule: `must be one of ${Object.keys(UNIT_WORDS).join(', ')}` });
      else if (unit !== indicator.unit) problems.push({ row: m.row, context, field: 'unit', value: m.declaredUnit, rule: `does not match indicator ${m.indicatorCode}, whose unit is ${indicator.unit.toLowerCase()}` });
    }
    if (m.declaredPolarity !== undefined) {
      const polarity = polarityOf(m.declaredPolarity);
      if (!polarity) problems.push({ row: m.row, context, field: 'polarity', value: m.declaredPolarity, rule: 'must be bigger or smaller (is better)' });
      else if (polarity !== indicator.polarity) {
        problems.push({ row: m.row, context, field: 'polarity', value: m.declaredPolarity, rule: `does not match indicator ${m.indicatorCode}, where ${indicator.polarity === Polarity.BIGGER_IS_BETTER ? 'bigger' : 'smaller'} is better` });
      }
    }
  }
  return problems;
}

function polarityOf(word: string): Polarity | null {
  const w = word.toLowerCase().replace(/[\s-]/g, '_');
  if (w === 'bigger' || w === 'higher' || w === Polarity.BIGGER_IS_BETTER.toLowerCase()) return Polarity.BIGGER_IS_BETTER;
  if (w === 'smaller' || w === 'lower' || w === Polarity.SMALLER_IS_BETTER.toLowerCase()) return Polarity.SMALLER_IS_BETTER;
  return null;
}

/** A problem from a section's own rules, named as the file names it. */
function renamed(batch: ImportBatch, section: 'targets' | 'milestoneReturns' | 'confidenceAssessments', problem: SubmissionProblem): SubmissionProblem {
  if (batch.format === 'json') return { ...problem, field: `${section}.${problem.field}` };
  // A CSV target sits on its measurement's line: its value is the target column, its period the period column.
  const field = problem.field === 'value' ? 'target' : problem.field === 'fromPeriod' ? 'period' : problem.field;
  return { ...problem, field };
}

/**
 * Imports one file as one transaction, through the same rules and writes as the mutations: every
 * record of every section is checked before anything is written, and one invalid row refuses the
 * whole file with every problem listed. Figures become drafts unless `publish` is set; targets,
 * milestone returns and assessments are not figures and apply at once, as through the mutations.
 */
export async function importBatch(db: OrganisationDb, principal: Principal, organisation: RegistryEntry, batch: ImportBatch, options: ImportOptions): Promise<ImportResult> {
  authoriseWrite(principal, organisation.id);
  const progress = options.onProgress ?? (() => undefined);
  const total = batch.measurements.length + batch.targets.length + batch.milestoneReturns.length + batch.confidenceAssessments.length;
  await progress({ phase: 'validating', done: 0, total });
  const [measurements, declarations, targets, milestoneReturns, assessments] = await Promise.all([
    validateMeasurements(db, organisation, batch.measurements),
    checkDeclarations(db, batch.measurements),
    validateTargets(db, organisation, batch.targets),
    validateMilestoneReturns(db, organisation, batch.milestoneReturns),
    validateConfidenceAssessments(db, organisation, batch.confidenceAssessments),
  ]);
  const problems = dedupe([
    ...batch.problems,
    ...measurements.problems,
    ...declarations,
    ...targets.problems.map((p) => renamed(batch, 'targets', p)),
    ...milestoneReturns.problems.map((p) => renamed(batch, 'milestoneReturns', p)),
    ...assessments.problems.map((p) => renamed(batch, 'confidenceAssessments', p)),
  ]);
  if (problems.length > 0) refuse(problems);
  if (total === 0) refuse([{ row: 1, field: 'file', value: null, rule: 'has no records to import' }]);
  await progress({ phase: 'validating', done: total, total });

  const actor = actorOf(principal);
  const written = (done: number) => progress({ phase: 'writing', done, total });
  await db.transaction(async (tx) => {
    const records: CheckedMeasurement[] = measurements.records;
    if (options.publish) {
      await discardDrafts(tx, records);
      await writePublished(tx, actor, records, options.today, (done) => written(done));
    } else {
      await writeDrafts(tx, actor, records, (done) => written(done));
    }
    let done = records.length;
    await writeTargets(tx, actor, targets.records);
    done += targets.records.length;
    await writeMilestoneReturns(tx, actor, milestoneReturns.records);
    done += milestoneReturns.records.length;
    await writeConfidenceAssessments(tx, actor, assessments.records);
    done += assessments.records.length;
    await progress({ phase: 'committing', done, total });
  });
  return {
    organisation: organisation.id,
    format: batch.format,
    published: options.publish ?? false,
    rows: batch.rows,
    measurements: measurements.records.length,
    targets: targets.records.length,
    milestoneReturns: milestoneReturns.records.length,
    confidenceAssessments: assessments.records.length,
  };
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
