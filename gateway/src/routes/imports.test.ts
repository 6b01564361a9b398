import { ApolloServer } from '@apollo/server';
import { type RunningHttpServer, startHttpServer } from '@crossgov/schema/server';
import { ANONYMOUS } from '@crossgov/schema/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importForwarding, publisherLookup } from './imports.ts';
import type { QueryResult } from './run-query.ts';

// The gateway's import routes with no subgraph behind them: what they answer about an id or an
// organisation before anything is forwarded. Both cases were found by test/fuzz.e2e.test.ts.

/** The gateway's answer to the directory question when the id holds a NUL: its limits refuse it as input. */
const refusedAsInput: QueryResult = {
  status: 400,
  data: null,
  errors: [
    {
      message:
        '$id "\\u0000" must not contain a NUL character (U+0000): no text field can hold one',
      extensions: { code: 'BAD_USER_INPUT' },
    },
  ],
};

describe('the import routes of the gateway', () => {
  let server: RunningHttpServer;
  const asked: string[] = [];
  beforeAll(async () => {
    const routes = importForwarding({
      subgraphUrl: () => undefined,
      publisherOf: publisherLookup(async (_req, _query, variables) => {
        asked.push(variables!.id as string);
        return refusedAsInput;
      }),
      verify: async () => ANONYMOUS,
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

  it('answers an organisation id the directory refuses as input (a NUL) with 404, not as an unreachable directory', async () => {
    const response = await fetch(`${server.url}organisations/%00/imports`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'indicator_code,period,value\n',
    });
    expect(asked).toEqual(['\u0000']);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      errors: [
        {
          message:
            'organisation "\\u0000" is not in this graph; the organisations are listed by { organisations { id } }',
          extensions: { code: 'NOT_FOUND' },
        },
      ],
    });
  });

  it('answers a status question about an id holding a NUL or a line break with 400, without echoing it in a header', async () => {
    for (const id of ['%00', 'norfolk.%0D%0Aset-cookie:x']) {
      const response = await fetch(`${server.url}imports/${id}`);
      expect(response.status, id).toBe(400);
      expect(response.headers.get('import-id'), id).toBeNull();
      expect(
        ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!
          .extensions.code,
        id,
      ).toBe('BAD_REQUEST');
    }
  });
});
