import { type AuthConfig, Scope, findPublisher, organisationsOf, startHttpServer } from '@crossgov/schema';
import { createOrganisationServer, openOrganisationDatabase } from '@crossgov/organisation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE, type TestGraph, postGraphQL, startTestGraph } from './utils/graph.ts';
import { TEST_DATABASE_URL } from './utils/database.ts';
import { tokenFor } from './utils/tokens.ts';

// Scorecards and comparison figures are cached per organisation and data version (src/cache.ts):
// every answer must change on the very next request after a publication, a correction or a target
// change, through the gateway and through a second process of the same publisher, and a draft must
// never reach a reader who may not see it.

const auth: AuthConfig = { secret: 'judgements-e2e-secret-'.padEnd(48, 'j') };

const post = <T>(url: string, query: string, token?: string) => postGraphQL<T>(url, query, undefined, token);

interface Card {
  norfolk: { scorecard: { indicator: string; latest: { period: string; value: number; target: number | null; rag: { status: string } | null } }[]; figures: { indicator: string; periods: string[]; values: number[] }[] };
}
const CARD = '{ norfolk { scorecard(indicators: ["608"]) { indicator latest { period value target rag { status } } } figures(indicators: ["608"]) { indicator periods values } } }';
const LEAGUE = '{ government { league(indicator: "608", period: "2019-03") { rows { organisationId value rag } } } }';

describe(`cached judgements change on the next request after a write, on ${STORAGE}`, () => {
  let graph: TestGraph;
  let second: { url: string; stop(): Promise<void> };
  let owner: string;
  beforeAll(async () => {
    graph = await startTestGraph({ auth });
    owner = await tokenFor(auth, 'norfolk', [Scope.WRITE, Scope.READ_DRAFTS]);
    // A second process of Norfolk's publisher on the same database: its own cache, its own pool.
    const publisher = findPublisher(graph.registry, 'norfolk');
    const database = await openOrganisationDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema: graph.organisations.get('norfolk')!.database.pgSchema });
    const { server, context, routes } = await createOrganisationServer({ publisher, organisations: organisationsOf(graph.registry, publisher), database, auth, today: () => '2026-11-21' });
    const running = await startHttpServer({ apollo: server, context, routes, port: 0 });
    second = {
      url: `${running.url}graphql`,
      stop: async () => {
        await running.stop();
        await database.close();
      },
    };
  });
  afterAll(async () => {
    await second?.stop();
    await graph?.stop();
  });

  const read = async (url: string, token?: string) => {
    const { data, errors } = await post<Card>(url, CARD, token);
    expect(errors).toBeUndefined();
    const [card] = data!.norfolk.scorecard;
    const [figures] = data!.norfolk.figures;
    return { latest: card!.latest, figures: figures! };
  };
  const first = () => graph.subgraphUrls.norfolk!;

  it('shows a draft to its owner at once and to nobody else, in either process, until it is published', async () => {
    // Warm both processes' caches, anonymous and as the owner.
    for (const url of [first(), second.url]) {
      expect((await read(url)).latest.period).toBe('2019-02');
      expect((await read(url, owner)).latest.period).toBe('2019-02');
    }
    const submitted = await post(graph.gatewayUrl, 'mutation { norfolk { submitMeasurements(measurements: [{ indicatorCode: "608", period: "2019-03", numerator: 300, denominator: 2500 }]) { accepted } } }', owner);
    expect(submitted.errors).toBeUndefined();
    for (const url of [first(), second.url, graph.gatewayUrl]) {
      expect((await read(url, owner)).latest).toMatchObject({ period: '2019-03', value: 12 });
      expect((await read(url)).latest.period).toBe('2019-02');
      expect((await read(url)).figures.periods).not.toContain('2019-03');
    }
    const league = await post<{ government: { league: { rows: unknown[] } | null } }>(graph.gatewayUrl, LEAGUE);
    expect(league.data!.government.league?.rows ?? []).toEqual([]);
  });

  it('shows a publication, a correction and a target change to every reader on the very next request', async () => {
    expect((await post(graph.gatewayUrl, 'mutation { norfolk { publishPeriod(period: "2019-03") { published } } }', owner)).errors).toBeUndefined();
    for (const url of [second.url, first(), graph.gatewayUrl]) expect((await read(url)).latest).toMatchObject({ period: '2019-03', value: 12 });
    const league = await post<{ government: { league: { rows: { organisationId: string; value: number }[] } } }>(graph.gatewayUrl, LEAGUE);
    expect(league.data!.government.league.rows).toEqual([expect.objectContaining({ organisationId: 'norfolk', value: 12 })]);

    // A correction, imported published, through the other process of the same publisher.
    const corrected = await fetch(`${new URL('.', second.url).href}imports?publish=true`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${owner}` },
      body: 'indicator_code,period,numerator,denominator\n608,2019-03,250,2500\n',
    });
    expect(corrected.status).toBe(200);
    for (const url of [first(), second.url, graph.gatewayUrl]) {
      const { latest, figures } = await read(url);
      expect(latest).toMatchObject({ period: '2019-03', value: 10 });
      expect(figures.values.at(-1)).toBe(10);
    }

    // A target change moves the RAG of the same figure.
    const before = (await read(first())).latest;
    const target = await post(graph.gatewayUrl, 'mutation { norfolk { setTargets(targets: [{ indicatorCode: "608", fromPeriod: "2019-03", value: 9 }]) { accepted } } }', owner);
    expect(target.errors).toBeUndefined();
    for (const url of [second.url, first()]) {
      const { latest } = await read(url);
      expect(latest.target).toBe(9);
      expect(latest.rag!.status).not.toBe(before.rag?.status ?? null);
    }
  });
});
