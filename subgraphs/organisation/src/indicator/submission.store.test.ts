import { describe, expect, it } from 'vitest';
import { findEntry, loadRegistry } from '@crossgov/schema';
import { type Principal, Scope } from '@crossgov/schema/auth';
import { count, eq } from 'drizzle-orm';
import { STORAGE } from '@crossgov/testing/database';
import { seededDatabase } from '@crossgov/testing/fixtures';
import { itRefusesCallersWhoMayNotWrite } from '@crossgov/testing/refusals';
import {
  indicators,
  measurementDrafts,
  measurementRevisions,
  measurements,
  returns,
} from '../db/schema.ts';
import { createLoaders } from '../loaders.ts';
import { publishPeriod, submitMeasurements } from './submission.store.ts';

const principal = (organisation: string | null, scopes: Scope[]): Principal => ({
  subject: 'ana',
  organisation,
  publisher: null,
  scopes: new Set(scopes),
  anonymous: false,
});
const owner = principal('norfolk', [Scope.WRITE, Scope.READ_DRAFTS]);
const norfolk = findEntry(loadRegistry(), 'norfolk');
const TODAY = '2026-11-21';

describe(`submitting and publishing measurements on ${STORAGE}`, () => {
  const database = seededDatabase(norfolk);
  const counts = async () => {
    const [[m], [d], [r]] = await Promise.all([
      database.db.select({ n: count() }).from(measurements),
      database.db.select({ n: count() }).from(measurementDrafts),
      database.db.select({ n: count() }).from(measurementRevisions),
    ]);
    return { measurements: m!.n, drafts: d!.n, revisions: r!.n };
  };
  const availabilityId = async () =>
    (
      await database.db
        .select({ id: indicators.id })
        .from(indicators)
        .where(eq(indicators.code, '636'))
    )[0]!.id;
  const availability = async () => ({ organisationId: norfolk.id, id: await availabilityId() });
  const published = async (period: string) => {
    const rows = await createLoaders(database.db).measurementsByIndicator.load(
      await availability(),
    );
    return rows.find((row) => row.period === period && row.serviceId === null)?.value;
  };

  itRefusesCallersWhoMayNotWrite({
    organisation: 'norfolk',
    other: 'suffolk',
    writes: [
      (caller) =>
        submitMeasurements(
          database.db,
          caller,
          norfolk,
          [{ indicatorCode: '636', period: '2019-03', value: 98 }],
          TODAY,
        ),
      (caller) => publishPeriod(database.db, caller, norfolk, '2019-03'),
    ],
    unchanged: counts,
  });

  it('names the organisation and the missing scope when it forbids a write', async () => {
    await expect(
      submitMeasurements(database.db, principal('norfolk', []), norfolk, [], TODAY),
    ).rejects.toThrow(/norfolk.*"write"/);
  });

  it('lets an administrator write any organisation', async () => {
    await expect(
      submitMeasurements(database.db, principal(null, [Scope.ADMIN]), norfolk, [], TODAY),
    ).resolves.toEqual({ accepted: 0 });
  });

  it('lists every invalid row with its row number and writes nothing', async () => {
    const before = await counts();
    const error = await submitMeasurements(
      database.db,
      owner,
      norfolk,
      [
        { indicatorCode: '636', period: '2019-03', value: 98 },
        { indicatorCode: 'nope', period: '2019-03', value: 1 },
        { indicatorCode: '323', period: '2019-01', numerator: 2299, denominator: 1483 },
        { indicatorCode: '636', period: '2019-13', value: 98, serviceId: 'no-such-service' },
      ],
      TODAY,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const { message, extensions } = error as {
      message: string;
      extensions: { problems: { row: number; field: string }[] };
    };
    expect(message).toMatch(
      /^3 invalid rows: row 2 \(indicator nope, period 2019-03\): indicatorCode "nope" is not an indicator/,
    );
    expect(message).toContain(
      'row 3 (indicator 323, period 2019-01): numerator 2299 must not be above its denominator (1483)',
    );
    expect(extensions.problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'indicatorCode'],
      [3, 'numerator'],
      [4, 'serviceId'],
      [4, 'period'],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('replaces a draft sent again instead of counting it twice, and keeps both versions in the history', async () => {
    const before = await counts();
    expect(
      await submitMeasurements(
        database.db,
        owner,
        norfolk,
        [{ indicatorCode: '636', period: '2019-03', value: 97 }],
        TODAY,
      ),
    ).toEqual({ accepted: 1 });
    expect(
      await submitMeasurements(
        database.db,
        owner,
        norfolk,
        [{ indicatorCode: '636', period: '2019-03', value: 98 }],
        TODAY,
      ),
    ).toEqual({ accepted: 1 });
    expect(await counts()).toEqual({
      ...before,
      drafts: before.drafts + 1,
      revisions: before.revisions + 2,
    });
    const [draft] = await database.db
      .select()
      .from(measurementDrafts)
      .where(eq(measurementDrafts.period, '2019-03'));
    expect(draft).toMatchObject({ value: 98, submittedBy: 'ana' });
    expect(await published('2019-03')).toBeUndefined();
  });

  it('keeps the published value of a corrected figure until the correction is published', async () => {
    expect(await published('2018-09')).toBe(99);
    await submitMeasurements(
      database.db,
      owner,
      norfolk,
      [{ indicatorCode: '636', period: '2018-09', value: 95 }],
      TODAY,
    );
    expect(await published('2018-09')).toBe(99);
    const asOwner = await createLoaders(database.db, {
      drafts: (organisationId) => organisationId === norfolk.id,
    }).measurementsByIndicator.load(await availability());
    expect(asOwner.find((row) => row.period === '2018-09')).toMatchObject({
      value: 95,
      draft: true,
    });
    expect(await publishPeriod(database.db, owner, norfolk, '2018-09', '2026-11-21')).toEqual({
      published: 1,
    });
    expect(await published('2018-09')).toBe(95);
  });

  it('moves the drafts of a period into the published figures, appends their revisions and records the return', async () => {
    const before = await counts();
    expect(await publishPeriod(database.db, owner, norfolk, '2019-03', '2026-11-21')).toEqual({
      published: 1,
    });
    expect(await counts()).toEqual({
      measurements: before.measurements + 1,
      drafts: before.drafts - 1,
      revisions: before.revisions + 1,
    });
    expect(await published('2019-03')).toBe(98);
    const history = await database.db
      .select()
      .from(measurementRevisions)
      .where(eq(measurementRevisions.period, '2019-03'))
      .orderBy(measurementRevisions.id);
    expect(history.map((r) => [r.status, r.value])).toEqual([
      ['DRAFT', 97],
      ['DRAFT', 98],
      ['PUBLISHED', 98],
    ]);
    const [received] = await database.db
      .select()
      .from(returns)
      .where(eq(returns.period, '2019-03'));
    expect(received).toMatchObject({
      dataset: `indicator:${await availabilityId()}`,
      receivedOn: '2026-11-21',
    });
    expect(await publishPeriod(database.db, owner, norfolk, '2019-03')).toEqual({ published: 0 });
  });

  it('refuses to publish something that is not a period', async () => {
    await expect(publishPeriod(database.db, owner, norfolk, 'March')).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'period' },
    });
  });
});
