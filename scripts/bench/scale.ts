import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Registry } from '@crossgov/schema';
import type { GovernmentShape } from '../src/government.ts';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';
import {
  type Running,
  cpuMs,
  freePort,
  onFreePorts,
  postgresProcesses,
  postgresPssKiB,
  ready,
  rssKiB,
  safeCpu,
  spawnDeployable,
} from './processes.ts';

// pnpm bench:scale [--shapes today,real,thousand] [--requests 12] [--rounds 2] [--connections 1,4] [--database-url postgres://...]
//
// Generated governments, each publisher in its own Node process on PostgreSQL as deployed: today's
// graph (8 organisations, each its own publisher), the real government's shape (25 departments of
// their own, NHS England for 190 trusts, the Improvement Service for 32 councils, the Office for
// Local Government for 150) and a thousand organisations from forty publishers. For each: compose
// time, time for every subgraph to come up (seeding on the first start), gateway start, the first
// plan, memory of every process, CPU per request of every process (where the time goes), and
// p50/p99 of the uniform, scorecard and league queries at each connection count, phases alternating
// between queries so all see the same machine. A phase is a number of requests, not a duration, so
// that slow queries at several connections still complete some. Every answer is checked whole
// before and after the load (no errors, every organisation present).

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench:scale`,
    description:
      'Generated governments, each publisher in its own process on PostgreSQL: compose time, start, memory, CPU per request\nand p50/p99 of the uniform, scorecard and league queries at each connection count.',
    options: {
      shapes: {
        type: 'string',
        default: 'today,real,thousand',
        value: '<list>',
        description: 'which governments: today (8 organisations), real (~400), thousand',
      },
      requests: {
        type: 'string',
        default: '12',
        value: '<n>',
        description: 'requests per phase (at most 1000)',
      },
      rounds: {
        type: 'string',
        default: '2',
        value: '<n>',
        description: 'rounds, the queries alternating',
      },
      connections: {
        type: 'string',
        default: '1,4',
        value: '<list>',
        description: 'connection counts',
      },
      'database-url': {
        type: 'string',
        value: '<url>',
        description:
          'an external PostgreSQL to run on (default: an embedded one started for the run)',
      },
    },
    examples: [`${PNPM} bench:scale`, `${PNPM} bench:scale -- --shapes today,real --requests 6`],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
await import('@crossgov/schema/production');
const { RESERVED_SUBGRAPH_NAMES, loadRegistry, parseRegistry, schemaNameOf } =
  await import('@crossgov/schema');
const { Supergraph, operationFromDocument } = await import('@apollo/federation-internals');
const { QueryPlanner } = await import('@apollo/query-planner');
const { default: autocannon } = await import('autocannon');
const { parse } = await import('graphql');
const { default: pg } = await import('pg');
const { REAL_SHAPE, THOUSAND_SHAPE, generateGovernment } = await import('../src/government.ts');
const { composeRegistry } = await import('../src/subgraphs.ts');
const { benchDatabase } = await import('./database.ts');
const { QUERIES } = await import('./workload.ts');
const { readScriptEnv } = await import('../src/env.ts');
const env = readScriptEnv();

const SHAPES: Record<string, () => Registry> = {
  today: () => loadRegistry(),
  real: () => generateGovernment({ ...REAL_SHAPE, withRegistry: true } satisfies GovernmentShape),
  thousand: () => generateGovernment(THOUSAND_SHAPE),
};

type QueryName = keyof typeof QUERIES;

const MiB = (kib: number) => Math.round(kib / 1024);
const requests = Math.min(Number(values.requests), 1000);
const rounds = Number(values.rounds);
const connectionCounts = values.connections.split(',').map(Number);

/**
 * CPU per request of every process, from requests sent one at a time: where a query's time goes.
 * Publishers are summed; the gateway, directory and insights each on their own.
 */
async function cpuPerRequest(
  url: string,
  query: string,
  processes: Running[],
  postgresPids: () => number[],
  requests = 5,
) {
  const pids = processes.map((p) => p.child.pid!);
  if (env.BENCH_DEBUG_IDLE) {
    const idleBefore = pids.map(cpuMs);
    await new Promise((r) => setTimeout(r, 10_000));
    const idle = pids
      .map((pid, i) => ({ name: processes[i]!.name, ms: cpuMs(pid) - idleBefore[i]! }))
      .sort((a, b) => b.ms - a.ms);
    console.error(
      'idle 10 s',
      JSON.stringify(idle.slice(0, 8)),
      'total',
      idle.reduce((s, x) => s + x.ms, 0),
    );
  }
  const before = pids.map(cpuMs);
  const postgresBefore = postgresPids().reduce((sum, pid) => sum + safeCpu(pid), 0);
  let wall = 0;
  for (let i = 0; i < requests; i++) wall += (await post(url, query)).ms;
  const used = pids.map((pid, i) => (cpuMs(pid) - before[i]!) / requests);
  if (env.BENCH_DEBUG_IDLE)
    console.error(
      query.slice(0, 20),
      JSON.stringify(
        used
          .map((ms, i) => ({ name: processes[i]!.name, ms }))
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 8),
      ),
    );
  const postgres =
    (postgresPids().reduce((sum, pid) => sum + safeCpu(pid), 0) - postgresBefore) / requests;
  const of = (name: string) => used[processes.findIndex((p) => p.name === name)] ?? 0;
  const publishers = used
    .filter((_, i) => !RESERVED_SUBGRAPH_NAMES.has(processes[i]!.name))
    .reduce((a, b) => a + b, 0);
  return {
    wallMs: wall / requests,
    gateway: of('gateway'),
    directory: of('directory'),
    insights: of('insights'),
    publishers,
    postgres,
  };
}

async function post(
  url: string,
  query: string,
): Promise<{ ms: number; body: { data?: Record<string, unknown>; errors?: unknown[] } }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  return { ms: performance.now() - started, body };
}

/** Every query answers whole: no errors, every organisation, every reporter expected in the league. */
async function checkWhole(url: string, registry: Registry): Promise<void> {
  for (const name of Object.keys(QUERIES) as QueryName[]) {
    const { body } = await post(url, QUERIES[name]);
    if (body.errors?.length)
      throw new Error(`${name} answered with errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
    if (name !== 'league') {
      const organisations = body.data!.organisations as { id: string }[];
      if (organisations.length !== registry.organisations.length)
        throw new Error(
          `${name} answered ${organisations.length} of ${registry.organisations.length} organisations`,
        );
    } else {
      const league = (body.data!.government as { league: { reported: number; expected: number } })
        .league;
      if (league.reported === 0 || league.expected < league.reported)
        throw new Error(`league is wrong: ${JSON.stringify(league)}`);
    }
  }
}

