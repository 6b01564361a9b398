import { createRequire } from 'node:module';
import { ApolloServer } from '@apollo/server';
import type * as GraphQL from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHttpServer, startHttpServer } from './http.ts';

// Apollo Server loads graphql's CommonJS build; build the schema with the same copy.
const { buildSchema } = createRequire(import.meta.url)('graphql') as typeof GraphQL;

describe('the HTTP server every Crossgov server runs on', () => {
  let running: RunningHttpServer;
  const post = async (body: string, path = 'graphql') => {
    const response = await fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as {
        data?: unknown;
        errors?: { message: string; extensions: Record<string, unknown> }[];
      },
    };
  };

  beforeAll(async () => {
    const apollo = new ApolloServer({
      schema: buildSchema('type Query { hello: String }'),
      rootValue: { hello: () => 'hello' },
    });
    running = await startHttpServer({
      apollo,
      context: async () => ({}),
      port: 0,
      bodyLimit: 1000,
      routes: (app) =>
        app.post('/broken', () => {
          throw new Error('connect ECONNREFUSED 10.0.0.7:5432');
        }),
    });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('refuses a GraphQL body over its limit with 413 as JSON, naming the limit and the size', async () => {
    const body2021 = JSON.stringify({ query: `{ hello ${' '.repeat(2000)}}` });
    expect(body2021).toHaveLength(2021);
    const { status, type, body } = await post(body2021);
    expect(status).toBe(413);
    expect(type).toMatch(/^application\/json/);
    expect(body.errors![0]).toEqual({
      message: "the request body is 2,021 bytes, over this route's limit of 1,000 bytes",
      extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 'body', max: 1000, found: 2021 },
    });
  });

  it('answers a body that is not JSON with 400 as JSON', async () => {
    const { status, body } = await post('{"query": ');
    expect(status).toBe(400);
    expect(body.errors![0]).toEqual({
      message: 'the request body is not valid JSON',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it("masks a route's unexpected failure as a JSON 500", async () => {
    const { status, body } = await post('{}', 'broken');
    expect(status).toBe(500);
    expect(body.errors![0]).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('still answers GraphQL within the limit', async () => {
    expect((await post(JSON.stringify({ query: '{ hello }' }))).body).toEqual({
      data: { hello: 'hello' },
    });
  });
});
