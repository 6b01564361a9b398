import { startGateway } from '@crossgov/gateway';
import { type AuthConfig, Scope, issueToken } from '@crossgov/schema/auth';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type GraphQLResponse, type TestGraph, startTestGraph } from '@crossgov/testing/graph';
import { tampered } from '@crossgov/testing/tokens';

const auth: AuthConfig = { secret: 'identity-e2e-secret-'.padEnd(48, 'x') };
const SYNERGY_QUERY = '{ synergy { id indicators { code } } }';

interface SynergyData {
  synergy: { id: string; indicators: { code: string }[] | null };
}

/** Posts a query with the given headers; returns the HTTP status and the parsed body. */
async function post(url: string, headers: Record<string, string>, query = SYNERGY_QUERY) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<SynergyData> };
}

const token = (config: AuthConfig, expiresIn = '1h') =>
  issueToken(config, {
    subject: 'ana',
    organisation: 'synergy',
    scopes: [Scope.WRITE, Scope.READ_DRAFTS],
    expiresIn,
  });

describe(`identity through the gateway and in each subgraph on ${STORAGE}`, () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ auth });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('lets an anonymous caller read published data', async () => {
    const { status, body } = await post(graph.gatewayUrl, {});
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.synergy.indicators!.length).toBeGreaterThan(0);
  });

  it('answers a caller with a valid token, and the subgraph accepts the same token itself', async () => {
    const valid = await token(auth);
    const through = await post(graph.gatewayUrl, { authorization: `Bearer ${valid}` });
    expect(through.body.errors).toBeUndefined();
    expect(through.body.data!.synergy.indicators!.length).toBeGreaterThan(0);

    const direct = await post(graph.subgraphUrls.synergy!, { authorization: `Bearer ${valid}` });
    expect(direct.body.errors).toBeUndefined();
    expect(direct.body.data!.synergy.id).toBe(through.body.data!.synergy.id);
  });

  it('has the subgraph itself refuse a tampered token sent to it directly', async () => {
    const { status, body } = await post(graph.subgraphUrls.synergy!, {
      authorization: `Bearer ${tampered(await token(auth), { org: 'norfolk' })}`,
    });
    expect(status).toBe(401);
    expect(body.data ?? null).toBeNull();
    expect(body.errors![0]!.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'BAD_SIGNATURE',
    });
  });

  it('forwards the token to each subgraph, which verifies it again rather than trust the gateway', async () => {
    // A second gateway with its own secret: it accepts the token, the subgraphs (on the graph's secret) must not.
    const otherSecret: AuthConfig = { secret: 'another-gateway-secret-'.padEnd(48, 'y') };
    const gateway = await startGateway({
      supergraphSdl: graph.supergraphSdl,
      subgraphUrls: graph.subgraphUrls,
      auth: otherSecret,
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    try {
      const anonymous = await post(gateway.url, {});
      expect(anonymous.body.errors).toBeUndefined();
      const { status, body } = await post(gateway.url, {
        authorization: `Bearer ${await token(otherSecret)}`,
      });
      expect(status).toBe(200);
      expect(body.data ?? null).toBeNull();
      expect(body.errors![0]!.extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
        subgraph: 'synergy',
        reason: 'BAD_SIGNATURE',
      });
    } finally {
      await gateway.stop();
    }
  });

  const refusals: [string, () => Promise<string>, string][] = [
    ['an expired token', () => token(auth, '-5m'), 'EXPIRED'],
    [
      'a tampered token',
      async () => tampered(await token(auth), { org: 'norfolk' }),
      'BAD_SIGNATURE',
    ],
    [
      'a token signed with another secret',
      () => token({ secret: 'not-the-graph-secret-'.padEnd(48, 'z') }),
      'BAD_SIGNATURE',
    ],
  ];
  for (const [what, make, reason] of refusals) {
    it(`refuses ${what} at the gateway with HTTP 401, UNAUTHENTICATED and reason ${reason}`, async () => {
      const jwt = await make();
      const { status, body } = await post(graph.gatewayUrl, { authorization: `Bearer ${jwt}` });
      expect(status).toBe(401);
      expect(body.data ?? null).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
      expect(body.errors![0]!.message).not.toContain(jwt);
    });
  }

  it('takes the token from x-api-key exactly as from authorization', async () => {
    const accepted = await post(graph.gatewayUrl, { 'x-api-key': await token(auth) });
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data!.synergy.indicators!.length).toBeGreaterThan(0);

    const refused = await post(graph.gatewayUrl, { 'x-api-key': await token(auth, '-5m') });
    expect(refused.status).toBe(401);
    expect(refused.body.errors![0]!.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'EXPIRED',
    });
  });
});
