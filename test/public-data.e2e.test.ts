import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { schemaNameOf } from '@crossgov/schema';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { publicDataDir } from '@crossgov/organisation/sources';
import { ROOT } from '@crossgov/scripts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '@crossgov/testing/database';
import { type TestGraph, startPublicGraph } from '@crossgov/testing/graph';
import { snapshotSchemas } from '@crossgov/testing/snapshot';
import { publisherTokenFor } from '@crossgov/testing/tokens';

// The real government, as `pnpm start -- --public-data ../shared/data/public` runs it: the published
// data sets read by their adapters and imported by the publishers that serve them, then asked the
// questions their users ask, through the gateway. Figures are checked against totals this test
// computes from the raw files itself.

const auth: AuthConfig = { secret: 'public-data-e2e-secret-'.padEnd(48, 'p') };
const DATA = publicDataDir();
const AE_CSV = join(DATA, 'nhs-ae-attendances', 'derived', 'ae_attendances.csv');

/** England's 4-hour performance for a month, from the raw file: 1 - sum of breaches / sum of attendances, every provider and type. */
function englandFourHours(month: string, type?: string): { percent: number; providers: number } {
  const [header, ...lines] = readFileSync(AE_CSV, 'utf8').trim().split('\n');
  const columns = header!.split(',');
  const at = (name: string) => columns.indexOf(name);
  let attendances = 0;
  let breaches = 0;
  const providers = new Set<string>();
  for (const line of lines) {
    const cells = line.split(',');
    if (
      !cells[at('period')]!.startsWith(month) ||
      (type !== undefined && cells[at('type')] !== type)
    )
      continue;
    attendances += Number(cells[at('attendances')]);
    breaches += Number(cells[at('breaches')]);
    providers.add(cells[at('org_code')]!);
  }
  return { percent: (1 - breaches / attendances) * 100, providers: providers.size };
}

let graph: TestGraph & Awaited<ReturnType<typeof startPublicGraph>>;

beforeAll(async () => {
  graph = await startPublicGraph({ auth });
}, 600_000);

afterAll(async () => {
  await graph?.stop();
});

