import { describe, expect, it } from 'vitest';
import { findEntry, loadRegistry } from '@crossgov/schema';
import { type Principal, Scope } from '@crossgov/schema/auth';
import { and, count, eq } from 'drizzle-orm';
import { STORAGE } from '@crossgov/testing/database';
import { seededDatabase } from '@crossgov/testing/fixtures';
import { itRefusesCallersWhoMayNotWrite } from '@crossgov/testing/refusals';
import { readChanges } from '../changes/change.store.ts';
import { changeLog, targets } from '../db/schema.ts';
import { setTargets, validateTargets } from './target.store.ts';

const principal = (organisation: string | null, scopes: Scope[]): Principal => ({
  subject: 'ana',
  organisation,
  publisher: null,
  scopes: new Set(scopes),
  anonymous: false,
});
const owner = principal('norfolk', [Scope.WRITE]);
const norfolk = findEntry(loadRegistry(), 'norfolk');

describe(`setting targets on ${STORAGE}`, () => {
  const database = seededDatabase(norfolk);
  const counts = async () => {
    const [[t], [c]] = await Promise.all([
      database.db.select({ n: count() }).from(targets),
      database.db.select({ n: count() }).from(changeLog),
    ]);
    return { targets: t!.n, changes: c!.n };
  };
  const target = async (code: string, fromPeriod: string) =>
    (
      await database.db
        .select()
        .from(targets)
        .where(and(eq(targets.indicatorId, code), eq(targets.fromPeriod, fromPeriod)))
    )[0];

  itRefusesCallersWhoMayNotWrite({
    organisation: 'norfolk',
    other: 'suffolk',
    writes: [
      (caller) =>
        setTargets(database.db, caller, norfolk, [
          { indicatorCode: '608', fromPeriod: '2019-03', value: 9 },
        ]),
    ],
    unchanged: counts,
  });

  it('replaces a target sent again instead of counting it twice, and logs both versions', async () => {
    const before = await counts();
    expect(
      await setTargets(database.db, owner, norfolk, [
        { indicatorCode: '608', fromPeriod: '2019-03', value: 12 },
      ]),
    ).toEqual({ accepted: 1 });
    expect(
      await setTargets(database.db, owner, norfolk, [
        { indicatorCode: '608', fromPeriod: '2019-03', value: 11 },
      ]),
    ).toEqual({ accepted: 1 });
    expect(await counts()).toEqual({ targets: before.targets + 1, changes: before.changes + 2 });
    expect(await target('608', '2019-03')).toMatchObject({ fromDate: '2019-03-01', value: 11 });
    const [second, first] = await readChanges(database.db, {
      organisationId: norfolk.id,
      record: 'target',
      key: '608@2019-03',
    });
    expect(first).toMatchObject({
      previous: null,
      current: { indicatorId: '608', fromPeriod: '2019-03', fromDate: '2019-03-01', value: 12 },
      actor: 'ana',
    });
    expect(second).toMatchObject({ previous: { value: 12 }, current: { value: 11 }, actor: 'ana' });
  });

  it('logs the published target a new value replaces', async () => {
    expect(await target('608', '2019-02')).toMatchObject({ value: 10 });
    await setTargets(database.db, owner, norfolk, [
      { indicatorCode: '608', fromPeriod: '2019-02', value: 9.5 },
    ]);
    const [change] = await readChanges(database.db, {
      organisationId: norfolk.id,
      key: '608@2019-02',
    });
    expect(change).toMatchObject({
      record: 'target',
      previous: { value: 10, fromDate: '2019-02-01' },
      current: { value: 9.5 },
    });
  });

  it('counts the same target twice in one submission once: the later row wins', async () => {
    const before = await counts();
    expect(
      await setTargets(database.db, owner, norfolk, [
        { indicatorCode: '636', fromPeriod: '2019-04', value: 97 },
        { indicatorCode: '636', fromPeriod: '2019-04', value: 98 },
      ]),
    ).toEqual({ accepted: 1 });
    expect(await counts()).toEqual({ targets: before.targets + 1, changes: before.changes + 1 });
    expect(await target('636', '2019-04')).toMatchObject({ value: 98 });
  });

  it('lists every invalid row with its row number, field, value and rule, and writes nothing', async () => {
    const before = await counts();
    const error = await setTargets(database.db, owner, norfolk, [
      { indicatorCode: '608', fromPeriod: '2019-05', value: 8 },
      { indicatorCode: 'nope', fromPeriod: '2019-05', value: 1 },
      { indicatorCode: '608', fromPeriod: '2019-13', value: 120 },
      { indicatorCode: '323', fromPeriod: '2019-05', value: Number.NaN, row: 40 },
      { indicatorCode: '320', fromPeriod: '2018/19-Q4', value: 34000 },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const { message, extensions } = error as {
      message: string;
      extensions: { problems: { row: number; field: string; value: unknown; rule: string }[] };
    };
    expect(message).toMatch(/^4 invalid rows: /);
    expect(message).toContain('indicatorCode "nope" is not an indicator of norfolk');
    expect(message).toContain('value NaN must be a finite number');
    expect(extensions.problems.map((p) => [p.row, p.field, p.value])).toEqual([
      [2, 'indicatorCode', 'nope'],
      [3, 'fromPeriod', '2019-13'],
      [3, 'value', 120],
      [5, 'fromPeriod', '2018/19-Q4'],
      [40, 'value', Number.NaN],
    ]);
    expect(extensions.problems.find((p) => p.row === 3 && p.field === 'value')!.rule).toBe(
      'must be between 0 and 100 for a percentage',
    );
    expect(extensions.problems.find((p) => p.row === 5)!.rule).toMatch(
      /starts on 2019-01-01, as indicator 320's target from 2019-01 does: send 2019-01 to replace that target/,
    );
    expect(await counts()).toEqual(before);
  });

  it('validates without writing, so an importer can check a whole file first', async () => {
    const before = await counts();
    const { records, problems } = await validateTargets(database.db, norfolk, [
      { indicatorCode: '610', fromPeriod: '2024/25', value: 30 },
    ]);
    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        organisationId: 'norfolk',
        indicatorId: '610',
        indicatorCode: '610',
        period: expect.objectContaining({ label: '2024/25', start: '2024-04-01' }),
        value: 30,
      },
    ]);
    expect(await counts()).toEqual(before);
  });
});
