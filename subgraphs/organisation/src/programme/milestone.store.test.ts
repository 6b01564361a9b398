import { describe, expect, it } from 'vitest';
import { findEntry, loadRegistry } from '@crossgov/schema';
import { type Principal, Scope } from '@crossgov/schema/auth';
import { count, eq } from 'drizzle-orm';
import { STORAGE } from '@crossgov/testing/database';
import { seededDatabase } from '@crossgov/testing/fixtures';
import { itRefusesCallersWhoMayNotWrite } from '@crossgov/testing/refusals';
import { readChanges } from '../changes/change.store.ts';
import { changeLog, milestoneForecasts, milestones, returns } from '../db/schema.ts';
import { recordMilestoneForecast, recordMilestoneReturns } from './milestone.store.ts';

const principal = (organisation: string | null, scopes: Scope[]): Principal => ({
  subject: 'sam',
  organisation,
  publisher: null,
  scopes: new Set(scopes),
  anonymous: false,
});
const owner = principal('synergy', [Scope.WRITE]);
const synergy = findEntry(loadRegistry(), 'synergy');
// Synergy's third milestone, "Business process services engagement": planned, two returns seeded.
const ENGAGEMENT = 'synergy-programme-3';

describe(`recording milestone returns on ${STORAGE}`, () => {
  const database = seededDatabase(synergy);
  const counts = async () => {
    const [[f], [c], [r]] = await Promise.all([
      database.db.select({ n: count() }).from(milestoneForecasts),
      database.db.select({ n: count() }).from(changeLog),
      database.db.select({ n: count() }).from(returns),
    ]);
    return { forecasts: f!.n, changes: c!.n, returns: r!.n };
  };
  const milestone = async (id: string) =>
    (await database.db.select().from(milestones).where(eq(milestones.id, id)))[0]!;

  itRefusesCallersWhoMayNotWrite({
    organisation: 'synergy',
    other: 'matrix',
    writes: [
      (caller) =>
        recordMilestoneReturns(database.db, caller, synergy, [
          { milestoneId: ENGAGEMENT, returnDate: '2026-10-01', forecast: '2026-Q4' },
        ]),
    ],
    unchanged: counts,
  });

  it("adds a snapshot, makes it the milestone's forecast, records the quarter's return and logs it as new", async () => {
    const before = await counts();
    expect(
      await recordMilestoneReturns(database.db, owner, synergy, [
        {
          milestoneId: ENGAGEMENT,
          returnDate: '2026-10-01',
          forecast: '2026-Q4',
          note: 'Slipped a quarter',
        },
      ]),
    ).toEqual({
      accepted: 1,
    });
    expect(await counts()).toEqual({
      forecasts: before.forecasts + 1,
      changes: before.changes + 1,
      returns: before.returns + 1,
    });
    expect(await milestone(ENGAGEMENT)).toMatchObject({
      forecastDate: '2026-10-01',
      forecastPrecision: 'QUARTER',
      actualDate: null,
      baselineDate: '2025-07-01',
    });
    const [received] = await database.db
      .select()
      .from(returns)
      .where(eq(returns.period, '2026-Q4'));
    expect(received).toEqual({
      organisationId: 'synergy',
      dataset: 'milestones',
      period: '2026-Q4',
      receivedOn: '2026-10-01',
    });
    const [change] = await readChanges(database.db, {
      organisationId: synergy.id,
      key: `${ENGAGEMENT}@2026-10-01`,
    });
    expect(change).toMatchObject({
      record: 'milestone-return',
      previous: null,
      current: {
        milestoneId: ENGAGEMENT,
        returnDate: '2026-10-01',
        forecastDate: '2026-10-01',
        forecastPrecision: 'QUARTER',
        note: 'Slipped a quarter',
        actualDate: null,
      },
      actor: 'sam',
    });
  });

  it('replaces a return sent again instead of adding a second snapshot, and logs what it replaced', async () => {
    const before = await counts();
    await recordMilestoneReturns(database.db, owner, synergy, [
      { milestoneId: ENGAGEMENT, returnDate: '2026-10-01', forecast: '2027-01' },
    ]);
    expect(await counts()).toEqual({ ...before, changes: before.changes + 1 });
    expect(await milestone(ENGAGEMENT)).toMatchObject({
      forecastDate: '2027-01-01',
      forecastPrecision: 'MONTH',
    });
    const [change] = await readChanges(database.db, {
      organisationId: synergy.id,
      record: 'milestone-return',
      key: `${ENGAGEMENT}@2026-10-01`,
    });
    expect(change).toMatchObject({
      previous: {
        forecastDate: '2026-10-01',
        forecastPrecision: 'QUARTER',
        note: 'Slipped a quarter',
      },
      current: { forecastDate: '2027-01-01', forecastPrecision: 'MONTH', note: null },
    });
  });

  it("keeps the latest return's forecast when an older return arrives late", async () => {
    await recordMilestoneReturns(database.db, owner, synergy, [
      { milestoneId: ENGAGEMENT, returnDate: '2026-06-30', forecast: '2026-09' },
    ]);
    expect(await milestone(ENGAGEMENT)).toMatchObject({
      forecastDate: '2027-01-01',
      forecastPrecision: 'MONTH',
    });
    const history = await database.db
      .select()
      .from(milestoneForecasts)
      .where(eq(milestoneForecasts.milestoneId, ENGAGEMENT))
      .orderBy(milestoneForecasts.returnDate);
    expect(history.map((f) => [f.returnDate, f.forecastDate])).toEqual([
      ['2024-09-30', '2025-07-01'],
      ['2025-05-31', '2026-03-01'],
      ['2026-06-30', '2026-09-01'],
      ['2026-10-01', '2027-01-01'],
    ]);
  });

  it("sets the milestone's actual date from a return that reports it done, and logs it", async () => {
    await recordMilestoneReturns(database.db, owner, synergy, [
      {
        milestoneId: ENGAGEMENT,
        returnDate: '2026-11-02',
        forecast: '2026-10-20',
        actual: '2026-10-20',
      },
    ]);
    expect(await milestone(ENGAGEMENT)).toMatchObject({
      actualDate: '2026-10-20',
      actualPrecision: 'DAY',
      forecastDate: '2026-10-20',
    });
    const [change] = await readChanges(database.db, {
      organisationId: synergy.id,
      key: `${ENGAGEMENT}@2026-11-02`,
    });
    expect(change).toMatchObject({
      previous: null,
      current: { actualDate: '2026-10-20', actualPrecision: 'DAY' },
    });
  });

  it('lists every invalid row with its row number, field, value and rule, and writes nothing', async () => {
    const before = await counts();
    const before_milestone = await milestone('synergy-programme-2');
    const error = await recordMilestoneReturns(database.db, owner, synergy, [
      { milestoneId: 'synergy-programme-2', returnDate: '2026-12-01', forecast: '2024-08-30' },
      { milestoneId: 'no-such-milestone', returnDate: '2026-12-01', forecast: '2027' },
      { milestoneId: ENGAGEMENT, returnDate: '2026-12', forecast: 'spring 2027' },
      {
        milestoneId: ENGAGEMENT,
        returnDate: '2026-12-01',
        forecast: '2026-11',
        actual: '2026-12-15',
        row: 9,
      },
      { milestoneId: ENGAGEMENT, returnDate: '2026-02-30', forecast: '2026-Q5', actual: '2026-13' },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const { message, extensions } = error as {
      message: string;
      extensions: { problems: { row: number; field: string; value: unknown; rule: string }[] };
    };
    expect(message).toMatch(/^4 invalid rows: /);
    expect(message).toContain('milestoneId "no-such-milestone" is not a milestone of synergy');
    expect(extensions.problems.map((p) => [p.row, p.field, p.value])).toEqual([
      [2, 'milestoneId', 'no-such-milestone'],
      [3, 'returnDate', '2026-12'],
      [3, 'forecast', 'spring 2027'],
      [5, 'returnDate', '2026-02-30'],
      [5, 'forecast', '2026-Q5'],
      [5, 'actual', '2026-13'],
      [9, 'actual', '2026-12-15'],
    ]);
    const rule = (row: number, field: string) =>
      extensions.problems.find((p) => p.row === row && p.field === field)!.rule;
    expect(rule(3, 'returnDate')).toMatch(/^must be a full date \(YYYY-MM-DD\)/);
    expect(rule(3, 'forecast')).toMatch(/^is not in a known format: use YYYY-MM-DD/);
    expect(rule(5, 'returnDate')).toBe('is not a real calendar day');
    expect(rule(5, 'actual')).toBe('has month 13, which must be 01-12');
    expect(rule(9, 'actual')).toMatch(/^is after the return date 2026-12-01/);
    expect(await counts()).toEqual(before);
    expect(await milestone('synergy-programme-2')).toEqual(before_milestone);
  });

  it('still records a single forecast for scripts, through the same rules, logged as the system', async () => {
    await recordMilestoneForecast(database.db, synergy.id, {
      milestoneId: 'synergy-programme-2',
      returnDate: '2026-12-01',
      forecast: '2024-08-30',
      note: 'Done',
    });
    const [change] = await readChanges(database.db, {
      organisationId: synergy.id,
      key: 'synergy-programme-2@2026-12-01',
    });
    expect(change).toMatchObject({ actor: 'system', current: { forecastDate: '2024-08-30' } });
    await expect(
      recordMilestoneForecast(database.db, synergy.id, {
        milestoneId: 'nope',
        returnDate: '2026-12-01',
        forecast: '2027',
      }),
    ).rejects.toThrow(/milestoneId "nope" is not a milestone of synergy/);
  });
});
