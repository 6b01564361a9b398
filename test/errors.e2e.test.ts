import { ERRORS, statusOf } from '@crossgov/schema';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type TestGraph, startTestGraph } from '@crossgov/testing/graph';
import { upload } from '@crossgov/testing/imports';
import { tampered, tokenFor as issueToken } from '@crossgov/testing/tokens';

// Issue 18, acceptance 2: each HTTP route's refusals through the real gateway and publishers. Every
// answer's status is the one the table (schema/src/errors.ts) gives the code in its body, and a code
// has the same status whichever route raised it.

const auth: AuthConfig = { secret: 'errors-e2e-secret-'.padEnd(48, 'e') };
const tokenFor = (organisation: string | null, scopes: Scope[]) =>
  issueToken(auth, organisation, scopes);

interface Refusal {
  route: string;
  status: number;
  code: string;
  reason?: string;
}

interface ErrorBody {
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
}

describe(`refusals of every HTTP route, through the gateway on ${STORAGE}`, () => {
  let graph: TestGraph;
  let base: string;
  let reader: string;
  const seen: Refusal[] = [];

  /** Reads a JSON refusal, checks its status is the table's for its code (and reason), and keeps it for the comparison across routes. */
  async function refused(
    route: string,
    response: Response | { status: number; text: string },
    code: string,
    reason?: string,
  ): Promise<ErrorBody> {
    const text =
      'text' in response && typeof response.text === 'string'
        ? response.text
        : await (response as Response).text();
    const body = JSON.parse(text) as ErrorBody;
    const extensions = body.errors?.[0]?.extensions ?? {};
    expect(extensions.code, `${route}: ${text.slice(0, 300)}`).toBe(code);
    expect(extensions.reason, route).toBe(reason);
    expect(response.status, `${route}: ${text.slice(0, 300)}`).toBe(statusOf(code, reason));
    seen.push({ route, status: response.status, code, ...(reason && { reason }) });
    return body;
  }

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, base), { headers: { 'x-api-key': reader, ...headers } });
  const importTo = (organisation: string, body: string, headers: Record<string, string> = {}) =>
    fetch(new URL(`organisations/${organisation}/imports`, base), {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...headers },
      body,
    });
  const postGraphql = (body: string) =>
    fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  beforeAll(async () => {
    graph = await startTestGraph({ auth });
    base = new URL('.', graph.gatewayUrl).href;
    reader = await tokenFor('synergy', [Scope.READ_PUBLISHED]);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('GET /facts: a bad parameter, an unknown organisation and a refused token', async () => {
    const bad = await refused(
      'GET /facts pageSize',
      await get('facts?pageSize=0'),
      'BAD_USER_INPUT',
    );
    expect(bad.errors![0]!.extensions).toMatchObject({
      field: 'pageSize',
      value: '0',
      rule: 'must be a whole number from 1 to 10000',
    });
    await refused('GET /facts unknown parameter', await get('facts?colour=red'), 'BAD_USER_INPUT');
    const unknown = await refused(
      'GET /facts organisations',
      await get('facts?organisations=atlantis'),
      'BAD_USER_INPUT',
    );
    expect(unknown.errors![0]!.message).toMatch(
      /^organisations "atlantis" names no organisation in this graph/,
    );
    await refused(
      'GET /facts token',
      await get('facts', { 'x-api-key': tampered(reader) }),
      'UNAUTHENTICATED',
      'BAD_SIGNATURE',
    );
  });

  it('GET /graphql and /operations: a registered operation with a bad variable, an unknown one, and a mutation', async () => {
    await refused(
      'GET /graphql?id= bad variable',
      await get(`graphql?id=organisations&variables=${encodeURIComponent('{"kind":"PLANET"}')}`),
      'BAD_USER_INPUT',
    );
    await refused(
      'GET /operations/:id undeclared parameter',
      await get('operations/league?indikator=x'),
      'BAD_USER_INPUT',
    );
    await refused(
      'GET /operations/:id repeated parameter',
      await get('operations/league?indicator=a&indicator=b'),
      'BAD_USER_INPUT',
    );
    await refused('GET /graphql?id= unknown operation', await get('graphql?id=nope'), 'NOT_FOUND');
    await refused(
      'GET /operations/:id unknown operation',
      await get('operations/nope'),
      'NOT_FOUND',
    );
    const mutation = await get(
      `graphql?query=${encodeURIComponent('mutation { norfolk { publishPeriod(period: "2019-02") { published } } }')}`,
    );
    expect(mutation.headers.get('allow')).toBe('POST');
    await refused('GET /graphql mutation', mutation, 'BAD_REQUEST', 'METHOD_NOT_ALLOWED');
  });

  it('POST /graphql: a body over the limit, and one that is not JSON', async () => {
    await refused(
      'POST /graphql too large',
      await postGraphql(JSON.stringify({ query: `{ __typename ${' '.repeat(3 * 1024 * 1024)}}` })),
      'PAYLOAD_TOO_LARGE',
    );
    await refused('POST /graphql not JSON', await postGraphql('{"query": '), 'BAD_REQUEST');
  });

  it('POST /organisations/:id/imports: no token, the wrong organisation, a file over the limit, an unknown organisation, a bad import id', async () => {
    const csv = 'indicator_code,period,value\n';
    await refused('POST imports no token', await importTo('norfolk', csv), 'UNAUTHENTICATED');
    await refused(
      'POST imports wrong organisation',
      await importTo('norfolk', csv, {
        authorization: `Bearer ${await tokenFor('synergy', [Scope.WRITE])}`,
      }),
      'FORBIDDEN',
    );
    const writer = await tokenFor('norfolk', [Scope.WRITE]);
    // Refused by its declared length before it is read: the body is never sent whole.
    const tooLarge = await upload(
      new URL('organisations/norfolk/imports', base).href,
      {
        'content-type': 'text/csv',
        'content-length': String(65 * 1024 * 1024),
        authorization: `Bearer ${writer}`,
      },
      [csv],
      'wait',
    );
    await refused('POST imports too large', tooLarge!, 'PAYLOAD_TOO_LARGE');
    await refused(
      'POST imports unknown organisation',
      await importTo('atlantis', csv, { authorization: `Bearer ${writer}` }),
      'NOT_FOUND',
    );
    await refused(
      'POST imports bad import id',
      await importTo('norfolk', csv, { authorization: `Bearer ${writer}`, 'import-id': 'not-one' }),
      'BAD_REQUEST',
    );
    await refused(
      'POST imports wrong type',
      await importTo('norfolk', csv, {
        authorization: `Bearer ${writer}`,
        'content-type': 'application/vnd.ms-excel',
      }),
      'BAD_REQUEST',
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('GET /imports/:id: no token, not an import id, a publisher not in the graph', async () => {
    const writer = await tokenFor('norfolk', [Scope.WRITE]);
    const publisher = graph.registry.organisations.find((o) => o.id === 'norfolk')!.publisher;
    await refused(
      'GET /imports/:id no token',
      await fetch(new URL(`imports/${publisher}.never-sent-this-id-00`, base)),
      'UNAUTHENTICATED',
    );
    await refused(
      'GET /imports/:id malformed',
      await fetch(new URL('imports/not-an-import-id', base), {
        headers: { authorization: `Bearer ${writer}` },
      }),
      'BAD_REQUEST',
    );
    await refused(
      'GET /imports/:id unknown publisher',
      await fetch(new URL('imports/atlantis.caller-chosen-id-0001', base), {
        headers: { authorization: `Bearer ${writer}` },
      }),
      'NOT_FOUND',
    );
  });

  it('a path no route has: 404 NOT_FOUND as JSON, and the dashboard\'s "Page not found" to a browser', async () => {
    await refused(
      'GET unknown path',
      await get('no/such/path', { accept: 'application/json' }),
      'NOT_FOUND',
    );
    await refused(
      'POST unknown path',
      await fetch(new URL('no/such/path', base), { method: 'POST' }),
      'NOT_FOUND',
    );
    for (const path of ['no/such/page', 'organisations/atlantis']) {
      const page = await fetch(new URL(path, base), { headers: { accept: 'text/html' } });
      expect(page.status, path).toBe(statusOf('NOT_FOUND'));
      expect(page.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(await page.text(), path).toContain('Page not found');
    }
  });

  it('a publisher whose subgraph is down: 502 SUBGRAPH_UNAVAILABLE from /facts and from an import alike', async () => {
    const publisher = graph.registry.organisations.find((o) => o.id === 'matrix')!.publisher;
    const down = graph.registry.organisations
      .filter((o) => o.publisher === publisher)
      .map((o) => o.id);
    await graph.publishers.get(publisher)!.stop();
    const facts = await refused(
      'GET /facts subgraph down',
      await get(`facts?organisations=${down[0]}`),
      'SUBGRAPH_UNAVAILABLE',
      'UNREACHABLE',
    );
    expect(facts.errors![0]!.message).toMatch(new RegExp(`^${down[0]}: `));
    const writer = await tokenFor(down[0]!, [Scope.WRITE]);
    await refused(
      'POST imports subgraph down',
      await importTo(down[0]!, 'indicator_code,period,value\n', {
        authorization: `Bearer ${writer}`,
      }),
      'SUBGRAPH_UNAVAILABLE',
      'UNREACHABLE',
    );
  });

  it('gives a code the same status whichever route raised it: the one in the table', () => {
    const byCode = new Map<string, Refusal[]>();
    for (const refusal of seen)
      byCode.set(`${refusal.code} ${refusal.reason ?? ''}`, [
        ...(byCode.get(`${refusal.code} ${refusal.reason ?? ''}`) ?? []),
        refusal,
      ]);
    for (const [key, refusals] of byCode) {
      expect(
        new Set(refusals.map((r) => r.status)),
        `${key}: ${refusals.map((r) => `${r.route} ${r.status}`).join('; ')}`,
      ).toEqual(new Set([refusals[0]!.status]));
    }
    // Raised by more than one route each, so the comparison compares something.
    for (const code of [
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'UNAUTHENTICATED',
      'PAYLOAD_TOO_LARGE',
      'BAD_REQUEST',
      'SUBGRAPH_UNAVAILABLE',
    ] as const) {
      const routes = new Set(
        seen.filter((r) => r.code === code).map((r) => r.route.split(' ').slice(0, 2).join(' ')),
      );
      expect(routes.size, `${code}: ${[...routes].join(', ')}`).toBeGreaterThan(1);
      expect(
        seen
          .filter((r) => r.code === code && !r.reason)
          .every((r) => r.status === ERRORS[code].status),
        code,
      ).toBe(true);
    }
  });
});
