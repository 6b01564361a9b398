import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { ROOT } from '@crossgov/scripts';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type GraphQLResponse, type TestGraph, startTestGraph } from '@crossgov/testing/graph';
import { tampered, tokenFor as issueToken } from '@crossgov/testing/tokens';

const auth: AuthConfig = { secret: 'bi-e2e-secret-'.padEnd(48, 'b') };
const tokenFor = (organisation: string | null, scopes: Scope[]) =>
  issueToken(auth, organisation, scopes);
const DOC = readFileSync(join(ROOT, 'docs', 'bi.md'), 'utf8');

const FACT_FIELDS =
  'indicatorCode indicatorName unit polarity serviceId serviceName department period periodType periodStart periodEnd value numerator denominator target rag spcSignal status synthetic updatedAt';
type Row = Record<string, string>;

/** A value as it appears in the CSV: blank for null, true/false, numbers as JavaScript prints them. */
const cell = (value: unknown) => (value === null || value === undefined ? '' : String(value));

describe(`BI tools through the gateway on ${STORAGE}`, () => {
  let graph: TestGraph;
  let base: string;
  let reader: string;

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, base), { headers: { 'x-api-key': reader, ...headers } });
  const graphql = async <T>(query: string, token?: string, variables?: Record<string, unknown>) => {
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<T>;
  };

  /** Follows `Link: rel="next"` from the first CSV page to the last, as a tool paging CSV does. */
  async function csvPages(path: string): Promise<{ rows: Row[]; pages: number }> {
    const rows: Row[] = [];
    let url: string | null = new URL(path, base).toString();
    let pages = 0;
    while (url) {
      const response: Response = await fetch(url, { headers: { 'x-api-key': reader } });
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      rows.push(...(parseCsv(await response.text(), { columns: true }) as Row[]));
      pages += 1;
      url = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
      expect(pages).toBeLessThan(1000);
    }
    return { rows, pages };
  }

  beforeAll(async () => {
    graph = await startTestGraph({ auth });
    base = graph.gatewayUrl.replace(/graphql$/, '');
    reader = await tokenFor('synergy', [Scope.READ_PUBLISHED]);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('pages the facts as CSV over GET to the last page and gets exactly the rows the GraphQL query gives, for every seeded organisation', async () => {
    const { data, errors } = await graphql<{
      organisations: {
        id: string;
        name: string;
        kind: string;
        facts: { rows: Record<string, unknown>[]; nextCursor: string | null };
      }[];
    }>(
      `{ organisations { id name kind facts(first: 10000) { rows { ${FACT_FIELDS} } nextCursor } } }`,
      reader,
    );
    expect(errors).toBeUndefined();
    const expected = data!.organisations.flatMap((o) => {
      expect(o.facts.nextCursor, o.id).toBeNull();
      expect(o.facts.rows.length, o.id).toBeGreaterThan(0);
      return o.facts.rows.map((f) => ({
        organisationId: o.id,
        organisationName: o.name,
        kind: o.kind,
        ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, cell(v)])),
      }));
    });
    expect(new Set(expected.map((r) => r.organisationId))).toEqual(
      new Set(graph.registry.organisations.map((o) => o.id)),
    );

    // A page size that is no divisor of anything, so pages end inside organisations and series.
    const { rows, pages } = await csvPages('facts?format=csv&pageSize=37');
    expect(pages).toBe(Math.ceil(expected.length / 37));
    expect(rows.map(({ clusterId: _c, cluster: _n, ...rest }) => rest)).toEqual(expected);

    // Streaming every row at once gives the same rows, and JSON pages the same as CSV pages.
    const all = parseCsv(await (await get('facts?all=true&format=csv')).text(), {
      columns: true,
    }) as Row[];
    expect(all).toEqual(rows);
    const json = (await (await get('facts?all=true')).json()) as {
      data: Record<string, unknown>[];
      next: null;
    };
    expect(
      json.data.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cell(v)]))),
    ).toEqual(rows);
  });

  it("names each organisation's cluster: its own for a cluster, its lead's cluster for a department, none for a council", async () => {
    const rows = parseCsv(
      await (
        await get('facts?organisations=synergy,hmrc,norfolk&format=csv&pageSize=10000')
      ).text(),
      { columns: true },
    ) as Row[];
    const clusterOf = (id: string) => [
      ...new Set(
        rows.filter((r) => r.organisationId === id).map((r) => `${r.clusterId}|${r.cluster}`),
      ),
    ];
    expect(clusterOf('synergy')).toEqual(['synergy|Synergy']);
    expect(clusterOf('hmrc')).toEqual(['unity|Unity']);
    expect(clusterOf('norfolk')).toEqual(['|']);
  });

  it('returns only rows changed after updatedSince, corrections included, and not figures sent again unchanged', async () => {
    const owner = await tokenFor('norfolk', [Scope.WRITE, Scope.READ_DRAFTS]);
    const before = parseCsv(
      await (await get('facts?organisations=norfolk&indicators=636,609&format=csv')).text(),
      { columns: true },
    ) as Row[];
    const figure = (code: string, period: string) =>
      before.find((r) => r.indicatorCode === code && r.period === period)!;
    const since = new Date(Date.now() - 1).toISOString();
    expect(
      ((await (await get(`facts?updatedSince=${since}`)).json()) as { data: unknown[] }).data,
    ).toEqual([]);

    // A correction to 636 for 2018-09, and 609 for 2018-11 sent again exactly as published. (636 has
    // no published figure for 2018-10: that row of the source contradicts its own parts.)
    expect(figure('636', '2018-10')).toBeUndefined();
    const unchanged = Number(figure('609', '2018-11').value);
    const submit = await graphql(
      `mutation { norfolk { submitMeasurements(measurements: [{ indicatorCode: "636", period: "2018-09", value: 97.25 }, { indicatorCode: "609", period: "2018-11", value: ${unchanged} }]) { accepted } } }`,
      owner,
    );
    expect(submit.errors).toBeUndefined();
    // A draft is not a change anyone without read:drafts can see.
    expect(
      ((await (await get(`facts?updatedSince=${since}`)).json()) as { data: unknown[] }).data,
    ).toEqual([]);
    const drafts = (await (
      await get(`facts?updatedSince=${since}`, { 'x-api-key': owner })
    ).json()) as { data: Row[] };
    expect(drafts.data.map((r) => [r.indicatorCode, r.period, r.status])).toEqual([
      ['609', '2018-11', 'DRAFT'],
      ['636', '2018-09', 'DRAFT'],
    ]);
    for (const period of ['2018-09', '2018-11'])
      expect(
        (
          await graphql(
            `mutation { norfolk { publishPeriod(period: "${period}") { published } } }`,
            owner,
          )
        ).errors,
      ).toBeUndefined();

    const changed = parseCsv(await (await get(`facts?updatedSince=${since}&format=csv`)).text(), {
      columns: true,
    }) as Row[];
    expect(
      changed.map((r) => [r.organisationId, r.indicatorCode, r.period, r.value, r.status]),
    ).toEqual([['norfolk', '636', '2018-09', '97.25', 'PUBLISHED']]);
    expect(Date.parse(changed[0]!.updatedAt!)).toBeGreaterThan(Date.parse(since));
    expect(figure('636', '2018-09').value).not.toBe('97.25');
  });

  it('refuses a bad parameter naming it, and a bad token with 401 as GraphQL does', async () => {
    const cases: [string, number, RegExp][] = [
      ['facts?indicator=608', 400, /parameter "indicator" is not a facts parameter/],
      ['facts?kinds=COUNCIL', 400, /kinds "COUNCIL" must be among CLUSTER/],
      ['facts?organisations=atlantis', 400, /organisations "atlantis" names no organisation/],
      ['facts?pageSize=0', 400, /pageSize "0" must be a whole number from 1 to 10000/],
      ['facts?from=2024-13', 400, /from "2024-13" must be a period/],
      ['facts?updatedSince=yesterday', 400, /updatedSince "yesterday" must be an ISO 8601 date/],
      ['facts?cursor=nonsense', 400, /cursor "nonsense" must be the cursor of the previous page/],
      [
        'operations/league?indicatr=x',
        400,
        /parameter "indicatr" is not a variable of operation league/,
      ],
      ['operations/nope', 404, /no operation is registered as "nope"/],
    ];
    for (const [path, status, message] of cases) {
      const response = await get(path);
      const body = (await response.json()) as {
        errors: { message: string; extensions: { code: string } }[];
      };
      expect(response.status, path).toBe(status);
      expect(body.errors[0]!.message, path).toMatch(message);
    }
    const refused = await get('facts?format=csv', { 'x-api-key': tampered(reader) });
    expect(refused.status).toBe(401);
    expect(
      ((await refused.json()) as { errors: { extensions: Record<string, unknown> }[] }).errors[0]!
        .extensions,
    ).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' });
  });

  it('runs GraphQL over GET as JSON or flattened CSV, and refuses a mutation over GET', async () => {
    const query = encodeURIComponent(
      'query ($kind: OrganisationKind) { organisations(kind: $kind) { id name scorecard(periods: 1) { indicator latest { value } } } }',
    );
    const variables = encodeURIComponent(JSON.stringify({ kind: 'CLUSTER' }));
    const json = (await (await get(`graphql?query=${query}&variables=${variables}`)).json()) as {
      data: { organisations: { id: string; scorecard: unknown[] }[] };
    };
    expect(json.data.organisations.map((o) => o.id).sort()).toEqual([
      'defence',
      'matrix',
      'overseas',
      'synergy',
      'unity',
    ]);
    const csv = await get(`graphql?query=${query}&variables=${variables}`, { accept: 'text/csv' });
    const rows = parseCsv(await csv.text(), { columns: true }) as Row[];
    expect(Object.keys(rows[0]!)).toEqual([
      'organisations.id',
      'organisations.name',
      'organisations.scorecard.indicator',
      'organisations.scorecard.latest.value',
    ]);
    expect(rows.length).toBe(json.data.organisations.reduce((n, o) => n + o.scorecard.length, 0));

    const mutation = await get(
      `graphql?query=${encodeURIComponent('mutation { norfolk { publishPeriod(period: "2019-02") { published } } }')}`,
    );
    expect(mutation.status).toBe(405);
    expect(mutation.headers.get('allow')).toBe('POST');
  });

  it('serves every registered operation as JSON and CSV, with its variables from parameters', async () => {
    const listed = (await (await get('operations')).json()) as {
      data: { id: string; variables: { name: string; required: boolean }[] }[];
    };
    expect(listed.data.map((o) => o.id)).toEqual([
      'league',
      'milestones',
      'organisations',
      'scorecard',
    ]);
    const sample: Record<string, string> = {
      kind: 'CLUSTER',
      indicator: 'ss-invoices-paid-5-days',
    };
    for (const operation of listed.data) {
      const parameters = operation.variables
        .filter((v) => sample[v.name])
        .map((v) => `${v.name}=${sample[v.name]}`);
      const json = (await (
        await get(`operations/${operation.id}?${parameters.join('&')}`)
      ).json()) as { data: unknown; errors?: unknown[] };
      expect(json.errors, operation.id).toBeUndefined();
      const csv = await get(
        `operations/${operation.id}?${[...parameters, 'format=csv'].join('&')}`,
      );
      expect(csv.status, operation.id).toBe(200);
      expect(
        (parseCsv(await csv.text(), { columns: true }) as Row[]).length,
        operation.id,
      ).toBeGreaterThan(0);
    }
    const byId = (await (
      await get(`graphql?id=organisations&variables=${encodeURIComponent('{"kind":"DEPARTMENT"}')}`)
    ).json()) as { data: { organisations: { id: string }[] } };
    expect(byId.data.organisations.map((o) => o.id)).toEqual(['hmrc']);
  });

  describe('docs/bi.md', () => {
    it('documents requests that each answer 200 in the shape they promise', async () => {
      const requests = [...DOC.matchAll(/```http\n([\s\S]*?)```/g)].flatMap((m) =>
        m[1]!.trim().split('\n'),
      );
      expect(requests.length).toBeGreaterThanOrEqual(10);
      for (const line of requests) {
        const [method, path] = line.trim().split(' ') as [string, string];
        expect(method).toBe('GET');
        const response = await get(path.slice(1));
        const text = await response.text();
        expect(response.status, `${line}: ${text.slice(0, 300)}`).toBe(200);
        if (path.includes('format=csv')) {
          expect(response.headers.get('content-type'), line).toMatch(/^text\/csv/);
          expect(parseCsv(text, { columns: true }).length, line).toBeGreaterThan(0);
        } else {
          expect(JSON.parse(text), line).toHaveProperty('data');
        }
      }
    });

    it('pages as the Power Query snippet does: RelativePath facts, its Query record, the x-api-key header, then each nextCursor until it is null', async () => {
      const snippet = /```m\n(let[\s\S]*?)```/.exec(DOC)![1]!;
      const record = /Query = \[([^\]]*)\]/.exec(snippet)![1]!;
      const query = Object.fromEntries(
        [...record.matchAll(/(\w+) = "([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
      );
      expect(query).toEqual({ kinds: 'CLUSTER', pageSize: '1000' });
      expect(snippet).toContain('RelativePath = "facts"');
      expect(snippet).toContain('#"x-api-key" = ApiKey');
      const columns = JSON.parse(`[${/Columns = \{([^}]*)\}/.exec(snippet)![1]!}]`) as string[];

      // What Web.Contents sends for each page of List.Generate.
      const pageUrl = (cursor: string | null) =>
        `facts?${new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) })}`;
      const rows: Record<string, unknown>[] = [];
      let page = (await (await get(pageUrl(null))).json()) as {
        data: Record<string, unknown>[];
        nextCursor: string | null;
      };
      rows.push(...page.data);
      while (page.nextCursor) {
        page = (await (await get(pageUrl(page.nextCursor))).json()) as typeof page;
        rows.push(...page.data);
      }
      expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['CLUSTER']));
      // Table.FromRecords with these columns: every record has exactly them.
      for (const row of rows) expect(Object.keys(row)).toEqual(columns);
      const csv = parseCsv(
        await (await get('facts?kinds=CLUSTER&format=csv&pageSize=10000')).text(),
        { columns: true },
      ) as Row[];
      expect(rows.length).toBe(csv.length);
    });
  });
});
