import { createServer } from 'node:net';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { queryRows } from '@crossgov/schema/db';
import { startGateway } from '@crossgov/gateway';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type TestGraph, postGraphQL, startTestGraph } from '@crossgov/testing/graph';
import { snapshotTables } from '@crossgov/testing/snapshot';
import { tokenFor } from '@crossgov/testing/tokens';

// Issue 13, cases 2 and 6: one published figure (a score of 1.7e308; a value its numerator 1e308
// over its denominator 1e-308 makes Infinity) crashed the gateway or broke shared views for every
// reader. Now every write path refuses it, and a row stored before the rules is left out and named.

const auth: AuthConfig = { secret: 'poison-e2e-secret-'.padEnd(48, 'p') };
const PAID = 'ss-invoices-paid-5-days';
const NPS = 'ss-net-promoter-score';
const COST = 'ss-cost-per-employee';

interface Refusal {
  errors: {
    message: string;
    extensions: {
      code: string;
      problems: { row: number; field: string; value: unknown; rule: string }[];
    };
  }[];
}
interface League {
  period: string;
  rows: { organisationId: string; value: number; rank: number }[];
  notReported: { organisationId: string; organisationName: string; reason: string }[];
}
interface Entry {
  indicator: string;
  latest: { period: string; value: number } | null;
  unreadable: {
    organisationId: string;
    indicator: string;
    period: string;
    field: string;
    value: string;
    rule: string;
    message: string;
  }[];
}