describe('the real government from the published data sets', () => {
  it('serves every department of the GMPP and the Transactions Explorer, the NHS providers, the Scottish councils, the clusters and Norfolk', async () => {
    const answer = await graph.query<{
      publishers: { id: string; organisations: { id: string }[] }[];
    }>('{ publishers { id organisations { id } } }');
    expect(answer.errors).toBeUndefined();
    const served = Object.fromEntries(
      answer.data!.publishers.map((p) => [p.id, p.organisations.length]),
    );
    expect(served).toMatchObject({
      'nhs-england': 274,
      'improvement-service': 32,
      synergy: 1,
      matrix: 1,
      unity: 1,
      defence: 1,
      overseas: 1,
      norfolk: 1,
    });
    expect(served['cabinet-office']).toBeGreaterThanOrEqual(30);
    // HMRC is a department the data sets publish: it is served as published, not generated.
    expect(served.hmrc).toBeUndefined();
  });

  it("answers a department's major projects with their rating history, end-date slippage between publications and the departments they were published under", async () => {
    const answer = await graph.query<{
      organisation: {
        name: string;
        predecessors: { organisationId: string; from: string }[];
        programmes: {
          name: string;
          matchedBy: string;
          publications: { asAt: string; department: string; wholeLifeCost: number | null }[];
          confidenceHistory: {
            assessor: string;
            scale: string;
            rating: string;
            assessedOn: { label: string };
          }[];
          milestones: {
            title: string;
            baseline: { label: string } | null;
            forecast: { label: string } | null;
            slippage: { months: number } | null;
            forecastHistory: { returnDate: string }[];
          }[];
        }[];
      };
    }>(`{ organisation(id: "desnz") { name predecessors { organisationId from } ... on WhitehallDepartment { programmes {
          name matchedBy publications { asAt department wholeLifeCost }
          confidenceHistory { assessor scale rating assessedOn { label } }
          milestones { title baseline { label } forecast { label } slippage { months } forecastHistory { returnDate } } } } } }`);
    expect(answer.errors).toBeUndefined();
    const desnz = answer.data!.organisation;
    expect(desnz.name).toBe('Department for Energy Security and Net Zero');
    expect(desnz.predecessors).toEqual([{ organisationId: 'beis', from: '2023-02-07' }]);
    const gdf = desnz.programmes.find((p) => p.name.startsWith('Geological Disposal Facility'))!;
    // Followed from DECC's 2014 publication to DESNZ's 2023 one; each publication keeps the department it named.
    expect(gdf.matchedBy).toContain('DECC_0005_1112-Q1');
    expect(gdf.publications.map((p) => p.department)).toEqual([
      'DECC',
      'DECC',
      'DECC',
      'BEIS',
      'BEIS',
      'BEIS',
      'BEIS',
      'BEIS',
      'BEIS',
      'DESNZ',
    ]);
    expect(gdf.confidenceHistory.filter((c) => c.scale === 'FIVE_POINT').length).toBeGreaterThan(0);
    expect(gdf.confidenceHistory.filter((c) => c.scale === 'THREE_POINT').length).toBeGreaterThan(
      0,
    );
    const end = gdf.milestones.find((m) => m.title.startsWith('End'))!;
    expect(end.forecastHistory.length).toBeGreaterThan(1);
    expect(end.slippage).not.toBeNull();
  });

  it("ranks the NHS providers on 4-hour performance for a month, England's figure being the ratio of sums of every provider's attendances", async () => {
    const england = englandFourHours('2019-03');
    const answer = await graph.query<{
      government: {
        league: {
          period: string;
          reported: number;
          overall: { value: number; rule: string };
          rows: { organisationId: string; value: number; funnel: unknown }[];
        };
      };
    }>(
      '{ government { league(indicator: "ae-4-hours", period: "2019-03") { period reported overall { value rule } rows { organisationId value funnel { position } } } } }',
    );
    expect(answer.errors).toBeUndefined();
    const league = answer.data!.government.league;
    expect(league.reported).toBe(england.providers);
    expect(league.overall.value).toBeCloseTo(england.percent, 9);
    expect(league.rows.every((r) => r.funnel !== null)).toBe(true);
    // Emergency departments like for like: type 1 alone, as NHS England reports it apart.
    const type1 = englandFourHours('2019-03', '1');
    const departments = await graph.query<{
      government: { league: { reported: number; overall: { value: number } } };
    }>(
      '{ government { league(indicator: "ae-4-hours-type-1", period: "2019-03") { reported overall { value } } } }',
    );
    expect(departments.errors).toBeUndefined();
    expect(departments.data!.government.league.reported).toBe(type1.providers);
    expect(departments.data!.government.league.overall.value).toBeCloseTo(type1.percent, 9);
  });

  it('ranks a Scottish council within its LGBF family group, and gives the Scotland figure as the Improvement Service publishes it (a ratio of sums)', async () => {
    const stirling = await graph.query<{ organisation: { peerGroups: string[] } }>(
      '{ organisation(id: "stirling") { peerGroups } }',
    );
    expect(stirling.errors).toBeUndefined();
    const groups = stirling.data!.organisation.peerGroups;
    expect(groups.length).toBe(2);
    // CORP04 (cost of collecting council tax per dwelling), 2021/22: the published Scotland figure from the raw file.
    const raw = readFileSync(
      join(DATA, 'scotland-lgbf', 'raw', 'LGBF_ScotDataReal_ISSpatialHub.csv'),
      'utf8',
    ).split('\n');
    const columns = raw[0]!.split(',');
    const scotlandRow = raw
      .find(
        (line) =>
          line.split(',')[columns.indexOf('Code')] === 'CORP04' &&
          line.split(',')[columns.indexOf('Year')] === '2021-22',
      )!
      .split(',');
    const published = Number(scotlandRow[columns.indexOf('Scotland_Indicator_Real')]);
    const whole = await graph.query<{
      government: { league: { reported: number; overall: { value: number } } };
    }>(
      '{ government { league(indicator: "CORP04", period: "2021/22") { reported overall { value } } } }',
    );
    expect(whole.errors).toBeUndefined();
    expect(whole.data!.government.league.reported).toBe(32);
    expect(Math.abs(whole.data!.government.league.overall.value / published - 1)).toBeLessThan(
      0.01,
    );
    for (const group of groups) {
      const answer = await graph.query<{
        government: {
          league: { peerGroup: string; reported: number; rows: { organisationId: string }[] };
        };
      }>(
        `{ government { league(indicator: "CORP04", period: "2021/22", peerGroup: ${JSON.stringify(group)}) { peerGroup reported rows { organisationId } } } }`,
      );
      expect(answer.errors).toBeUndefined();
      const league = answer.data!.government.league;
      expect(league.peerGroup).toBe(group);
      expect(league.rows.map((r) => r.organisationId)).toContain('stirling');
      expect(league.reported).toBeLessThan(32);
    }
    const unknown = await graph.query(
      '{ government { league(indicator: "CORP04", peerGroup: "Atlantis") { reported } } }',
    );
    expect(unknown.errors![0]!.message).toContain('Atlantis');
  });

  it('does not chase an organisation of a published data set for returns: the hub holds what its publisher published', async () => {
    const answer = await graph.query<{
      organisation: {
        returns: {
          completeness: { expected: number; ratio: number | null; rule: string };
          overdue: unknown[];
        };
      };
    }>(
      '{ organisation(id: "rjf") { ... on NhsTrust { returns { completeness { expected ratio rule } overdue { dataset } } } } }',
    );
    expect(answer.errors).toBeUndefined();
    const { returns } = answer.data!.organisation;
    expect(returns.completeness).toEqual({
      expected: 0,
      ratio: null,
      rule: 'not chased: its figures are imported from the published data set nhs-ae-attendances as published, not returned to the hub',
    });
    expect(returns.overdue).toEqual([]);
    // Today's organisations are still chased.
    const norfolk = await graph.query<{
      organisation: { returns: { completeness: { expected: number } } };
    }>('{ organisation(id: "norfolk") { returns { completeness { expected } } } }');
    expect(norfolk.data!.organisation.returns.completeness.expected).toBeGreaterThan(0);
  });

  it("keeps a service's figure as first published and as revised, each dated by its publication", async () => {
    const reads = graph.government.reads.get('cabinet-office')!;
    const explorer = reads.find((r) => r.source === 'gov-transactions-explorer')!;
    // A figure a later version of the Explorer revised.
    const versions = new Map<
      string,
      {
        organisation: string;
        indicatorCode: string;
        period: string;
        serviceId: string;
        publishedOn: string;
        value: number | null;
      }[]
    >();
    for (const m of explorer.batch.measurements) {
      const key = JSON.stringify([m.organisation, m.indicatorCode, m.serviceId, m.period]);
      versions.set(key, [...(versions.get(key) ?? []), m as never]);
    }
    const revised = [...versions.values()].find(
      (v) => v.length > 1 && v[0]!.serviceId && new Set(v.map((m) => m.value)).size > 1,
    )!;
    expect(revised).toBeDefined();
    const { organisation, indicatorCode, period, serviceId } = revised[0]!;
    const answer = await graph.query<{
      organisation: {
        indicators: {
          code: string;
          history: { status: string; at: string; value: number | null; numerator: number | null }[];
        }[];
      };
    }>(
      `{ organisation(id: "${organisation}") { ... on WhitehallDepartment { indicators { code history(period: "${period}", serviceId: "${serviceId}") { status at value numerator } } } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const history = answer.data!.organisation.indicators.find(
      (i) => i.code === indicatorCode,
    )!.history;
    expect(history.map((h) => h.at.slice(0, 10))).toEqual(revised.map((m) => m.publishedOn));
    expect(history.every((h) => h.status === 'PUBLISHED')).toBe(true);
    expect(new Set(history.map((h) => h.value ?? h.numerator)).size).toBeGreaterThan(1);
  });
});

describe('importing a published data set in its own format', () => {
  const folder = mkdtempSync(join(tmpdir(), 'crossgov-public-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const run = async (args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/src/import.ts',
          ...args,
          '--gateway',
          graph.gatewayUrl.replace(/\/graphql$/, ''),
        ],
        {
          cwd: ROOT,
          env: { ...process.env, AUTH_SECRET: auth.secret, CROSSGOV_TOKEN: '' },
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const schemaOf = (publisher: string) => `${graph.schemaPrefix}_${schemaNameOf(publisher)}`;

  it('refuses a file with one invalid row inserted, whole, naming its file, line, field, value and rule, with every table unchanged', async () => {
    const lines = readFileSync(AE_CSV, 'utf8').split('\n');
    // Breaches above attendances: a row the real file never has (its PROVENANCE.md), for a provider
    // and month it has no other row for (RJF stopped reporting after June 2018).
    lines.splice(100, 0, '2019-03-01,RJF,1,500,600,50');
    const file = join(folder, 'ae_attendances.csv');
    writeFileSync(file, lines.join('\n'));
    const before = await snapshotSchemas(TEST_DATABASE_URL, [schemaOf('nhs-england')]);
    const refused = await run(['nhs-ae-attendances', file]);
    expect(refused.code, refused.stdout).toBe(1);
    expect(refused.stderr).toContain('ae_attendances.csv line 101');
    expect(refused.stderr).toMatch(/breaches.*600/);
    expect(await snapshotSchemas(TEST_DATABASE_URL, [schemaOf('nhs-england')])).toEqual(before);
  });

  it('imports the published files with pnpm run import, over HTTP through the gateway, listing what it did not take and what it repaired', async () => {
    const gmpp = join(DATA, 'gmpp-ipa-annual');
    const files = Array.from({ length: 10 }, (_, i) => join(gmpp, 'raw', `uk_${2014 + i}.csv`));
    const report = join(folder, 'gmpp-report.json');
    const before = await graph.query<{ organisation: { programmes: { id: string }[] } }>(
      '{ organisation(id: "dft") { ... on WhitehallDepartment { programmes { id } } } }',
    );
    const imported = await run(['gmpp-ipa-annual', ...files, '--report', report]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(
      /imported gmpp-ipa-annual \(10 files\) into \d+ organisations of cabinet-office in [\d.]+ s: 0 figures published, 0 indicator definitions, 0 services, 665 programmes/,
    );
    expect(imported.stdout).toMatch(/385 cells not taken, 656 repairs/);
    const written = JSON.parse(readFileSync(report, 'utf8')) as {
      notTaken: { file: string; line: number; field: string; rule: string }[];
      repairs: unknown[];
    };
    expect(written.notTaken).toHaveLength(385);
    expect(
      written.notTaken.every(
        (n) => /^raw\/uk_20\d\d\.csv$/.test(n.file) && n.line > 0 && n.rule.length > 0,
      ),
    ).toBe(true);
    expect(written.repairs).toHaveLength(656);
    // The same publications again change nothing a reader sees.
    const after = await graph.query<{ organisation: { programmes: { id: string }[] } }>(
      '{ organisation(id: "dft") { ... on WhitehallDepartment { programmes { id } } } }',
    );
    expect(after.data).toEqual(before.data);
  });

  it('refuses files of a data set sent to a publisher that does not serve its organisations, and a token of another publisher', async () => {
    const token = await publisherTokenFor(auth, 'improvement-service', [Scope.PUBLISH]);
    const body = readFileSync(AE_CSV);
    const form = new FormData();
    form.append('file', new Blob([body]), 'ae_attendances.csv');
    const response = await fetch(
      `${graph.gatewayUrl.replace(/graphql$/, '')}publishers/nhs-england/imports?source=nhs-ae-attendances`,
      { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form },
    );
    expect(response.status).toBe(403);
    expect(
      ((await response.json()) as { errors: { message: string }[] }).errors[0]!.message,
    ).toContain('improvement-service');
    const unknown = await fetch(
      `${graph.gatewayUrl.replace(/graphql$/, '')}publishers/nhs-england/imports?source=nhs-ae-monthly`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await publisherTokenFor(auth, 'nhs-england', [Scope.PUBLISH])}`,
        },
        body: form,
      },
    );
    expect(unknown.status).toBe(400);
    expect(
      ((await unknown.json()) as { errors: { message: string }[] }).errors[0]!.message,
    ).toContain('nhs-ae-monthly');
  });
});
