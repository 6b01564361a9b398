import { findPublisher, organisationsOf } from '@crossgov/schema';
import { startHttpServer } from '@crossgov/schema/server';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { startGateway } from '@crossgov/gateway';
import { createOrganisationServer, openOrganisationDatabase } from '@crossgov/organisation';
import { get as httpGet } from 'node:http';
import { parse as parseCsv } from 'csv-parse/sync';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGraph, postGraphQL, startTestGraph } from '@crossgov/testing/graph';
import { TEST_DATABASE_URL, STORAGE } from '@crossgov/testing/database';
import { type RoundRobin, startRoundRobin } from '@crossgov/testing/round-robin';
import { tokenFor } from '@crossgov/testing/tokens';

// Issue 17, acceptance 1. Every cache between a publisher's figures and a reader (each publisher's
// judgements and lists kept per data version, src/cache.ts; the gateway's shared in-flight calls;
// ETags on GET answers) must give way on the very next request after a publication, a correction or
// a target change: the scorecard, the league, the facts, a dashboard page and a revalidated GET, for
// an anonymous reader and for the owner, who sees drafts. Norfolk's publisher runs as two processes
// on one database behind a load balancer that alternates between them, so a write made through one
// process is read through the other. A draft never reaches an anonymous reader through any of it.

const auth: AuthConfig = { secret: 'judgements-e2e-secret-'.padEnd(48, 'j') };
const TODAY = '2026-11-21';

interface Card {
  norfolk: {
    scorecard: {
      indicator: string;
      latest: {
        period: string;
        value: number;
        target: number | null;
        rag: { status: string } | null;
      };
    }[];
    figures: { indicator: string; periods: string[]; values: number[] }[];
  };
}
const CARD =
  '{ norfolk { scorecard(indicators: ["608"]) { indicator latest { period value target rag { status } } } figures(indicators: ["608"]) { indicator periods values } } }';
const LEAGUE =
  '{ government { league(indicator: "608", period: "2019-03") { rows { organisationId value rag } } } }';
const FACTS = '/facts?organisations=norfolk&indicators=608&format=csv';
const PAGE = '/organisations/norfolk?indicator=608';

