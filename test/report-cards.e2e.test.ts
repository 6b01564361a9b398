import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import {
  type GraphQLResponse,
  type TestGraph,
  postGraphQL,
  startTestGraph,
} from '@crossgov/testing/graph';
import { tokenFor } from '@crossgov/testing/tokens';

// Organisation pages a reader can act on: Norfolk's report cards carry the text the council
// published, its owner rewrites a card through the API and through an import with every version
// kept, another organisation cannot; and the directory says who a cluster and a department are made
// of. One graph for the whole file.

const auth: AuthConfig = { secret: 'report-cards-e2e-secret-'.padEnd(48, 'r') };

interface Card {
  code: string;
  definition: string | null;
  leadOfficer: string | null;
  dataOwner: string | null;
  reportCard: {
    whyItMatters: string | null;
    background: string | null;
    whatSuccessLooksLike: string | null;
    actions: string | null;
  };
}
type Version = { previous: string | null; current: string };

const CARD =
  '{ norfolk { indicators { code definition leadOfficer dataOwner reportCard { whyItMatters background whatSuccessLooksLike actions } } } }';
const HISTORY = '{ norfolk { changes(record: "indicator", key: "608") { previous current } } }';
const DEFINE =
  'mutation ($d: [IndicatorDefinitionInput!]!) { norfolk { defineIndicators(indicators: $d) { accepted } } }';

