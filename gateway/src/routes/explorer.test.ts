import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { type RunningHttpServer, startHttpServer } from '@crossgov/schema/server';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explorerRoutes } from './explorer.ts';

// The explorer a browser gets at /graphql, on a stand-in server: a page whose every script and style
// sheet is this origin's file (nothing from a CDN), and the API's own answers left alone.

const typeDefs = 'type Query { hello: String }';

describe('the GraphQL explorer', () => {
  let server: RunningHttpServer;
  let schemaLoaded = true;
  beforeAll(async () => {
    const routes = explorerRoutes({
      schema: () => (schemaLoaded ? buildSchema(typeDefs) : undefined),
    });
    const apollo = new ApolloServer({
      typeDefs,
      resolvers: { Query: { hello: () => 'world' } },
      plugins: [ApolloServerPluginLandingPageDisabled()],
    });
    server = await startHttpServer({ apollo, context: async () => ({}), routes, port: 0 });
  });
  afterAll(async () => {
    await server?.stop();
  });
  const page = () =>
    fetch(`${server.url}graphql`, {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });

  it('answers a browser opening /graphql with a page that runs only scripts from this origin', async () => {
    const response = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await response.text();
    expect(html).toContain('<div id="graphiql">');
    // No inline script: every <script> names a file.
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src="/.test(tag))).toBe(true);
  });

  it('names same-origin scripts and style sheets only, each served with its type and a year of cache', async () => {
    const html = await (await page()).text();
    const urls = [...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    const scripts = [...html.matchAll(/<script\b[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    const sheets = [...html.matchAll(/<link\b[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(4); // React, ReactDOM, GraphiQL, the page's own
    expect(sheets).toHaveLength(2); // GraphiQL's, the page's own
    for (const url of urls) expect(url).toMatch(/^\/explorer\/[^/]+$/);
    for (const url of scripts) {
      const response = await fetch(new URL(url, server.url));
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toMatch(/^(text|application)\/javascript/);
      expect(response.headers.get('cache-control'), url).toBe(
        'public, max-age=31536000, immutable',
      );
      expect((await response.text()).length, url).toBeGreaterThan(100);
    }
    for (const url of sheets) {
      const response = await fetch(new URL(url, server.url));
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toMatch(/^text\/css/);
    }
  });

  it("answers GraphiQL's introspection from the API schema, and says so while none is loaded", async () => {
    const body = (await (await fetch(`${server.url}explorer/schema.json`)).json()) as {
      data: { __schema: { queryType: { name: string } } };
    };
    expect(body.data.__schema.queryType.name).toBe('Query');
    schemaLoaded = false;
    try {
      const response = await fetch(`${server.url}explorer/schema.json`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
    } finally {
      schemaLoaded = true;
    }
  });

  it('leaves POST /graphql, GET with a query and a GET asking for JSON to the API', async () => {
    const posted = await fetch(`${server.url}graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    expect(await posted.json()).toEqual({ data: { hello: 'world' } });
    // From a browser too: a GET with a query is the API's (here Apollo's, which answers JSON only).
    const got = await fetch(`${server.url}graphql?query=${encodeURIComponent('{ hello }')}`, {
      headers: { accept: 'text/html' },
    });
    expect(got.headers.get('content-type')).toMatch(/^application\/json/);
    const json = await fetch(`${server.url}graphql`, { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).not.toMatch(/html/);
  });
});
