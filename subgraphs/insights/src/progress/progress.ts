import { DcaChange, type DcaRating, MilestoneStatus, OrganisationKind } from '@crossgov/schema';

type Confidence = {
  latest: { rating: DcaRating; assessedOn: { date: string; label: string } };
  change: DcaChange;
};

/**
 * One organisation as the gateway hands it over through @requires. Gateways do not all spell a null
 * alike: Hive Gateway's Rust planner leaves a null field out, and sends a programme whose only
 * required field (latestConfidence) is null as a null programme; both mean "no such value here".
 */
export interface OrganisationProgressInput {
  id: string;
  name: string;
  kind: OrganisationKind;
  milestones:
    | {
        status: MilestoneStatus;
        baseline?: { date: string } | null;
        slippage?: { days: number } | null;
      }[]
    | null;
  programmes: ({ latestConfidence?: Confidence | null } | null)[] | null;
  returns: { completeness: Counts } | null;
}

/** An organisation's completeness of returns as its subgraph counted it: one window of due dates. */
export interface Counts {
  expected: number;
  received: number;
  late: number;
  outstanding: number;
  missing: number;
  from: string;
  to: string;
}

export interface ProgressFigures {
  milestones: number;
  milestonesDue: number;
  milestonesDone: number;
  milestonesLate: number;
  medianSlippageDays: number | null;
  expectedReturns: number;
  receivedReturns: number;
  lateReturns: number;
  outstandingReturns: number;
  missingReturns: number;
  /** received / expected (ratio of sums); null when nothing was due. */
  completeness: number | null;
  /** The window and what the figures count, in words; null when no organisation answered. */
  completenessRule: string | null;
}

export interface OrganisationProgress extends ProgressFigures {
  organisationId: string;
  organisationName: string;
  kind: OrganisationKind;
  latestConfidence: DcaRating | null;
  confidenceAssessedOn: string | null;
  confidenceChange: DcaChange | null;
  /** False when the organisation's subgraph did not answer: its figures are then unknown, not zero. */
  answered: boolean;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Milestones = NonNullable<OrganisationProgressInput['milestones']>;

/**
 * Completeness in words. Every organisation counts the window that ends on the day judged on, so the
 * sums add like with like; should two windows differ (a subgraph on another date), the rule names both.
 */
function completenessRule(
  returns: readonly Counts[],
  received: number,
  expected: number,
): string | null {
  if (returns.length === 0) return null;
  const windows = [...new Set(returns.map((r) => `from ${r.from} to ${r.to}`))];
  const share = expected > 0 ? `: ${Math.round((received / expected) * 1000) / 10}%` : '';
  const of =
    returns.length === 1 ? '' : ` across ${returns.length} organisations (a ratio of sums)`;
  return `${received} of ${expected} returns due ${windows.join(' and ')} received${of}${share}`;
}

function figures(
  milestones: Milestones,
  returns: readonly Counts[],
  today: string,
): ProgressFigures {
  const expected = returns.reduce((s, r) => s + r.expected, 0);
  const received = returns.reduce((s, r) => s + r.received, 0);
  return {
    milestones: milestones.length,
    // Due: its baseline date has come, or it is already done.
    milestonesDue: milestones.filter(
      (m) =>
        m.status === MilestoneStatus.COMPLETE || (m.baseline != null && m.baseline.date <= today),
    ).length,
    milestonesDone: milestones.filter((m) => m.status === MilestoneStatus.COMPLETE).length,
    milestonesLate: milestones.filter((m) => m.status === MilestoneStatus.LATE).length,
    medianSlippageDays: median(milestones.flatMap((m) => (m.slippage ? [m.slippage.days] : []))),
    expectedReturns: expected,
    receivedReturns: received,
    lateReturns: returns.reduce((s, r) => s + r.late, 0),
    outstandingReturns: returns.reduce((s, r) => s + r.outstanding, 0),
    missingReturns: returns.reduce((s, r) => s + r.missing, 0),
    completeness: expected > 0 ? received / expected : null,
    completenessRule: completenessRule(returns, received, expected),
  };
}

/** One organisation's strategy progress from what its subgraph returned. */
export function organisationProgress(
  org: OrganisationProgressInput,
  today: string,
): OrganisationProgress {
  const confidences = (org.programmes ?? []).flatMap((p) =>
    p?.latestConfidence ? [p.latestConfidence] : [],
  );
  const latest =
    confidences.sort((a, b) =>
      b.latest.assessedOn.date.localeCompare(a.latest.assessedOn.date),
    )[0] ?? null;
  return {
    organisationId: org.id,
    organisationName: org.name,
    kind: org.kind,
    ...figures(org.milestones ?? [], org.returns ? [org.returns.completeness] : [], today),
    latestConfidence: latest?.latest.rating ?? null,
    confidenceAssessedOn: latest?.latest.assessedOn.label ?? null,
    confidenceChange: latest?.change ?? null,
    answered: org.milestones !== null && org.returns !== null,
  };
}

/** The whole strategy: sums of counts, completeness as a ratio of sums, median slippage over every milestone. */
export function rollUp(orgs: readonly OrganisationProgressInput[], today: string): ProgressFigures {
  return figures(
    orgs.flatMap((o) => o.milestones ?? []),
    orgs.flatMap((o) => (o.returns ? [o.returns.completeness] : [])),
    today,
  );
}

export const STRATEGY_KINDS = [OrganisationKind.CLUSTER, OrganisationKind.SUPPORTING_PROGRAMME];
export { DcaChange };