describe(`report cards and who organisations are made of, on ${STORAGE}`, () => {
  let graph: TestGraph;
  let owner: string;
  let other: string;
  const post = <T>(
    query: string,
    variables: Record<string, unknown> = {},
    token: string | null = owner,
  ): Promise<GraphQLResponse<T>> => postGraphQL<T>(graph.gatewayUrl, query, variables, token);
  const card608 = async () =>
    (await post<{ norfolk: { indicators: Card[] } }>(CARD)).data!.norfolk.indicators.find(
      (i) => i.code === '608',
    )!;
  const history = async () =>
    (await post<{ norfolk: { changes: Version[] } }>(HISTORY)).data!.norfolk.changes;
  const importCsv = async (csv: string, token: string) => {
    const response = await fetch(
      new URL('organisations/norfolk/imports', new URL('.', graph.gatewayUrl)),
      {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
        body: csv,
      },
    );
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: Record<string, unknown>;
        errors?: { message: string; extensions?: { code?: string } }[];
      },
    };
  };

  beforeAll(async () => {
    graph = await startTestGraph({ auth });
    owner = await tokenFor(auth, 'norfolk', [Scope.WRITE, Scope.READ_DRAFTS]);
    other = await tokenFor(auth, 'hmrc', [Scope.WRITE, Scope.READ_DRAFTS]);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('seeds 608 with the card the council published, its lists as bullets', async () => {
    expect(await card608()).toEqual({
      code: '608',
      definition:
        'The Percentage of Customers (excluding Schools) that abandon their call to IMT service desk',
      leadOfficer: 'Rob Price, Service Delivery Manager',
      dataOwner: 'Jo Carey, Service Delivery Analyst',
      reportCard: {
        whyItMatters:
          'The inability for an IMT Customer to progress with an incident or service request hinders the Customer and the Council from working effectively and efficiently.',
        background: expect.stringMatching(
          /^- 10% on target for February 19\n- myIT the IMT Self Service Portal was introduced/,
        ) as string,
        whatSuccessLooksLike: expect.stringMatching(
          /^- IMT Service Desk call abandonment rate to fall below the target of 10%\n- Users routinely/,
        ) as string,
        actions: 'To promote the self-service facility',
      },
    });
    expect(await history()).toEqual([]);
  });

  it('lets Norfolk rewrite the card through the API and then an import, keeping both versions in the history', async () => {
    const api = {
      whyItMatters: 'Callers who give up cannot work.',
      background: '- 10.4% in February 2019',
      actions: '- Promote myIT\n- Staff the desk at peak times',
      leadOfficer: 'Service Delivery Manager',
      dataOwner: 'Service Delivery Analyst',
    };
    const defined = await post<{ norfolk: { defineIndicators: { accepted: number } } }>(DEFINE, {
      d: [{ code: '608', ...api }],
    });
    expect(defined.errors).toBeUndefined();
    expect(defined.data!.norfolk.defineIndicators.accepted).toBe(1);
    expect(await card608()).toMatchObject({
      leadOfficer: api.leadOfficer,
      dataOwner: api.dataOwner,
      reportCard: {
        whyItMatters: api.whyItMatters,
        background: api.background,
        actions: api.actions,
      },
    });

    const imported = await importCsv(
      [
        'code,why_it_matters,background,what_success_looks_like,lead_officer',
        '608,"Abandoned calls are lost work.","Rising since November 2018.","Below 10% every month.",Head of IMT',
      ].join('\n'),
      owner,
    );
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(await card608()).toMatchObject({
      leadOfficer: 'Head of IMT',
      // A column left out keeps what was there.
      dataOwner: api.dataOwner,
      reportCard: {
        whyItMatters: 'Abandoned calls are lost work.',
        background: 'Rising since November 2018.',
        whatSuccessLooksLike: 'Below 10% every month.',
        actions: api.actions,
      },
    });

    const [latest, first] = (await history()).map((v) => ({
      previous: v.previous === null ? null : (JSON.parse(v.previous) as Record<string, unknown>),
      current: JSON.parse(v.current) as Record<string, unknown>,
    }));
    expect(first).toMatchObject({
      previous: {
        whyItMatters: expect.stringMatching(/^The inability/) as string,
        background: expect.stringMatching(/^- 10% on target/) as string,
      },
      current: api,
    });
    expect(latest).toMatchObject({
      previous: api,
      current: {
        whyItMatters: 'Abandoned calls are lost work.',
        background: 'Rising since November 2018.',
        leadOfficer: 'Head of IMT',
      },
    });
  });

  it("refuses another organisation's token through the API and the import, and writes nothing", async () => {
    const before = { card: await card608(), history: await history() };
    const refused = await post(
      DEFINE,
      { d: [{ code: '608', whyItMatters: 'Written by HMRC.' }] },
      other,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const imported = await importCsv(
      ['code,why_it_matters', '608,Written by HMRC.'].join('\n'),
      other,
    );
    expect(imported.status).toBe(403);
    expect(imported.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect({ card: await card608(), history: await history() }).toEqual(before);
  });

  it("gives a cluster's lead and members today, and a department's clusters by name", async () => {
    const { data, errors } = await post<{
      unity: {
        lead: { code: string; organisationId: string | null };
        members: {
          departmentCode: string;
          from: string;
          to: string | null;
          department: { organisationId: string | null };
        }[];
      };
      hmrc: {
        lead: {
          memberships: {
            organisationId: string;
            organisationName: string;
            from: string;
            to: string | null;
          }[];
        };
      };
    }>(`{ unity: organisation(id: "unity") { lead { code organisationId } members { departmentCode from to department { organisationId } } }
          hmrc: organisation(id: "hmrc") { lead { memberships { organisationId organisationName from to } } } }`);
    expect(errors).toBeUndefined();
    expect(data!.unity.lead).toEqual({ code: 'HMRC', organisationId: 'hmrc' });
    // MHCLG was DLUHC from 2021-09-19 to 2024-07-07: today's member is the one from 2024-07-08.
    expect(
      data!.unity.members.map((m) => [m.departmentCode, m.from, m.to, m.department.organisationId]),
    ).toEqual([
      ['DFT', '2021-03-01', null, null],
      ['HMRC', '2021-03-01', null, 'hmrc'],
      ['MHCLG', '2024-07-08', null, null],
    ]);
    expect(data!.hmrc.lead.memberships).toEqual([
      { organisationId: 'unity', organisationName: 'Unity', from: '2021-03-01', to: null },
    ]);
  });
});
