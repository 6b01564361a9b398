import { beforeAll, describe, expect, it } from 'vitest';
import { findEntry, loadRegistry } from '@crossgov/schema';
import { type Principal, Scope } from '@crossgov/schema/auth';
import { eq } from 'drizzle-orm';
import { STORAGE } from '@crossgov/testing/database';
import { seededDatabase } from '@crossgov/testing/fixtures';
import { snapshotTables } from '@crossgov/testing/snapshot';
import { indicators } from '../db/schema.ts';
import { defineIndicators } from './definition.store.ts';
import { submitMeasurements } from './submission.store.ts';
import { setTargets } from './target.store.ts';

const owner: Principal = {
  subject: 'ana',
  organisation: 'norfolk',
  publisher: null,
  scopes: new Set([Scope.WRITE, Scope.READ_DRAFTS]),
  anonymous: false,
};
const norfolk = findEntry(loadRegistry(), 'norfolk');
const TODAY = '2026-11-21';

type Refusal = {
  extensions: { problems: { row: number; field: string; value: unknown; rule: string }[] };
};
const problemsOf = async (attempt: Promise<unknown>) =>
  ((await attempt.catch((e: unknown) => e)) as Refusal).extensions.problems.map((p) => [
    p.row,
    p.field,
    p.value,
    p.rule,
  ]);