async function load(url: string, query: string, connections: number) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    connections,
    amount: Math.max(requests, connections),
    timeout: 120,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    requests: result.requests.total,
  };
}

async function runShape(shape: string, databaseUrl: string, databasePort: number) {
  const document = await onFreePorts(SHAPES[shape]!());
  const registry = parseRegistry(document, `${shape} government`);
  const folder = mkdtempSync(join(tmpdir(), `crossgov-bench-scale-${shape}-`));
  const prefix = `scale${process.pid}_${shape}`;
  const processes: Running[] = [];
  try {
    const registryPath = join(folder, 'registry.json');
    writeFileSync(registryPath, JSON.stringify(document));
    let started = performance.now();
    const { supergraphSdl } = await composeRegistry(registry);
    const composeSeconds = (performance.now() - started) / 1000;
    const supergraphPath = join(folder, 'supergraph.graphql');
    writeFileSync(supergraphPath, supergraphSdl);
    // The planner alone, as the gateway runs it: loading the supergraph, then each query's first plan.
    started = performance.now();
    const supergraph = Supergraph.build(supergraphSdl);
    const planner = new QueryPlanner(supergraph);
    const plannerSeconds = (performance.now() - started) / 1000;
    const planMs = Object.fromEntries(
      (Object.keys(QUERIES) as QueryName[]).map((name) => {
        const t = performance.now();
        planner.buildQueryPlan(operationFromDocument(supergraph.schema, parse(QUERIES[name])));
        return [name, Math.round(performance.now() - t)];
      }),
    );

    const common = { REGISTRY_PATH: registryPath, DATABASE_URL: databaseUrl };
    started = performance.now();
    const subgraphs = [
      spawnDeployable(
        'directory',
        'subgraphs/directory/src/main.ts',
        { ...common, DATABASE_SCHEMA: `${prefix}_directory` },
        registry.directory.url,
      ),
      spawnDeployable('insights', 'subgraphs/insights/src/main.ts', common, registry.insights.url),
      ...registry.publishers.map((p) =>
        spawnDeployable(
          p.id,
          'subgraphs/organisation/src/main.ts',
          { ...common, PUBLISHER: p.id, DATABASE_SCHEMA: `${prefix}_${schemaNameOf(p.id)}` },
          p.url,
        ),
      ),
    ];
    processes.push(...subgraphs);
    await Promise.all(subgraphs.map((p) => ready(p, Date.now() + 600_000)));
    const subgraphsSeconds = (performance.now() - started) / 1000;

    const gatewayPort = await freePort();
    started = performance.now();
    const gateway = spawnDeployable(
      'gateway',
      'gateway/src/main.ts',
      { SUPERGRAPH_PATH: supergraphPath, PORT: String(gatewayPort), SUBGRAPH_TIMEOUT_MS: '60000' },
      `http://127.0.0.1:${gatewayPort}/graphql`,
    );
    processes.push(gateway);
    await ready(gateway, Date.now() + 120_000);
    const gatewaySeconds = (performance.now() - started) / 1000;
    const firstPlan = await post(gateway.url, QUERIES.uniform);
    const secondPlan = await post(gateway.url, QUERIES.uniform);
    await checkWhole(gateway.url, registry);

    const cpu: Record<string, Awaited<ReturnType<typeof cpuPerRequest>>> = {};
    for (const q of Object.keys(QUERIES) as QueryName[])
      cpu[q] = await cpuPerRequest(gateway.url, QUERIES[q], processes, () =>
        postgresProcesses(databasePort),
      );
    const memoryAtStart = processes.map((p) => rssKiB(p.child.pid!));
    const phases: {
      query: QueryName;
      connections: number;
      round: number;
      rps: number;
      p50: number;
      p99: number;
      errors: number;
      requests: number;
    }[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const connections of connectionCounts) {
        for (const query of Object.keys(QUERIES) as QueryName[])
          phases.push({
            query,
            connections,
            round,
            ...(await load(gateway.url, QUERIES[query], connections)),
          });
      }
    }
    await checkWhole(gateway.url, registry);
    const memory = processes.map((p) => ({ name: p.name, kib: rssKiB(p.child.pid!) }));
    return {
      shape,
      organisations: registry.organisations.length,
      publishers: registry.publishers.length,
      composeSeconds,
      plannerSeconds,
      planMs,
      subgraphsSeconds,
      gatewaySeconds,
      firstPlanMs: firstPlan.ms,
      secondMs: secondPlan.ms,
      phases,
      cpu,
      memoryAtStart,
      memory,
      postgresPssMiB: MiB(postgresPssKiB(databasePort)),
    };
  } finally {
    for (const p of processes) p.child.kill('SIGTERM');
    await Promise.all(
      processes.map((p) =>
        p.child.exitCode === null
          ? new Promise((resolve) => p.child.once('exit', resolve))
          : undefined,
      ),
    );
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const name of ['directory', ...registry.publishers.map((p) => schemaNameOf(p.id))])
      await client.query(`DROP SCHEMA IF EXISTS ${prefix}_${name} CASCADE`);
    await client.end();
    rmSync(folder, { recursive: true, force: true });
  }
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const median = (xs: number[]) => percentile(xs, 50);

