import { request as httpRequest } from 'node:http';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GraphQLResponse,
  type TestGraph,
  postGraphQL,
  startTestGraph,
} from '@crossgov/testing/graph';
import { tokenFor } from '@crossgov/testing/tokens';

// Issue 13's medium and low cases that are not about limits, poison figures or imports: tokens,
// who submitted a figure, spreadsheet formulas in CSV, the Host header and the dashboard's headers.
// Each is tried through the gateway and, where it applies, against the subgraph directly.

const auth: AuthConfig = {
  secret: 'hardening-e2e-secret-'.padEnd(48, 'h'),
  maxLifetimeSeconds: 90 * 24 * 3600,
  clockSkewSeconds: 60,
};
const key = new TextEncoder().encode(auth.secret);
const now = () => Math.floor(Date.now() / 1000);

/** A token with exactly these claims, signed with the graph's secret (so only the claims can be wrong). */
const signed = (claims: Record<string, unknown>) =>
  new SignJWT({
    iss: 'crossgov',
    aud: 'crossgov',
    org: 'hmrc',
    scope: 'write read:drafts',
    ...claims,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(key);

const SUBMIT = `mutation ($m: [MeasurementInput!]!) { hmrc { submitMeasurements(measurements: $m) { accepted } } }`;

let graph: TestGraph;
let base: string;
let indicatorCode: string;

beforeAll(async () => {
  graph = await startTestGraph({ auth });
  base = graph.gatewayUrl.replace(/graphql$/, '');
  const { data } = await graph.query<{
    hmrc: { indicators: { code: string; frequency: string }[] };
  }>('{ hmrc { indicators { code frequency } } }');
  indicatorCode = data!.hmrc.indicators.find((i) => i.frequency === 'MONTHLY')!.code;
});
afterAll(() => graph?.stop());

describe('tokens that must not write', () => {
  const cases = [
    {
      what: 'a token that names no subject (sub)',
      claims: async () => ({ iat: now(), exp: now() + 3600 }),
      reason: 'MALFORMED',
      says: 'sub',
    },
    {
      what: 'a token issued an hour in the future',
      claims: async () => ({ sub: 'x', iat: now() + 3600, exp: now() + 7200 }),
      reason: 'ISSUED_IN_THE_FUTURE',
      says: 'iat',
    },
    {
      what: 'a token valid for 100 years',
      claims: async () => ({ sub: 'x', iat: now(), exp: now() + 100 * 365 * 24 * 3600 }),
      reason: 'TOO_LONG_LIVED',
      says: '36500 days',
    },
    {
      what: 'a token with no issue time',
      claims: async () => ({ sub: 'x', exp: now() + 3600 }),
      reason: 'MALFORMED',
      says: 'iat',
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.what}, through the gateway and at the subgraph, and nothing is written`, async () => {
      const token = await signed(await c.claims());
      const variables = { m: [{ indicatorCode, period: '2026-10', value: 41 }] };
      for (const url of [graph.gatewayUrl, graph.subgraphUrls.hmrc!]) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: SUBMIT, variables }),
        });
        expect(response.status, url).toBe(401);
        const body = (await response.json()) as GraphQLResponse<unknown>;
        expect(body.errors![0]!.extensions).toMatchObject({
          code: 'UNAUTHENTICATED',
          reason: c.reason,
        });
        expect(body.errors![0]!.message).toContain(c.says);
      }
      const owner = await tokenFor(auth, 'hmrc', [Scope.READ_DRAFTS]);
      const { data } = await postGraphQL<{
        hmrc: { indicators: { code: string; history: unknown[] }[] };
      }>(
        graph.gatewayUrl,
        '{ hmrc { indicators { code history(period: "2026-10") { value } } } }',
        {},
        owner,
      );
      expect(data!.hmrc.indicators.find((i) => i.code === indicatorCode)!.history).toEqual([]);
    });
  }

  it('still accepts a token issued a few seconds ahead of this clock (within the skew)', async () => {
    const token = await signed({ sub: 'hmrc-officer', iat: now() + 20, exp: now() + 3600 });
    const { errors } = await postGraphQL(graph.gatewayUrl, '{ hmrc { id } }', {}, token);
    expect(errors).toBeUndefined();
  });
});

describe('who submitted a figure', () => {
  it('is named to the owner and null to anonymous callers, through the gateway and at the subgraph', async () => {
    const officer = await tokenFor(auth, 'hmrc', [Scope.WRITE, Scope.READ_DRAFTS]);
    const wrote = await postGraphQL(
      graph.gatewayUrl,
      SUBMIT,
      { m: [{ indicatorCode, period: '2026-10', value: 42 }] },
      officer,
    );
    expect(wrote.errors).toBeUndefined();
    await postGraphQL(
      graph.gatewayUrl,
      'mutation { hmrc { publishPeriod(period: "2026-10") { published } } }',
      {},
      officer,
    );
    const history = '{ hmrc { indicators { code history(period: "2026-10") { status actor } } } }';
    type History = {
      hmrc: { indicators: { code: string; history: { status: string; actor: string | null }[] }[] };
    };
    const historyOf = (data: History | null | undefined) =>
      data!.hmrc.indicators.find((i) => i.code === indicatorCode)!.history;
    for (const url of [graph.gatewayUrl, graph.subgraphUrls.hmrc!]) {
      const anonymous = await postGraphQL<History>(url, history);
      expect(anonymous.errors, url).toBeUndefined();
      expect(historyOf(anonymous.data).length, url).toBeGreaterThan(0);
      expect(
        historyOf(anonymous.data).every((h) => h.actor === null),
        url,
      ).toBe(true);
      const owner = await postGraphQL<History>(url, history, {}, officer);
      expect(
        historyOf(owner.data).map((h) => h.actor),
        url,
      ).toContain('hmrc-officer');
    }
  });
});

describe('CSV a spreadsheet opens', () => {
  it('neutralises cells a spreadsheet would run as formulas, in /facts and GraphQL-over-GET CSV', async () => {
    const officer = await tokenFor(auth, 'hmrc', [Scope.WRITE]);
    const defined = await postGraphQL(
      graph.gatewayUrl,
      `mutation ($d: [IndicatorDefinitionInput!]!) { hmrc { defineIndicators(indicators: $d) { accepted } } }`,
      {
        d: [
          {
            code: 'formula-probe',
            name: '=HYPERLINK("http://evil.example","click")',
            unit: 'COUNT',
            polarity: 'BIGGER_IS_BETTER',
            frequency: 'MONTHLY',
          },
        ],
      },
      officer,
    );
    expect(defined.errors).toBeUndefined();
    const sent = await postGraphQL(
      graph.gatewayUrl,
      SUBMIT,
      { m: [{ indicatorCode: 'formula-probe', period: '2026-09', value: 3 }] },
      officer,
    );
    expect(sent.errors).toBeUndefined();
    expect(
      (
        await postGraphQL(
          graph.gatewayUrl,
          'mutation { hmrc { publishPeriod(period: "2026-09") { published } } }',
          {},
          officer,
        )
      ).errors,
    ).toBeUndefined();
    const facts = await (
      await fetch(`${base}facts?organisations=hmrc&indicators=formula-probe&format=csv`)
    ).text();
    expect(facts).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(facts).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const get = await (
      await fetch(
        `${base}graphql?format=csv&query=${encodeURIComponent('{ hmrc { indicators { code name } } }')}`,
      )
    ).text();
    expect(get).toContain(`'=HYPERLINK`);
    expect(get).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });
});

/** A GET with a Host header of the caller's choosing (fetch does not let a caller set Host). */
function getWithHost(
  url: string,
  host: string,
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, body }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the Host header', () => {
  it('never becomes the next link of /facts', async () => {
    const page = await getWithHost(`${base}facts?organisations=hmrc&pageSize=1`, 'evil.example');
    expect(page.status).toBe(200);
    const { next } = JSON.parse(page.body) as { next: string };
    expect(next).not.toContain('evil.example');
    expect(new URL(next).origin).toBe(new URL(base).origin);
    expect(String(page.headers.link)).not.toContain('evil.example');
    // The link works as given.
    expect((await fetch(next)).status).toBe(200);
  });
});

describe('the dashboard', () => {
  it('sends a content security policy, refuses framing and sniffing, on pages, error pages and assets', async () => {
    for (const path of [
      '',
      'strategy',
      'compare',
      'organisations/hmrc',
      'organisations/nobody',
      'assets/dashboard.css',
    ]) {
      const response = await fetch(base + path);
      expect([200, 404], path).toContain(response.status);
      expect(response.headers.get('content-security-policy'), path).toContain("default-src 'none'");
      expect(response.headers.get('content-security-policy'), path).toContain(
        "frame-ancestors 'none'",
      );
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});