describe(`value ranges on every write path, on ${STORAGE}`, () => {
  const database = seededDatabase(norfolk);
  const unchanged = async (attempt: () => Promise<unknown>) => {
    const before = await snapshotTables(database);
    const problems = await problemsOf(attempt());
    expect(await snapshotTables(database)).toEqual(before);
    return problems;
  };
  beforeAll(async () => {
    await defineIndicators(database.db, owner, norfolk, [
      {
        code: 'vacancy-rate',
        name: 'Vacancy rate',
        unit: 'PERCENT',
        polarity: 'SMALLER_IS_BETTER',
        frequency: 'MONTHLY',
        minValue: 2,
        maxValue: 40,
      },
      {
        code: 'nps',
        name: 'Resident NPS',
        unit: 'SCORE',
        polarity: 'BIGGER_IS_BETTER',
        frequency: 'QUARTERLY',
        minValue: -100,
        maxValue: 100,
      },
      {
        code: 'visits',
        name: 'Library visits',
        unit: 'COUNT',
        polarity: 'BIGGER_IS_BETTER',
        frequency: 'MONTHLY',
      },
    ]);
  });

  it('stores and serves an indicator range', async () => {
    const [row] = await database.db
      .select()
      .from(indicators)
      .where(eq(indicators.code, 'vacancy-rate'));
    expect(row).toMatchObject({ minValue: 2, maxValue: 40 });
  });

  it("refuses a figure outside the indicator's range, naming field, value and rule, and writes nothing", async () => {
    expect(
      await unchanged(() =>
        submitMeasurements(
          database.db,
          owner,
          norfolk,
          [{ indicatorCode: 'vacancy-rate', period: '2026-01', value: 45 }],
          TODAY,
        ),
      ),
    ).toEqual([
      [
        1,
        'value',
        45,
        'must be between 2 and 40: the range indicator vacancy-rate sets (its minValue and maxValue)',
      ],
    ]);
  });

  it('refuses a score of 1.7e308 and a value its parts overflow to Infinity', async () => {
    const problems = await unchanged(() =>
      submitMeasurements(
        database.db,
        owner,
        norfolk,
        [
          { indicatorCode: '626', period: '2019-01', value: 1.7e308 },
          { indicatorCode: '609', period: '2019-01', numerator: 1e308, denominator: 1e-308 },
        ],
        TODAY,
      ),
    );
    expect(problems).toEqual([
      [1, 'value', 1.7e308, 'must be between -1,000,000,000 and 1,000,000,000 for a score'],
      [
        2,
        'numerator',
        1e308,
        'must be at most 1,000,000,000,000,000: a numerator or denominator is a count or an amount',
      ],
      [
        2,
        'value',
        Number.POSITIVE_INFINITY,
        '(derived: numerator 1e+308 / denominator 1e-308) must be a finite number',
      ],
    ]);
  });

  it("refuses an organisation-wide total of its services' counts past the largest count", async () => {
    const rows = [
      { indicatorCode: 'visits', period: '2026-01', serviceId: 'norfolk-web', value: 6e14 },
      { indicatorCode: 'visits', period: '2026-01', serviceId: 'ict-service-desk', value: 6e14 },
    ];
    expect(
      await unchanged(() => submitMeasurements(database.db, owner, norfolk, rows, TODAY)),
    ).toEqual([
      [
        2,
        'value',
        1.2e15,
        '(the organisation-wide figure: sum of 2 rows) must be between 0 and 1,000,000,000,000,000 for a count',
      ],
    ]);
  });

  it("refuses a target outside the unit's range or the indicator's", async () => {
    expect(
      await unchanged(() =>
        setTargets(database.db, owner, norfolk, [
          { indicatorCode: 'vacancy-rate', fromPeriod: '2026-01', value: 1 },
          { indicatorCode: '626', fromPeriod: '2019-01', value: 2e9 },
          { indicatorCode: 'nps', fromPeriod: '2026-Q1', value: Number.POSITIVE_INFINITY },
        ]),
      ),
    ).toEqual([
      [
        1,
        'value',
        1,
        'must be between 2 and 40: the range indicator vacancy-rate sets (its minValue and maxValue)',
      ],
      [2, 'value', 2e9, 'must be between -1,000,000,000 and 1,000,000,000 for a score'],
      [3, 'value', Number.POSITIVE_INFINITY, 'must be a finite number'],
    ]);
    await expect(
      setTargets(database.db, owner, norfolk, [
        { indicatorCode: 'vacancy-rate', fromPeriod: '2026-01', value: 10 },
      ]),
    ).resolves.toEqual({ accepted: 1 });
  });

  it('refuses a range that is not finite, inverted, or past what the unit can represent', async () => {
    expect(
      await unchanged(() =>
        defineIndicators(database.db, owner, norfolk, [
          {
            code: 'a',
            name: 'A',
            unit: 'PERCENT',
            polarity: 'BIGGER_IS_BETTER',
            frequency: 'MONTHLY',
            minValue: -5,
            maxValue: 150,
          },
          {
            code: 'b',
            name: 'B',
            unit: 'SCORE',
            polarity: 'BIGGER_IS_BETTER',
            frequency: 'MONTHLY',
            minValue: 10,
            maxValue: 10,
          },
          {
            code: 'c',
            name: 'C',
            unit: 'RATIO',
            polarity: 'BIGGER_IS_BETTER',
            frequency: 'MONTHLY',
            minValue: Number.NEGATIVE_INFINITY,
          },
        ]),
      ),
    ).toEqual([
      [1, 'minValue', -5, 'must be between 0 and 100, what a percentage can be'],
      [1, 'maxValue', 150, 'must be between 0 and 100, what a percentage can be'],
      [2, 'maxValue', 10, 'must be above minValue (10)'],
      [3, 'minValue', Number.NEGATIVE_INFINITY, 'must be a finite number'],
    ]);
  });

  it('refuses a range that would leave figures or targets already stored outside it, naming the nearest', async () => {
    await submitMeasurements(
      database.db,
      owner,
      norfolk,
      [{ indicatorCode: 'vacancy-rate', period: '2026-02', value: 30 }],
      TODAY,
    );
    expect(
      await unchanged(() =>
        defineIndicators(database.db, owner, norfolk, [{ code: 'vacancy-rate', maxValue: 25 }]),
      ),
    ).toEqual([
      [
        1,
        'maxValue',
        25,
        'is below the highest draft figure of indicator vacancy-rate (30); correct or replace it first',
      ],
    ]);
    expect(
      await unchanged(() =>
        defineIndicators(database.db, owner, norfolk, [{ code: 'vacancy-rate', minValue: 15 }]),
      ),
    ).toEqual([
      [
        1,
        'minValue',
        15,
        'is above the lowest target of indicator vacancy-rate (10); correct or replace it first',
      ],
    ]);
  });

  it('keeps a range when a definition leaves it out, and clears it with null', async () => {
    await defineIndicators(database.db, owner, norfolk, [
      { code: 'nps', leadOfficer: 'Head of Customer Experience' },
    ]);
    expect(
      (await database.db.select().from(indicators).where(eq(indicators.code, 'nps')))[0],
    ).toMatchObject({ minValue: -100, maxValue: 100 });
    await defineIndicators(database.db, owner, norfolk, [
      { code: 'nps', minValue: null, maxValue: null },
    ]);
    expect(
      (await database.db.select().from(indicators).where(eq(indicators.code, 'nps')))[0],
    ).toMatchObject({ minValue: null, maxValue: null });
  });
});