/** Text of a page without its markup, for reading what it says. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

describe(`one figure cannot poison shared views, on ${STORAGE}`, () => {
  let graph: TestGraph;
  let base: string;
  let unityToken: string;
  const unity = () => graph.organisations.get('unity')!.database;
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: await response.text() };
  };
  const league = async (period: string) =>
    (
      await graph.query<{ government: { league: League } }>(
        `query L($p: String) { government { league(indicator: "${PAID}", period: $p) { period rows { organisationId value rank } notReported { organisationId organisationName reason } } } }`,
        { p: period },
      )
    ).data!.government.league;
  const scorecards = async () =>
    (
      await graph.query<{ organisations: { id: string; scorecard: Entry[] | null }[] }>(
        '{ organisations { id scorecard(periods: 24) { indicator latest { period value } unreadable { organisationId indicator period field value rule message } } } }',
      )
    ).data!.organisations;
  const importFile = async (body: string, type: string) => {
    const response = await fetch(`${base}organisations/unity/imports?publish=true`, {
      method: 'POST',
      headers: { 'content-type': type, authorization: `Bearer ${unityToken}` },
      body,
    });
    return { status: response.status, body: (await response.json()) as Refusal };
  };

  beforeAll(async () => {
    graph = await startTestGraph({ auth });
    base = new URL('.', graph.gatewayUrl).href;
    unityToken = await tokenFor(auth, 'unity', [Scope.WRITE, Scope.READ_DRAFTS]);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  describe('the poisoned writes are refused, naming field, value and rule, and nothing is written', () => {
    it('refuses a score of 1.7e308 imported with publish=true (case 2), and the page it crashed still answers', async () => {
      const before = await snapshotTables(unity());
      const { status, body } = await importFile(
        `indicator_code,period,value\n${NPS},2023-Q4,1.7e308\n`,
        'text/csv',
      );
      expect(status).toBe(400);
      expect(body.errors[0]!.extensions.problems).toEqual([
        {
          row: 2,
          context: `indicator ${NPS}, period 2023-Q4`,
          field: 'value',
          value: 1.7e308,
          rule: 'must be between -1,000,000,000 and 1,000,000,000 for a score',
        },
      ]);
      expect(body.errors[0]!.message).toContain(
        'value 1.7e+308 must be between -1,000,000,000 and 1,000,000,000 for a score',
      );
      expect(await snapshotTables(unity())).toEqual(before);
      expect((await get('organisations/unity')).status).toBe(200);
    });

    it('refuses numerator 1e308 over denominator 1e-308, whose value overflows to Infinity (case 6)', async () => {
      const before = await snapshotTables(unity());
      const { status, body } = await importFile(
        JSON.stringify({
          measurements: [
            { indicatorCode: COST, period: '2023-Q4', numerator: 1e308, denominator: 1e-308 },
          ],
        }),
        'application/json',
      );
      expect(status).toBe(400);
      expect(body.errors[0]!.extensions.problems.map((p) => [p.field, p.value, p.rule])).toEqual([
        [
          'numerator',
          1e308,
          'must be at most 1,000,000,000,000,000: a numerator or denominator is a count or an amount',
        ],
        // JSON has no Infinity: the value is named in the message, and in problems as null.
        ['value', null, '(derived: numerator 1e+308 / denominator 1e-308) must be a finite number'],
      ]);
      expect(body.errors[0]!.message).toContain(
        'value Infinity (derived: numerator 1e+308 / denominator 1e-308) must be a finite number',
      );
      expect(await snapshotTables(unity())).toEqual(before);
    });

    it('refuses the same figures through the mutation, and a target and a range outside what the unit allows', async () => {
      const before = await snapshotTables(unity());
      const { errors } = await postGraphQL<unknown>(
        graph.gatewayUrl,
        `mutation { unity {
          submitMeasurements(measurements: [{ indicatorCode: "${NPS}", period: "2023-Q4", value: 1.7e308 }, { indicatorCode: "${COST}", period: "2023-Q4", numerator: 1e15, denominator: 1e-300 }]) { accepted }
        } }`,
        undefined,
        unityToken,
      );
      expect(errors![0]!.message).toMatch(
        /^2 invalid rows: row 1 \(indicator ss-net-promoter-score, period 2023-Q4\): value 1.7e\+308 must be between -1,000,000,000 and 1,000,000,000 for a score; row 2 .*: value Infinity \(derived: numerator 1000000000000000 \/ denominator 1e-300\) must be a finite number$/,
      );
      const targets = await postGraphQL<unknown>(
        graph.gatewayUrl,
        `mutation { unity { setTargets(targets: [{ indicatorCode: "${NPS}", fromPeriod: "2026-Q4", value: 5e9 }]) { accepted } } }`,
        undefined,
        unityToken,
      );
      expect(targets.errors![0]!.message).toBe(
        '1 invalid row: row 1 (indicator ss-net-promoter-score, from 2026-Q4): value 5000000000 must be between -1,000,000,000 and 1,000,000,000 for a score',
      );
      const range = await postGraphQL<unknown>(
        graph.gatewayUrl,
        `mutation { unity { defineIndicators(indicators: [{ code: "${NPS}", minValue: -100, maxValue: 1e12 }]) { accepted } } }`,
        undefined,
        unityToken,
      );
      expect(range.errors![0]!.message).toBe(
        '1 invalid row: row 1 (indicator ss-net-promoter-score): maxValue 1000000000000 must be between -1,000,000,000 and 1,000,000,000, what a score can be',
      );
      expect(await snapshotTables(unity())).toEqual(before);
    });
  });

  it("sets an indicator's own range through a definitions CSV and a JSON import, and refuses figures and targets outside it", async () => {
    const csv =
      'code,name,unit,polarity,frequency,min_value,max_value\nunity-sla,Tickets closed within SLA,percent,bigger,monthly,50,99.5\n';
    const defined = await fetch(`${base}organisations/unity/imports`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${unityToken}` },
      body: csv,
    });
    expect(defined.status).toBe(200);
    const json = {
      indicators: [
        {
          code: 'unity-backlog',
          name: 'Backlog',
          unit: 'COUNT',
          polarity: 'SMALLER_IS_BETTER',
          frequency: 'MONTHLY',
          maxValue: 10000,
        },
      ],
    };
    expect((await importFile(JSON.stringify(json), 'application/json')).status).toBe(200);
    const { data } = await graph.query<{
      unity: { indicators: { code: string; minValue: number | null; maxValue: number | null }[] };
    }>('{ unity { indicators { code minValue maxValue } } }');
    expect(data!.unity.indicators.filter((i) => i.code.startsWith('unity-'))).toEqual([
      { code: 'unity-sla', minValue: 50, maxValue: 99.5 },
      { code: 'unity-backlog', minValue: null, maxValue: 10000 },
    ]);
    const before = await snapshotTables(unity());
    const { status, body } = await importFile(
      'indicator_code,period,value,target\nunity-sla,2026-10,99.8,\nunity-backlog,2026-10,12000,\nunity-sla,2026-09,90,40\n',
      'text/csv',
    );
    expect(status).toBe(400);
    expect(
      body.errors[0]!.extensions.problems.map((p) => [p.row, p.field, p.value, p.rule]),
    ).toEqual([
      [
        2,
        'value',
        99.8,
        'must be between 50 and 99.5: the range indicator unity-sla sets (its minValue and maxValue)',
      ],
      [
        3,
        'value',
        12000,
        'must be at most 10,000: the range indicator unity-backlog sets (its minValue and maxValue)',
      ],
      [
        4,
        'target',
        40,
        'must be between 50 and 99.5: the range indicator unity-sla sets (its minValue and maxValue)',
      ],
    ]);
    expect(await snapshotTables(unity())).toEqual(before);
  });

  describe('rows stored before the rules', () => {
    let period: string;
    let leagueBefore: League;
    let othersBefore: string;
    let npsQuarter: string;

    beforeAll(async () => {
      // The latest period every cluster reported: the league of it is whole before the row is injected.
      leagueBefore = await league((await league(null as unknown as string)).period);
      for (let back = 0; leagueBefore.rows.length < 5 && back < 6; back++) {
        const [year, month] = leagueBefore.period.split('-').map(Number) as [number, number];
        const earlier =
          month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
        leagueBefore = await league(earlier);
      }
      period = leagueBefore.period;
      expect(leagueBefore.rows.map((r) => r.organisationId)).toContain('unity');
      othersBefore = JSON.stringify((await scorecards()).filter((o) => o.id !== 'unity'));
      const [nps] = await queryRows<{ period: string }>(
        unity().db,
        sql`SELECT period FROM measurements WHERE indicator_id = ${NPS} ORDER BY period_start DESC LIMIT 1`,
      );
      npsQuarter = nps!.period;
      // Written straight into the database, as the probes' figures were before the rules: the
      // organisation's own figure (it wins over its departments'), a score no scale has, and a target of Infinity.
      const poison = async (
        indicator: string,
        label: string,
        value: string,
        numerator: string | null,
        denominator: string | null,
      ) => {
        const parts = sql.raw(
          `'${value}'::float8, ${numerator ?? 'NULL'}::float8, ${denominator ?? 'NULL'}::float8`,
        );
        const updated = await queryRows(
          unity().db,
          sql`UPDATE measurements SET (value, numerator, denominator) = (${parts}) WHERE indicator_id = ${indicator} AND period = ${label} AND service_id IS NULL AND department IS NULL RETURNING period`,
        );
        if (updated.length > 0) return;
        await queryRows(
          unity().db,
          sql`INSERT INTO measurements (organisation_id, indicator_id, service_id, department, period, period_type, period_start, period_end, value, numerator, denominator, synthetic)
            SELECT organisation_id, indicator_id, NULL, NULL, period, period_type, period_start, period_end, ${parts}, false
            FROM measurements WHERE indicator_id = ${indicator} AND period = ${label} LIMIT 1`,
        );
      };
      await poison(PAID, period, 'Infinity', '1e308', '1e-308');
      await poison(NPS, npsQuarter, '1.7e308', null, null);
      await queryRows(
        unity().db,
        sql`INSERT INTO targets (organisation_id, indicator_id, from_period, from_date, value) VALUES ('unity', ${NPS}, '2025-Q1', '2025-01-01', 'NaN'::float8)
          ON CONFLICT (organisation_id, indicator_id, from_period) DO UPDATE SET value = excluded.value`,
      );
    });

    it('leaves them out of the scorecard, naming the organisation, indicator, period and rule, and changes nobody else', async () => {
      const after = await scorecards();
      expect(JSON.stringify(after.filter((o) => o.id !== 'unity'))).toBe(othersBefore);
      const cards = after.find((o) => o.id === 'unity')!.scorecard!;
      expect(cards.map((c) => c.indicator)).toEqual(expect.arrayContaining([PAID, NPS, COST]));
      const paid = cards.find((c) => c.indicator === PAID)!;
      expect(Number.isFinite(paid.latest!.value)).toBe(true);
      expect(paid.unreadable).toEqual([
        {
          organisationId: 'unity',
          indicator: PAID,
          period,
          field: 'value',
          value: 'Infinity',
          rule: 'must be a finite number',
          message: `unity, indicator ${PAID}, ${period}: value Infinity must be a finite number; the figure is left out`,
        },
        expect.objectContaining({ field: 'numerator', value: '1e+308' }),
      ]);
      expect(
        cards
          .find((c) => c.indicator === NPS)!
          .unreadable.map((u) => [u.period, u.field, u.value, u.rule]),
      ).toEqual([
        [
          npsQuarter,
          'value',
          '1.7e+308',
          'must be between -1,000,000,000 and 1,000,000,000 for a score',
        ],
        ['2025-Q1', 'target', 'NaN', 'must be a finite number'],
      ]);
      // A target is a non-null number: the one that is not is left out, not every indicator with it.
      const { data, errors } = await graph.query<{
        unity: { indicators: { code: string; targets: { fromPeriod: string }[] }[] };
      }>('{ unity { indicators { code targets { fromPeriod value } } } }');
      expect(errors).toBeUndefined();
      expect(
        data!.unity.indicators.find((i) => i.code === NPS)!.targets.map((t) => t.fromPeriod),
      ).not.toContain('2025-Q1');
    });

    it('keeps the overview whole and says which figures it could not read', async () => {
      const { status, body } = await get('');
      expect(status).toBe(200);
      const words = text(body);
      expect(words).toContain(
        `Unity, Invoices paid within 5 days, ${period}: value Infinity must be a finite number.`,
      );
      expect(words).toContain(
        `Unity, Net Promoter Score, ${npsQuarter}: value 1.7e+308 must be between -1,000,000,000 and 1,000,000,000 for a score.`,
      );
      expect(words).not.toContain('No answer from');
      for (const name of [
        'Defence',
        'Matrix',
        'Overseas',
        'Synergy',
        'Unity',
        'Norfolk County Council',
      ])
        expect(words).toContain(name);
    });

    it('keeps the league whole, naming the organisation whose figure could not be read (/compare)', async () => {
      const after = await league(period);
      expect(after.rows.map((r) => [r.organisationId, r.value])).toEqual(
        leagueBefore.rows
          .filter((r) => r.organisationId !== 'unity')
          .map((r) => [r.organisationId, r.value]),
      );
      expect(after.notReported).toContainEqual({
        organisationId: 'unity',
        organisationName: 'Unity',
        reason: `its figure for ${period} could not be read: value Infinity must be a finite number`,
      });
      const { status, body } = await get(`compare?indicator=${PAID}&period=${period}`);
      expect(status).toBe(200);
      expect(text(body)).toContain(
        `Unity: its figure for ${period} could not be read: value Infinity must be a finite number`,
      );
      expect((await get('compare')).status).toBe(200);
    });

    it("renders the organisation's page with every other figure and a list of what it left out", async () => {
      const { status, body } = await get('organisations/unity');
      expect(status).toBe(200);
      const words = text(body);
      expect(words).toContain(
        `Unity, Invoices paid within 5 days, ${period}: value Infinity must be a finite number.`,
      );
      expect(words).toContain(
        'Unity, Net Promoter Score, target from 2025-Q1: target NaN must be a finite number.',
      );
      // A chart for every indicator, the poisoned ones included.
      const { data } = await graph.query<{ unity: { indicators: unknown[] } }>(
        '{ unity { indicators { code } } }',
      );
      expect(body.match(/class="app-chart app-chart--spc"/g)!.length).toBe(
        data!.unity.indicators.length,
      );
      expect(words).toContain('Payroll accuracy');
    });

    it('gives every other fact, for every organisation (/facts), and names the figure left out', async () => {
      const response = await fetch(`${base}facts?pageSize=10000`);
      expect(response.status).toBe(200);
      const { data } = (await response.json()) as {
        data: { organisationId: string; indicatorCode: string; period: string; value: number }[];
      };
      const organisations = new Set(data.map((f) => f.organisationId));
      for (const id of ['defence', 'matrix', 'overseas', 'synergy', 'unity', 'hmrc', 'norfolk'])
        expect(organisations, id).toContain(id);
      expect(data.every((f) => typeof f.value === 'number' && Number.isFinite(f.value))).toBe(true);
      expect(
        data.filter(
          (f) => f.organisationId === 'unity' && f.indicatorCode === PAID && f.period === period,
        ),
      ).toEqual([]);
      expect(
        data.filter((f) => f.organisationId === 'unity' && f.indicatorCode === PAID).length,
      ).toBeGreaterThan(10);
      const { data: page } = await graph.query<{
        unity: { facts: { rows: unknown[]; unreadable: { message: string }[] } };
      }>(`{ unity { facts(indicators: ["${PAID}"]) { rows { period } unreadable { message } } } }`);
      expect(page!.unity.facts.unreadable.map((u) => u.message)).toContain(
        `unity, indicator ${PAID}, ${period}: value Infinity must be a finite number; the figure is left out`,
      );
    });

    it('keeps the strategy page and the gateway answering afterwards', async () => {
      expect((await get('strategy')).status).toBe(200);
      for (const path of ['', 'organisations/unity', `compare?indicator=${NPS}`])
        expect((await get(path)).status, path).toBe(200);
      const { data } = await graph.query<{ organisations: { id: string }[] }>(
        '{ organisations { id } }',
      );
      expect(data!.organisations).toHaveLength(graph.registry.organisations.length);
    });
  });

  it('names on the strategy page the organisations whose publisher did not answer', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const gateway = await startGateway({
      supergraphSdl: graph.supergraphSdl,
      subgraphUrls: { ...graph.subgraphUrls, matrix: `http://127.0.0.1:${port}/graphql` },
      subgraphTimeoutMs: 1000,
      port: 0,
      auth,
      logger: pino({ level: 'silent' }),
    });
    try {
      const response = await fetch(new URL('/strategy', gateway.url));
      expect(response.status).toBe(200);
      const words = text(await response.text());
      expect(words).toContain('No answer from Matrix: their programmes are missing below.');
      expect(words).toContain('Synergy shared services programme');
    } finally {
      await gateway.stop();
    }
  });
});
