import { type AuthConfig, Scope, issueToken } from '@crossgov/schema/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type GraphQLResponse, type TestGraph, startTestGraph } from '@crossgov/testing/graph';

const auth: AuthConfig = { secret: 'submissions-e2e-secret-'.padEnd(48, 's') };

const tokenFor = (organisation: string | null, scopes: Scope[]) =>
  issueToken(auth, {
    subject: `${organisation ?? 'someone'}-officer`,
    organisation,
    scopes,
    expiresIn: '1h',
  });

async function post<T>(url: string, query: string, token?: string): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

const submit = (organisation: string, code: string, period: string, value: number) =>
  `mutation { ${organisation} { submitMeasurements(measurements: [{ indicatorCode: ${JSON.stringify(code)}, period: "${period}", value: ${value} }]) { accepted } } }`;

interface Series {
  norfolk: {
    indicators: {
      code: string;
      measurements: { period: string; value: number; draft: boolean }[];
      history: { status: string; value: number; actor: string; at: string }[];
    }[];
  };
}
// A month that has ended by the graph's today (2026-11-21) and that Norfolk has no figure for (its series ends at 2019-02).
const SERIES =
  '{ norfolk { indicators { code measurements(from: "2026-10") { period value draft } history(period: "2026-10") { status value actor at } } } }';

describe(`submissions through the gateway on ${STORAGE}`, () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ auth });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  // Who may write which organisation's data is the matrix in writes.e2e.test.ts.
  it('hides a draft from anonymous readers, shows it to its owner, and shows it to everyone once published, with its history', async () => {
    const owner = await tokenFor('norfolk', [Scope.WRITE, Scope.READ_DRAFTS]);
    const submitted = await post(
      graph.gatewayUrl,
      submit('norfolk', '636', '2026-10', 97.5),
      owner,
    );
    expect(submitted.errors).toBeUndefined();
    const availability = (response: GraphQLResponse<Series>) => {
      expect(response.errors).toBeUndefined();
      return response.data!.norfolk.indicators.find((i) => i.code === '636')!;
    };

    const anonymous = availability(await post<Series>(graph.gatewayUrl, SERIES));
    expect(anonymous.measurements).toEqual([]);
    expect(anonymous.history).toEqual([]);
    const reader = availability(
      await post<Series>(
        graph.gatewayUrl,
        SERIES,
        await tokenFor('norfolk', [Scope.READ_PUBLISHED]),
      ),
    );
    expect(reader.measurements).toEqual([]);
    const asOwner = availability(await post<Series>(graph.gatewayUrl, SERIES, owner));
    expect(asOwner.measurements).toEqual([{ period: '2026-10', value: 97.5, draft: true }]);

    const published = await post(
      graph.gatewayUrl,
      'mutation { norfolk { publishPeriod(period: "2026-10") { published } } }',
      owner,
    );
    expect(published).toEqual({ data: { norfolk: { publishPeriod: { published: 1 } } } });

    const after = availability(await post<Series>(graph.gatewayUrl, SERIES));
    expect(after.measurements).toEqual([{ period: '2026-10', value: 97.5, draft: false }]);
    expect(after.history.map((r) => r.status)).toEqual(['PUBLISHED']);
    const history = availability(await post<Series>(graph.gatewayUrl, SERIES, owner)).history;
    expect(history.map((r) => [r.status, r.value, r.actor])).toEqual([
      ['DRAFT', 97.5, 'norfolk-officer'],
      ['PUBLISHED', 97.5, 'norfolk-officer'],
    ]);
    expect(Date.parse(history[0]!.at)).not.toBeNaN();
  });
});
