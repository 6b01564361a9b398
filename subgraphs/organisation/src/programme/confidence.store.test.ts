import { describe, expect, it } from 'vitest';
import { Assessor, DcaRating, DcaScale, findEntry, loadRegistry } from '@crossgov/schema';
import { type Principal, Scope } from '@crossgov/schema/auth';
import { count } from 'drizzle-orm';
import { STORAGE } from '@crossgov/testing/database';
import { seededDatabase } from '@crossgov/testing/fixtures';
import { itRefusesCallersWhoMayNotWrite } from '@crossgov/testing/refusals';
import { readChanges } from '../changes/change.store.ts';
import { changeLog, confidenceAssessments } from '../db/schema.ts';
import {
  type ConfidenceAssessmentSubmission,
  recordConfidenceAssessments,
} from './confidence.store.ts';

const principal = (organisation: string | null, scopes: Scope[]): Principal => ({
  subject: 'kim',
  organisation,
  publisher: null,
  scopes: new Set(scopes),
  anonymous: false,
});
const owner = principal('unity', [Scope.WRITE]);
const unity = findEntry(loadRegistry(), 'unity');
const PROGRAMME = 'unity-programme';
const ipa = (
  assessedOn: string,
  rating: DcaRating,
  extra: Partial<ConfidenceAssessmentSubmission> = {},
): ConfidenceAssessmentSubmission => ({
  programmeId: PROGRAMME,
  assessor: Assessor.IPA,
  assessedOn,
  scale: DcaScale.THREE_POINT,
  rating,
  ...extra,
});

describe(`recording delivery confidence assessments on ${STORAGE}`, () => {
  const database = seededDatabase(unity);
  const counts = async () => {
    const [[a], [c]] = await Promise.all([
      database.db.select({ n: count() }).from(confidenceAssessments),
      database.db.select({ n: count() }).from(changeLog),
    ]);
    return { assessments: a!.n, changes: c!.n };
  };

  itRefusesCallersWhoMayNotWrite({
    organisation: 'unity',
    other: 'synergy',
    writes: [
      (caller) =>
        recordConfidenceAssessments(database.db, caller, unity, [
          ipa('2025-07-01', DcaRating.AMBER),
        ]),
    ],
    unchanged: counts,
  });

  it('keeps each day as history, replaces an assessment sent again, and logs both versions', async () => {
    const before = await counts();
    expect(
      await recordConfidenceAssessments(database.db, owner, unity, [
        ipa('2025-07-01', DcaRating.AMBER),
        { ...ipa('2025-07-01', DcaRating.RED), assessor: Assessor.SRO },
      ]),
    ).toEqual({
      accepted: 2,
    });
    expect(
      await recordConfidenceAssessments(database.db, owner, unity, [
        ipa('2025-07-01', DcaRating.RED, { sourceNote: 'Corrected' }),
      ]),
    ).toEqual({ accepted: 1 });
    expect(await counts()).toEqual({
      assessments: before.assessments + 2,
      changes: before.changes + 3,
    });
    const [second, first] = await readChanges(database.db, {
      organisationId: unity.id,
      record: 'confidence-assessment',
      key: `${PROGRAMME}/IPA/2025-07-01`,
    });
    expect(first).toMatchObject({
      previous: null,
      current: {
        assessor: 'IPA',
        assessedOn: '2025-07-01',
        assessedPrecision: 'DAY',
        scale: 'THREE_POINT',
        rating: 'AMBER',
      },
      actor: 'kim',
    });
    expect(second).toMatchObject({
      previous: { rating: 'AMBER', sourceNote: null },
      current: { rating: 'RED', sourceNote: 'Corrected' },
      actor: 'kim',
    });
  });

  it('lists every invalid row with its row number, field, value and rule, and writes nothing', async () => {
    const before = await counts();
    const error = await recordConfidenceAssessments(database.db, owner, unity, [
      ipa('2025-10-01', DcaRating.GREEN),
      { ...ipa('2025-10-01', DcaRating.GREEN), programmeId: 'synergy-programme' },
      ipa('2025-10-01', DcaRating.AMBER_RED),
      { ...ipa('2025-10', DcaRating.AMBER), row: 12 },
      {
        ...ipa('2025-10-01', DcaRating.AMBER),
        assessor: 'NAO' as Assessor,
        scale: 'TEN_POINT' as DcaScale,
      },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const { message, extensions } = error as {
      message: string;
      extensions: { problems: { row: number; field: string; value: unknown; rule: string }[] };
    };
    expect(message).toMatch(/^4 invalid rows: /);
    expect(message).toContain('programmeId "synergy-programme" is not a programme of unity');
    expect(extensions.problems.map((p) => [p.row, p.field, p.value])).toEqual([
      [2, 'programmeId', 'synergy-programme'],
      [3, 'rating', 'AMBER_RED'],
      [5, 'assessor', 'NAO'],
      [5, 'scale', 'TEN_POINT'],
      [12, 'assessedOn', '2025-10'],
    ]);
    expect(extensions.problems.find((p) => p.row === 3)!.rule).toMatch(
      /is not on the three-point scale/,
    );
    expect(await counts()).toEqual(before);
  });
});