const database = await benchDatabase(values['database-url']);
const databasePort = Number(new URL(database.url).port);
try {
  console.log(`# pnpm bench:scale, ${new Date().toISOString()}`);
  console.log(
    `# machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `# ${database.label}; each publisher, the directory, insights and the gateway in its own Node process; ${requests} requests per phase, ${rounds} rounds, connections ${connectionCounts.join(' and ')}\n`,
  );
  for (const shape of values.shapes.split(',')) {
    const r = await runShape(shape, database.url, databasePort);
    console.log(`## ${shape}: ${r.organisations} organisations, ${r.publishers} publishers`);
    console.log(
      `compose ${r.composeSeconds.toFixed(1)} s; planner loads the supergraph in ${r.plannerSeconds.toFixed(1)} s, first plans ${Object.entries(
        r.planMs,
      )
        .map(([q, ms]) => `${q} ${ms} ms`)
        .join(', ')}`,
    );
    console.log(
      `every subgraph up (seeding included) ${r.subgraphsSeconds.toFixed(1)} s; gateway up ${r.gatewaySeconds.toFixed(1)} s; first uniform query (plan included) ${Math.round(r.firstPlanMs)} ms, second ${Math.round(r.secondMs)} ms`,
    );
    const node = r.memory.map((m) => MiB(m.kib));
    const publishers = r.memory
      .filter((m) => !RESERVED_SUBGRAPH_NAMES.has(m.name))
      .map((m) => MiB(m.kib));
    console.log(
      `memory (RSS, MiB) at the end: gateway ${node[r.memory.findIndex((m) => m.name === 'gateway')]}, directory ${node[0]}, insights ${node[1]}, publishers min ${Math.min(...publishers)} / median ${median(publishers)} / max ${Math.max(...publishers)}, all Node processes ${node.reduce((a, b) => a + b, 0)} (at start of load ${r.memoryAtStart.map(MiB).reduce((a, b) => a + b, 0)}); PostgreSQL (PSS) ${r.postgresPssMiB}`,
    );
    console.log('\nCPU per request, ms, from 5 requests sent one at a time (publishers summed):\n');
    console.log('| query | wall | gateway | directory | insights | publishers | PostgreSQL |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const [query, c] of Object.entries(r.cpu))
      console.log(
        `| ${query} | ${Math.round(c.wallMs)} | ${Math.round(c.gateway)} | ${Math.round(c.directory)} | ${Math.round(c.insights)} | ${Math.round(c.publishers)} | ${Math.round(c.postgres)} |`,
      );
    console.log('\n| query | connections | req/s | p50 ms | p99 ms | errors | requests |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const query of Object.keys(QUERIES) as QueryName[]) {
      for (const connections of connectionCounts) {
        const ps = r.phases.filter((p) => p.query === query && p.connections === connections);
        const mean = (pick: (p: (typeof ps)[number]) => number) =>
          ps.reduce((s, p) => s + pick(p), 0) / ps.length;
        console.log(
          `| ${query} | ${connections} | ${mean((p) => p.rps).toFixed(2)} | ${Math.round(mean((p) => p.p50))} | ${Math.round(mean((p) => p.p99))} | ${ps.reduce((s, p) => s + p.errors, 0)} | ${ps.reduce((s, p) => s + p.requests, 0)} |`,
        );
      }
    }
    console.log('');
  }
  console.log(
    `# load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await database.stop();
}