describe(`every cached answer changes on the next request after a write, through two processes of one publisher, on ${STORAGE}`, () => {
  let graph: TestGraph;
  let second: { url: string; stop(): Promise<void> };
  let alternating: RoundRobin;
  let gateway: { url: string; baseUrl: string; stop(): Promise<void> };
  let owner: string;
  beforeAll(async () => {
    graph = await startTestGraph({ auth, today: TODAY });
    owner = await tokenFor(auth, 'norfolk', [Scope.WRITE, Scope.READ_DRAFTS]);
    // A second process of Norfolk's publisher on the same database: its own cache, its own pool.
    const publisher = findPublisher(graph.registry, 'norfolk');
    const database = await openOrganisationDatabase({
      databaseUrl: TEST_DATABASE_URL,
      pgSchema: graph.organisations.get('norfolk')!.database.pgSchema,
    });
    const { server, context, routes } = await createOrganisationServer({
      publisher,
      organisations: organisationsOf(graph.registry, publisher),
      database,
      auth,
      today: () => TODAY,
    });
    const running = await startHttpServer({ apollo: server, context, routes, port: 0 });
    second = {
      url: `${running.url}graphql`,
      stop: async () => {
        await running.stop();
        await database.close();
      },
    };
    // A gateway that reaches Norfolk's publisher through a load balancer alternating between the two.
    alternating = await startRoundRobin([graph.subgraphUrls.norfolk!, second.url]);
    gateway = await startGateway({
      supergraphSdl: graph.supergraphSdl,
      subgraphUrls: { ...graph.subgraphUrls, norfolk: alternating.url },
      auth,
      port: 0,
      host: '127.0.0.1',
      today: () => TODAY,
      logger: pino({ level: 'silent' }),
      admission: false,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await alternating?.close();
    await second?.stop();
    await graph?.stop();
  });

  const READERS = [
    ['an anonymous reader', () => undefined],
    ['the owner', () => owner],
  ] as const;

  const card = async (token?: string) => {
    const { data, errors } = await postGraphQL<Card>(gateway.url, CARD, undefined, token);
    expect(errors).toBeUndefined();
    return { latest: data!.norfolk.scorecard[0]!.latest, figures: data!.norfolk.figures[0]! };
  };
  const league = async (token?: string) => {
    const { data, errors } = await postGraphQL<{
      government: {
        league: { rows: { organisationId: string; value: number; rag: string }[] } | null;
      };
    }>(gateway.url, LEAGUE, undefined, token);
    expect(errors).toBeUndefined();
    return data!.government.league?.rows ?? [];
  };
  /**
   * A GET as a BI tool or a proxy sends it, revalidating with the ETag it holds when it has one. Not
   * `fetch`, which adds `Cache-Control: no-cache` to a conditional request (as the Fetch standard
   * says), which asks the server to send the answer whole.
   */
  const get = (path: string, token?: string, etag?: string) =>
    new Promise<{
      status: number;
      etag: string | undefined;
      lastModified: string | undefined;
      body: string;
    }>((resolve, reject) => {
      const headers = {
        ...(token && { authorization: `Bearer ${token}` }),
        ...(etag && { 'if-none-match': etag }),
      };
      httpGet(new URL(path, gateway.baseUrl), { headers }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            etag: response.headers.etag,
            lastModified: response.headers['last-modified'],
            body,
          }),
        );
      }).on('error', reject);
    });
  /** Norfolk's 608 figure for 2019-03 in the facts, or undefined. */
  const factOf = (csv: string) =>
    (
      parseCsv(csv, { columns: true }) as {
        period: string;
        value: string;
        target: string;
        status: string;
      }[]
    ).find((row) => row.period === '2019-03');
  /** The latest figure of indicator 608's report card on the organisation page: value, period and target. */
  const cardOf = (html: string) => {
    const found =
      /id="indicator-608"[\s\S]*?([\d.]+)% in (\d{4}-\d\d)(?: against a target of ([\d.]+)%)?/.exec(
        html,
      );
    return found
      ? {
          value: Number(found[1]),
          period: found[2],
          target: found[3] === undefined ? null : Number(found[3]),
        }
      : undefined;
  };

  /** The ETags each reader holds for the GET answers, checked to be revalidated with 304 while nothing changed. */
  const held = new Map<string, string>();
  const holdAll = async (firstServed = false) => {
    for (const [who, token] of READERS) {
      for (const path of [FACTS, PAGE]) {
        const first = await get(path, token());
        expect(first.status, `${who} ${path}`).toBe(200);
        expect(first.etag, `${who} ${path}`).toMatch(/^W\/"/);
        // A tag that replaced another within the same second has no Last-Modified (data-versions.test.ts);
        // the first ever served has one.
        if (firstServed || first.lastModified !== undefined)
          expect(first.lastModified).toMatch(/GMT$/);
        // Unchanged: 304, with no body, however many times it is asked (both processes answer in turn).
        for (let i = 0; i < 2; i++)
          expect(await get(path, token(), first.etag), `${who} ${path}`).toMatchObject({
            status: 304,
            etag: first.etag,
            body: '',
          });
        held.set(`${who} ${path}`, first.etag!);
      }
    }
  };
  /** The held ETag no longer matches: the answer is sent again, whole, with a new tag, which itself revalidates. */
  const changed = async (who: string, token: string | undefined, path: string) => {
    const again = await get(path, token, held.get(`${who} ${path}`));
    expect(again.status, `${who} ${path}`).toBe(200);
    expect(again.etag).not.toBe(held.get(`${who} ${path}`));
    expect((await get(path, token, again.etag)).status).toBe(304);
    return again.body;
  };

  it('shows a draft to its owner at once and to nobody else, through any process or cache, until it is published', async () => {
    // Warm every cache, in both processes, for both readers.
    for (const [, token] of READERS) {
      for (let i = 0; i < 2; i++) {
        expect((await card(token())).latest.period).toBe('2019-02');
        expect(await league(token())).toEqual([]);
      }
    }
    await holdAll(true);
    const submitted = await postGraphQL(
      gateway.url,
      'mutation { norfolk { submitMeasurements(measurements: [{ indicatorCode: "608", period: "2019-03", numerator: 300, denominator: 2500 }]) { accepted } } }',
      undefined,
      owner,
    );
    expect(submitted.errors).toBeUndefined();

    for (let i = 0; i < 2; i++) {
      expect((await card(owner)).latest).toMatchObject({ period: '2019-03', value: 12 });
      const anonymous = await card();
      expect(anonymous.latest.period).toBe('2019-02');
      expect(anonymous.figures.periods).not.toContain('2019-03');
      expect(await league()).toEqual([]);
    }
    expect(factOf(await changed('the owner', owner, FACTS))).toMatchObject({ value: '12' });
    // The draft moved Norfolk's data version, so the anonymous tags change too (nothing is kept
    // that might be stale), but what comes back has no draft in it.
    expect(factOf((await get(FACTS)).body)).toBeUndefined();
    expect(cardOf((await get(PAGE)).body)).toMatchObject({ period: '2019-02', value: 10.4 });
    expect(cardOf((await get(PAGE, owner)).body)).toMatchObject({ period: '2019-03', value: 12 });

    // Anonymous and owner reads at once: the gateway shares identical calls in flight, never across tokens.
    const mixed = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        (i % 2 === 0 ? card() : card(owner)).then((answer) => ({
          owner: i % 2 === 1,
          period: answer.latest.period,
        })),
      ),
    );
    for (const answer of mixed) expect(answer.period).toBe(answer.owner ? '2019-03' : '2019-02');
    expect(alternating.served.every((n) => n > 0)).toBe(true);
  });

  it('shows a publication, a correction and a target change to every reader on the very next request, through either process', async () => {
    const writes = [
      {
        name: 'a publication',
        write: async () =>
          expect(
            (
              await postGraphQL(
                gateway.url,
                'mutation { norfolk { publishPeriod(period: "2019-03") { published } } }',
                undefined,
                owner,
              )
            ).errors,
          ).toBeUndefined(),
        value: 12,
        // The target set from 2019-02 carries on.
        target: 10,
      },
      {
        // Imported, published, straight into the second process (not through the gateway).
        name: 'a correction',
        write: async () => {
          const corrected = await fetch(`${new URL('.', second.url).href}imports?publish=true`, {
            method: 'POST',
            headers: { 'content-type': 'text/csv', authorization: `Bearer ${owner}` },
            body: 'indicator_code,period,numerator,denominator\n608,2019-03,250,2500\n',
          });
          expect(corrected.status).toBe(200);
        },
        value: 10,
        target: 10,
      },
      {
        name: 'a target change',
        write: async () =>
          expect(
            (
              await postGraphQL(
                gateway.url,
                'mutation { norfolk { setTargets(targets: [{ indicatorCode: "608", fromPeriod: "2019-03", value: 9 }]) { accepted } } }',
                undefined,
                owner,
              )
            ).errors,
          ).toBeUndefined(),
        value: 10,
        target: 9,
      },
    ];
    for (const { name, write, value, target } of writes) {
      await holdAll();
      const before = await card();
      await write();
      for (const [who, token] of READERS) {
        // Two requests in a row: the load balancer sends them to different processes.
        for (let i = 0; i < 2; i++) {
          const { latest, figures } = await card(token());
          expect(latest, `${name}, ${who}`).toMatchObject({ period: '2019-03', value, target });
          expect(figures.values.at(-1)).toBe(value);
          expect(await league(token()), `${name}, ${who}`).toEqual([
            expect.objectContaining({ organisationId: 'norfolk', value }),
          ]);
        }
        const fact = factOf(await changed(who, token(), FACTS));
        expect(fact, `${name}, ${who}`).toMatchObject({
          value: String(value),
          target: String(target),
        });
        expect(cardOf(await changed(who, token(), PAGE)), `${name}, ${who}`).toEqual({
          period: '2019-03',
          value,
          target,
        });
      }
      if (name === 'a target change')
        expect((await card()).latest.rag!.status).not.toBe(before.latest.rag?.status ?? null);
    }
  });
});
