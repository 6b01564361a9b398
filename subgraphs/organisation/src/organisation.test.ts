import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Registry,
  findPublisher,
  loadRegistry,
  organisationsOf,
  parseRegistry,
} from '@crossgov/schema';
import { ANONYMOUS, Scope, issueToken } from '@crossgov/schema/auth';
import {
  STORAGE,
  TEST_DATABASE_URL,
  dropSchemas,
  freshSchemaName,
} from '@crossgov/testing/database';
import { seededDatabase } from '@crossgov/testing/fixtures';
import type { OrganisationDatabase } from './db/client.ts';
import { createOrganisationServer } from './server.ts';
import { startOrganisationSubgraph } from './start.ts';

const registry = loadRegistry();

/** The organisations a publisher of the registry serves, what its subgraph's database is seeded with. */
const servedBy = (id: string, from: Registry = registry) =>
  organisationsOf(from, findPublisher(from, id));

/** One publisher's subgraph on its seeded database (seededDatabase), started. */
async function subgraphFor(id: string, database: OrganisationDatabase, from: Registry = registry) {
  const publisher = findPublisher(from, id);
  const organisations = organisationsOf(from, publisher);
  const { server, context } = await createOrganisationServer({
    publisher,
    organisations,
    database,
  });
  await server.start();
  const run = async <T>(query: string): Promise<T> => {
    const response = await server.executeOperation({ query }, { contextValue: await context() });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    if (response.body.singleResult.errors)
      throw new Error(JSON.stringify(response.body.singleResult.errors));
    return response.body.singleResult.data as T;
  };
  return { database, server, context, run };
}

describe(`an organisation subgraph on ${STORAGE}`, () => {
  const databases = {
    norfolk: seededDatabase(servedBy('norfolk')),
    hmrc: seededDatabase(servedBy('hmrc'), { serviceCount: 3 }),
  };
  let norfolk: Awaited<ReturnType<typeof subgraphFor>>;
  let hmrc: Awaited<ReturnType<typeof subgraphFor>>;
  beforeAll(async () => {
    norfolk = await subgraphFor('norfolk', databases.norfolk.database);
    hmrc = await subgraphFor('hmrc', databases.hmrc.database);
  });
  // Before the seeded databases close: vitest runs after-hooks last registered first.
  afterAll(async () => {
    for (const s of [norfolk, hmrc]) await s?.server.stop();
  });

  it('filters a series by period range, oldest first', async () => {
    const data = await norfolk.run<{
      norfolk: {
        indicators: { code: string; measurements: { period: string; value: number }[] }[];
      };
    }>(
      '{ norfolk { indicators { code measurements(from: "2018-11", to: "2019-01") { period value } } } }',
    );
    const availability = data.norfolk.indicators.find((i) => i.code === '636')!;
    expect(availability.measurements).toEqual([
      { period: '2018-11', value: 99.9 },
      { period: '2018-12', value: 99.3 },
      { period: '2019-01', value: 100 },
    ]);
  });

  it("gives a department's rate across its services as the ratio of the sums", async () => {
    const data = await hmrc.run<{
      hmrc: {
        indicators: {
          code: string;
          latest: { period: string; value: number; numerator: number; denominator: number };
          serviceMeasurements: {
            period: string;
            numerator: number;
            denominator: number;
            value: number;
          }[];
        }[];
      };
    }>(
      '{ hmrc { indicators { code latest { period value numerator denominator } serviceMeasurements { period numerator denominator value } } } }',
    );
    const completion = data.hmrc.indicators.find((i) => i.code === 'gds-completion-rate')!;
    const latest = completion.serviceMeasurements.filter(
      (m) => m.period === completion.latest.period,
    );
    expect(latest).toHaveLength(3);
    const numerator = latest.reduce((s, m) => s + m.numerator, 0);
    const denominator = latest.reduce((s, m) => s + m.denominator, 0);
    expect(completion.latest.numerator).toBe(numerator);
    expect(completion.latest.denominator).toBe(denominator);
    expect(completion.latest.value).toBeCloseTo((numerator / denominator) * 100, 10);
  });

  it('resolves only its own organisation as an entity', async () => {
    const data = await norfolk.run<{ _entities: ({ id: string } | null)[] }>(
      '{ _entities(representations: [{ __typename: "NorfolkLocalAuthority", id: "norfolk" }, { __typename: "NorfolkLocalAuthority", id: "suffolk" }]) { ... on NorfolkLocalAuthority { id } } }',
    );
    expect(data._entities).toEqual([{ id: 'norfolk' }, null]);
  });

  // Found by test/fuzz.e2e.test.ts: @apollo/subgraph threw a plain Error, masked as INTERNAL_SERVER_ERROR.
  it('refuses a representation naming no type of its own as bad input, not as an internal error', async () => {
    for (const representation of [
      '{ __typename: "HmrcDepartment", id: "hmrc" }',
      '{ id: "norfolk" }',
    ]) {
      const response = await norfolk.server.executeOperation(
        { query: `{ _entities(representations: [${representation}]) { __typename } }` },
        { contextValue: await norfolk.context() },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      expect(response.body.singleResult.errors?.[0]?.extensions, representation).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'representations[0].__typename',
      });
    }
  });

  it("puts the caller it verified itself in the context: anonymous without a token, the token's organisation and scopes with one", async () => {
    const auth = { secret: 'organisation-unit-secret-'.padEnd(40, 'k') };
    const publisher = findPublisher(registry, 'norfolk');
    const { context } = await createOrganisationServer({
      publisher,
      organisations: organisationsOf(registry, publisher),
      database: norfolk.database,
      auth,
    });
    expect((await context()).principal).toBe(ANONYMOUS);
    const token = await issueToken(auth, {
      subject: 'ana',
      organisation: 'norfolk',
      scopes: [Scope.WRITE],
      expiresIn: '5m',
    });
    const { principal } = await context({ req: { headers: { authorization: `Bearer ${token}` } } });
    expect(principal).toMatchObject({
      subject: 'ana',
      organisation: 'norfolk',
      publisher: null,
      anonymous: false,
    });
    expect(principal.scopes.has(Scope.WRITE)).toBe(true);
    const other = await issueToken(
      { secret: 'x'.repeat(40) },
      { subject: 'ana', organisation: 'norfolk', scopes: [], expiresIn: '5m' },
    );
    await expect(
      context({ req: { headers: { authorization: `Bearer ${other}` } } }),
    ).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' } });
  });
});

