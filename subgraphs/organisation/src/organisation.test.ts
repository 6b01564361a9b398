import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, Scope, findEntry, issueToken, loadRegistry } from '@crossgov/schema';
import { dropSchemas, freshSchemaName } from '../../../test/utils/database.ts';
import { STORAGE, TEST_DATABASE_URL } from '../../../test/utils/graph.ts';
import { openOrganisationDatabase, type OrganisationDatabase } from './db/client.ts';
import { seedOrganisation } from './seed/seed.ts';
import { createOrganisationServer } from './server.ts';
import { startOrganisationSubgraph } from './start.ts';

const registry = loadRegistry();

async function subgraphFor(id: string, schema: string, serviceCount?: number) {
  const organisation = findEntry(registry, id);
  const database = await openOrganisationDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
  await seedOrganisation(database.db, organisation, { serviceCount });
  const { server, context } = await createOrganisationServer({ organisation, database });
  await server.start();
  const run = async <T>(query: string): Promise<T> => {
    const response = await server.executeOperation({ query }, { contextValue: await context() });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    if (response.body.singleResult.errors) throw new Error(JSON.stringify(response.body.singleResult.errors));
    return response.body.singleResult.data as T;
  };
  return { database, server, run };
}

describe(`an organisation subgraph on ${STORAGE}`, () => {
  const schemas = { norfolk: freshSchemaName('norfolk'), hmrc: freshSchemaName('hmrc') };
  let norfolk: Awaited<ReturnType<typeof subgraphFor>>;
  let hmrc: Awaited<ReturnType<typeof subgraphFor>>;
  beforeAll(async () => {
    norfolk = await subgraphFor('norfolk', schemas.norfolk);
    hmrc = await subgraphFor('hmrc', schemas.hmrc, 3);
  });
  afterAll(async () => {
    for (const s of [norfolk, hmrc]) {
      await s?.server.stop();
      await s?.database.close();
    }
    await dropSchemas(schemas.norfolk, schemas.hmrc);
  });

  it('filters a series by period range, oldest first', async () => {
    const data = await norfolk.run<{ norfolk: { indicators: { code: string; measurements: { period: string; value: number }[] }[] } }>(
      '{ norfolk { indicators { code measurements(from: "2018-10", to: "2018-12") { period value } } } }',
    );
    const availability = data.norfolk.indicators.find((i) => i.code === '636')!;
    expect(availability.measurements).toEqual([
      { period: '2018-10', value: 99 },
      { period: '2018-11', value: 99.9 },
      { period: '2018-12', value: 99.3 },
    ]);
  });

  it("gives a department's rate across its services as the ratio of the sums", async () => {
    const data = await hmrc.run<{
      hmrc: { indicators: { code: string; latest: { period: string; value: number; numerator: number; denominator: number }; serviceMeasurements: { period: string; numerator: number; denominator: number; value: number }[] }[] };
    }>('{ hmrc { indicators { code latest { period value numerator denominator } serviceMeasurements { period numerator denominator value } } } }');
    const completion = data.hmrc.indicators.find((i) => i.code === 'gds-completion-rate')!;
    const latest = completion.serviceMeasurements.filter((m) => m.period === completion.latest.period);
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

  it('puts the caller it verified itself in the context: anonymous without a token, the token\'s organisation and scopes with one', async () => {
    const auth = { secret: 'organisation-unit-secret-'.padEnd(40, 'k') };
    const { context } = await createOrganisationServer({ organisation: findEntry(registry, 'norfolk'), database: norfolk.database, auth });
    expect((await context()).principal).toBe(ANONYMOUS);
    const token = await issueToken(auth, { subject: 'ana', organisation: 'norfolk', scopes: [Scope.WRITE], expiresIn: '5m' });
    const { principal } = await context({ req: { headers: { authorization: `Bearer ${token}` } } });
    expect(principal).toMatchObject({ subject: 'ana', organisation: 'norfolk', anonymous: false });
    expect(principal.scopes.has(Scope.WRITE)).toBe(true);
    const other = await issueToken({ secret: 'x'.repeat(40) }, { subject: 'ana', organisation: 'norfolk', scopes: [], expiresIn: '5m' });
    await expect(context({ req: { headers: { authorization: `Bearer ${other}` } } })).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' } });
  });
});

describe(`an organisation subgraph's data on ${STORAGE}`, () => {
  it('survives a restart and is not seeded twice', async () => {
    const organisation = findEntry(registry, 'synergy');
    const dataDir = TEST_DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'crossgov-data-'));
    const schema = freshSchemaName('synergy');
    const options = { organisation, dataDir, databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, port: 0 };
    try {
      const first = await startOrganisationSubgraph(options);
      expect(first.seed?.seeded).toBe(true);
      const count = async (db: OrganisationDatabase) => (await db.db.query.measurements.findMany()).length;
      const before = await count(first.database);
      await first.stop();
      const second = await startOrganisationSubgraph(options);
      expect(second.seed?.seeded).toBe(false);
      expect(await count(second.database)).toBe(before);
      await second.stop();
    } finally {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      await dropSchemas(schema);
    }
  });
});
