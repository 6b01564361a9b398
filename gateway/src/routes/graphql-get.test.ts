import { ApolloServer } from '@apollo/server';
import { type RunningHttpServer, startHttpServer } from '@crossgov/schema/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlGetRoutes } from './graphql-get.ts';
import { loadOperations } from './operations.ts';
import type { QueryResult } from './run-query.ts';

// GraphQL over GET as CSV, over a stand-in for the gateway's query runner: the status of an answer
// that cannot be a table because of its errors.

describe('a registered operation asked for as CSV', () => {
  let server: RunningHttpServer;
  let answer: QueryResult;
  beforeAll(async () => {
    const routes = graphqlGetRoutes({
      run: async () => answer,
      operations: loadOperations(),
      logger: { warn: () => undefined },
    });
    server = await startHttpServer({
      apollo: new ApolloServer({ typeDefs: 'type Query { x: Int }' }),
      context: async () => ({}),
      routes,
      port: 0,
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  // Found by test/fuzz.e2e.test.ts: a bad period answered 502, as if a subgraph had failed.
  it("answers an argument the graph refuses with the refusal's 400, not 502", async () => {
    const refusal = {
      message: 'period "CLUSTER" is not in a known format',
      path: ['government', 'league'],
      extensions: { code: 'BAD_USER_INPUT' },
    };
    answer = { status: 200, data: { government: { league: null } }, errors: [refusal] };
    const response = await fetch(
      `${server.url}operations/league?indicator=ss-invoices-paid-5-days&period=CLUSTER&format=csv`,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ data: answer.data, errors: [refusal] });
  });

  it('answers 502 when a subgraph failed, since the table would miss its rows', async () => {
    answer = {
      status: 200,
      data: { government: { league: null } },
      errors: [{ message: 'no answer', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }],
    };
    expect(
      (await fetch(`${server.url}operations/league?indicator=ss-invoices-paid-5-days&format=csv`))
        .status,
    ).toBe(502);
  });
});