describe(`a sector body's subgraph serving several organisations on ${STORAGE}`, () => {
  // NHS England publishes for two trusts from one schema; each trust is a row of NhsTrust.
  const sector = parseRegistry({
    directory: { url: 'http://127.0.0.1:4001/graphql' },
    insights: { url: 'http://127.0.0.1:4002/graphql' },
    publishers: [
      {
        id: 'nhs-england',
        name: 'NHS England',
        typeName: 'NhsTrust',
        url: 'http://127.0.0.1:4201/graphql',
      },
    ],
    organisations: [
      {
        id: 'rj1',
        name: "Guy's and St Thomas'",
        kind: 'NHS_TRUST',
        publisher: 'nhs-england',
        seed: { profile: 'department' },
      },
      {
        id: 'rgt',
        name: 'Cambridge University Hospitals',
        kind: 'NHS_TRUST',
        publisher: 'nhs-england',
        seed: { profile: 'department' },
      },
    ],
  });
  const database = seededDatabase(servedBy('nhs-england', sector), { serviceCount: 2 });
  let nhs: Awaited<ReturnType<typeof subgraphFor>>;
  beforeAll(async () => {
    nhs = await subgraphFor('nhs-england', database.database, sector);
  });
  afterAll(async () => {
    await nhs?.server.stop();
  });

  type Trust = {
    id: string;
    indicators: { code: string; latest: { period: string; value: number } | null }[];
  } | null;
  const QUERY = '{ id indicators { code latest { period value } } }';

  it('serves each organisation under its root field by id, and null for one it does not serve', async () => {
    const data = await nhs.run<{ rj1: Trust; rgt: Trust; norfolk: Trust }>(
      `{ rj1: nhsEngland(id: "rj1") ${QUERY} rgt: nhsEngland(id: "rgt") ${QUERY} norfolk: nhsEngland(id: "norfolk") ${QUERY} }`,
    );
    expect(data.rj1?.id).toBe('rj1');
    expect(data.rgt?.id).toBe('rgt');
    expect(data.norfolk).toBeNull();
  });

  it("keeps each organisation's rows apart, though both use the same indicator codes", async () => {
    const data = await nhs.run<{ rj1: Trust; rgt: Trust }>(
      `{ rj1: nhsEngland(id: "rj1") ${QUERY} rgt: nhsEngland(id: "rgt") ${QUERY} }`,
    );
    const codes = (trust: Trust) => trust!.indicators.map((i) => i.code);
    expect(codes(data.rj1)).toEqual(codes(data.rgt));
    expect(codes(data.rj1)).toContain('gds-completion-rate');
    const completion = (trust: Trust) =>
      trust!.indicators.find((i) => i.code === 'gds-completion-rate')!.latest!;
    // Each trust's seed is its own (the series depends on the organisation id), so the figures differ.
    expect(completion(data.rj1).period).toBe(completion(data.rgt).period);
    expect(completion(data.rj1).value).not.toBe(completion(data.rgt).value);
  });

  it('resolves every organisation it serves as an entity of its type, and no other', async () => {
    const data = await nhs.run<{ _entities: ({ id: string } | null)[] }>(
      '{ _entities(representations: [{ __typename: "NhsTrust", id: "rgt" }, { __typename: "NhsTrust", id: "norfolk" }, { __typename: "NhsTrust", id: "rj1" }]) { ... on NhsTrust { id } } }',
    );
    expect(data._entities).toEqual([{ id: 'rgt' }, null, { id: 'rj1' }]);
  });
});

describe(`an organisation subgraph's data on ${STORAGE}`, () => {
  it('survives a restart and is not seeded twice', async () => {
    const publisher = findPublisher(registry, 'synergy');
    const schema = freshSchemaName('synergy');
    const options = {
      publisher,
      organisations: organisationsOf(registry, publisher),
      databaseUrl: TEST_DATABASE_URL,
      databaseSchema: schema,
      port: 0,
    };
    try {
      const first = await startOrganisationSubgraph(options);
      expect(first.seed.get('synergy')?.seeded).toBe(true);
      const count = async (db: OrganisationDatabase) =>
        (await db.db.query.measurements.findMany()).length;
      const before = await count(first.database);
      await first.stop();
      const second = await startOrganisationSubgraph(options);
      expect(second.seed.get('synergy')?.seeded).toBe(false);
      expect(await count(second.database)).toBe(before);
      await second.stop();
    } finally {
      await dropSchemas(schema);
    }
  });
});
