import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { join } from 'node:path';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import {
  type DeployedGraph,
  type DeployedProcess,
  ROOT,
  buildDeployables,
  startDeployedGraph,
} from '@crossgov/scripts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '@crossgov/testing/database';
import { type TcpProxy, startTcpProxy } from '@crossgov/testing/proxy';
import { tokenFor } from '@crossgov/testing/tokens';

// Issue 15, acceptance 1 and 2: `pnpm build`, then the gateway, the directory, insights and two
// publishers as separate `node` processes from their packages, on PostgreSQL, configured only by
// their environment; probes, metrics, the request log and one trace from the gateway into every
// subgraph, exported over OTLP/HTTP to a collector this test runs.

const auth: AuthConfig = { secret: 'deploy-test-secret-'.padEnd(48, 'd') };
const ORGANISATIONS = ['synergy', 'norfolk'];

// The README's first query, read from the README itself.
const README_QUERY = /"query":\s*\n\s*"([^"]+)"/.exec(
  readFileSync(join(ROOT, 'README.md'), 'utf8'),
)![1]!;

interface OtlpSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

/** An OTLP/HTTP trace receiver (JSON encoding, as @opentelemetry/exporter-trace-otlp-http sends) on a loopback port. */
async function startCollector(): Promise<{
  url: string;
  spans: OtlpSpan[];
  close(): Promise<void>;
}> {
  const spans: OtlpSpan[] = [];
  const hex = (id: unknown) =>
    typeof id === 'string' && /^[0-9a-f]*$/.test(id)
      ? id
      : Buffer.from(String(id ?? ''), 'base64').toString('hex');
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      const payload = JSON.parse(body) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: {
            spans: {
              traceId: string;
              spanId: string;
              parentSpanId?: string;
              name: string;
              attributes?: { key: string; value: Record<string, unknown> }[];
            }[];
          }[];
        }[];
      };
      for (const resource of payload.resourceSpans) {
        const service =
          resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ??
          '?';
        for (const scope of resource.scopeSpans) {
          for (const span of scope.spans) {
            const attributes = Object.fromEntries(
              (span.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]),
            );
            spans.push({
              service,
              traceId: hex(span.traceId),
              spanId: hex(span.spanId),
              parentSpanId: hex(span.parentSpanId ?? ''),
              name: span.name,
              attributes,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The sum of the series on a process's /metrics whose name and labels match. */
async function metricValue(baseUrl: string, series: string | RegExp): Promise<number> {
  const text = await (await fetch(`${baseUrl}metrics`)).text();
  const matches = (name: string) =>
    typeof series === 'string' ? name === series : series.test(name);
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([name]) => name !== undefined && matches(name))
    .reduce((sum, [, value]) => sum + Number(value), 0);
}

describe('the production build, each deployable a node process of its own, on PostgreSQL', () => {
  let graph: DeployedGraph;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let databaseProxy: TcpProxy;
  let gatewayUrl: string;
  let processes: DeployedProcess[];
  let urls: Map<string, string>;

  beforeAll(async () => {
    await buildDeployables();
    collector = await startCollector();
    // Synergy reaches PostgreSQL through a proxy the test can cut, to see its readiness follow the database.
    databaseProxy = await startTcpProxy(`http://${new URL(TEST_DATABASE_URL).host}/`);
    const throughProxy = new URL(TEST_DATABASE_URL);
    throughProxy.hostname = '127.0.0.1';
    throughProxy.port = new URL(databaseProxy.url).port;
    graph = await startDeployedGraph({
      databaseUrl: (name) => (name === 'synergy' ? throughProxy.toString() : TEST_DATABASE_URL),
      organisations: ORGANISATIONS,
      env: {
        LOG_LEVEL: 'info',
        AUTH_SECRET: auth.secret!,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        // As in the e2e tests: this machine is shared, and a start blocks the loop for seconds.
        MAX_EVENT_LOOP_DELAY_MS: '0',
      },
    });
    ({ gatewayUrl, processes, baseUrls: urls } = graph);
  });

  afterAll(async () => {
    await graph?.stop();
    await databaseProxy?.close();
    await collector?.close();
  });

  it('turns each /readyz ready only when the process can answer, and alive on /healthz from the start', async () => {
    for (const process of processes) {
      const base = urls.get(process.name)!;
      expect((await fetch(`${base}readyz`)).status, process.name).toBe(200);
      const health = await fetch(`${base}healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'alive', service: process.name });
      // Ready means answering: the very next GraphQL request is served.
      const answer = await fetch(`${base}graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(answer.status, process.name).toBe(200);
    }
    const ready = await (await fetch(`${urls.get('gateway')}readyz`)).json();
    expect(ready).toMatchObject({
      status: 'ready',
      service: 'gateway',
      checks: [{ name: 'supergraph', ok: true }],
    });
  });

  it('says a publisher is not ready while its database cannot be reached, naming the check, and ready again when it can', async () => {
    const synergy = urls.get('synergy')!;
    expect((await fetch(`${synergy}readyz`)).status).toBe(200);
    await databaseProxy.set('refuse');
    const refused = await fetch(`${synergy}readyz`);
    expect(refused.status).toBe(503);
    const report = (await refused.json()) as {
      status: string;
      checks: { name: string; ok: boolean; detail?: string }[];
    };
    expect(report.status).toBe('not ready');
    expect(report.checks.find((c) => c.name === 'database')).toMatchObject({ ok: false });
    await databaseProxy.set('pass');
    expect((await fetch(`${synergy}readyz`)).status).toBe(200);
    const migrations = (
      (await (await fetch(`${synergy}readyz`)).json()) as typeof report
    ).checks.find((c) => c.name === 'migrations');
    expect(migrations).toEqual({ name: 'migrations', ok: true });
  });

  it("answers the README's first query through the gateway, every organisation whole", async () => {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: README_QUERY }),
    });
    const body = (await response.json()) as {
      data: { organisations: { id: string; indicators: unknown[] }[] };
      errors?: unknown;
    };
    expect(response.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.organisations.map((o) => o.id).sort()).toEqual([...ORGANISATIONS].sort());
    for (const organisation of body.data.organisations)
      expect(organisation.indicators.length).toBeGreaterThan(0);
  });

  it('serves the dashboard, its style sheets, its favicon and the GraphQL explorer from the build, as from the sources', async () => {
    const base = urls.get('gateway')!.replace(/\/$/, '');
    const overview = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
    expect(overview.status).toBe(200);
    const assets = [...(await overview.text()).matchAll(/(?:href|src)="(\/[^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((path) => /^\/(assets|favicon)/.test(path));
    const explorer = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(explorer.status).toBe(200);
    assets.push(
      ...[...(await explorer.text()).matchAll(/(?:href|src)="(\/[^"]+)"/g)].map((m) => m[1]!),
    );
    expect(assets).toEqual(
      expect.arrayContaining(['/assets/dashboard.css', '/assets/govuk-frontend.min.css']),
    );
    for (const path of assets) expect((await fetch(base + path)).status, path).toBe(200);
  });

  it('counts the request just made on /metrics: at the gateway by operation and subgraph call, at each subgraph by its own requests', async () => {
    const gateway = urls.get('gateway')!;
    const named = `crossgov_graphql_requests_total{service="gateway",operation="ReadmeFirstQuery",outcome="ok"}`;
    const synergyCalls = `crossgov_subgraph_request_duration_seconds_count{subgraph="synergy",outcome="ok"}`;
    // The gateway names each subgraph operation after the caller's: ReadmeFirstQuery__synergy__1.
    const atSynergy =
      /^crossgov_graphql_requests_total\{service="synergy",operation="ReadmeFirstQuery__synergy__\d+",outcome="ok"\}$/;
    const before = {
      named: await metricValue(gateway, named),
      calls: await metricValue(gateway, synergyCalls),
      synergy: await metricValue(urls.get('synergy')!, atSynergy),
    };
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query ReadmeFirstQuery ${README_QUERY}`,
        operationName: 'ReadmeFirstQuery',
      }),
    });
    expect(response.status).toBe(200);
    expect(await metricValue(gateway, named)).toBe(before.named + 1);
    expect(await metricValue(gateway, synergyCalls)).toBeGreaterThanOrEqual(before.calls + 1);
    expect(await metricValue(urls.get('synergy')!, atSynergy)).toBeGreaterThanOrEqual(
      before.synergy + 1,
    );
    const text = await (await fetch(`${urls.get('synergy')}metrics`)).text();
    expect(text).toMatch(
      /crossgov_db_pool_connections\{pool="[a-z0-9]+_synergy",state="total"\} \d+/,
    );
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
  });

  it('follows one query from the gateway into every subgraph under one trace id, which every process logs for that request, never logging the token', async () => {
    const requestId = `deploy-${randomBytes(6).toString('hex')}`;
    const token = await tokenFor(auth, 'synergy', [Scope.WRITE]);
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: README_QUERY }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    // Stopping flushes each process's spans to the collector (and its last log lines).
    await Promise.all(processes.map((p) => p.stop()));

    const lines: Record<string, unknown>[] = processes.flatMap((p) =>
      p
        .logs()
        .filter((l) => l.requestId === requestId)
        .map((l) => ({ process: p.name, ...l })),
    );
    const gatewayLine = lines.find((l) => l.process === 'gateway')!;
    expect(gatewayLine).toMatchObject({ service: 'gateway', res: { statusCode: 200 } });
    const traceId = gatewayLine.traceId as string;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const trace = collector.spans.filter((s) => s.traceId === traceId);
    const fetches = trace.filter((s) => s.name === 'gateway.fetch');
    const servers = trace.filter((s) => s.service !== 'gateway' && s.name === 'POST /graphql');
    // One span per subgraph call, and each call's server span in that subgraph is its child.
    expect(fetches.length).toBeGreaterThanOrEqual(3);
    expect(servers.length).toBe(fetches.length);
    for (const call of fetches) {
      const served = servers.filter((s) => s.parentSpanId === call.spanId);
      expect(served.map((s) => s.service)).toEqual([call.attributes.service]);
    }
    const called = new Set(fetches.map((f) => f.attributes.service));
    expect([...called].sort()).toEqual(['directory', ...ORGANISATIONS].sort());
    // Every process the request reached logged it with the same trace id.
    for (const subgraph of called) {
      const line = lines.find((l) => l.process === subgraph);
      expect(line, `${String(subgraph)} logged the request`).toMatchObject({
        requestId,
        traceId,
        service: subgraph,
      });
    }
    // No process wrote the token anywhere.
    for (const process of processes)
      expect(process.lines.join('\n')).not.toContain(token.split('.')[2]);
  });
});
