import { ApolloServer } from '@apollo/server';
import { type Publisher } from '@crossgov/schema';
import { type RunningHttpServer, startHttpServer } from '@crossgov/schema/server';
import { ANONYMOUS } from '@crossgov/schema/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganisationDb } from '../db/client.ts';
import { importRoutes } from './import.route.ts';

// The import routes on the subgraph's HTTP server with no database behind them: what they answer
// before they would need one.

const publisher: Publisher = {
  id: 'norfolk',
  name: 'Norfolk County Council',
  typeName: 'NorfolkLocalAuthority',
  url: 'http://127.0.0.1:1/graphql',
  organisations: ['norfolk'],
  own: 'norfolk',
};

describe("asking a publisher's subgraph what became of an import", () => {
  let server: RunningHttpServer;
  let base: string;
  beforeAll(async () => {
    const routes = importRoutes({
      publisher,
      organisations: new Map(),
      db: {} as OrganisationDb,
      verify: async () => ANONYMOUS,
      today: () => '2026-11-21',
    });
    server = await startHttpServer({
      apollo: new ApolloServer({ typeDefs: 'type Query { x: Int }' }),
      context: async () => ({}),
      routes,
      port: 0,
    });
    base = server.url.replace(/\/$/, '');
  });
  afterAll(async () => {
    await server?.stop();
  });

  // Found by test/fuzz.e2e.test.ts: the id went back as a header before it was checked, and a NUL in a header throws (500).
  it('answers an id holding a NUL or a line break as it answers any other, without echoing it in a header', async () => {
    for (const id of ['%00', 'norfolk.%0D%0Aset-cookie:x', '%EF%BF%BD']) {
      const response = await fetch(`${base}/imports/${id}`);
      expect(response.status, id).toBe(401);
      expect(response.headers.get('import-id'), id).toBeNull();
      expect(
        ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!
          .extensions.code,
        id,
      ).toBe('UNAUTHENTICATED');
    }
  });

  it('still echoes a well-formed id', async () => {
    const response = await fetch(`${base}/imports/norfolk.abcdefghijklmnop`);
    expect(response.status).toBe(401);
    expect(response.headers.get('import-id')).toBe('norfolk.abcdefghijklmnop');
  });
});
