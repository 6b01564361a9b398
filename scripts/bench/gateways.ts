import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { PNPM, defineCommand, exitWithUsage, readCommand } from '../src/cli.ts';
import { ROOT } from '../src/processes.ts';
import {
  type Running,
  freePort,
  onFreePorts,
  postgresBackendsServing,
  postgresProcesses,
  pssKiB,
  ready,
  rssKiB,
  safeCpu,
  spawnDeployable,
  spawnRunning,
} from './processes.ts';
import { QUERIES } from './workload.ts';

// pnpm bench:gateways [--seconds 10] [--rounds 3] [--connections 1,10] [--gateways ours,hive,hive-rust] [--publish false]
//
// Issue 17: our gateway against Hive Gateway, with its default (JavaScript) query planner and with
// Hive Router's Rust planner, each in its own Node process, all running at once against the same
// subgraph processes (today's 8 organisations, each publisher in its own process, on PostgreSQL).
// Phases of a fixed duration alternate between gateways (the order rotating each round) so that all
// see the same machine. Before the load, every gateway's answer to each query is compared with ours.
// With --publish, a figure every query shows is then corrected once a second under load, and a
// poller beside the load times how long each correction takes to show through the gateway.

const GATEWAYS = ['ours', 'hive', 'hive-rust'] as const;
type GatewayName = (typeof GATEWAYS)[number];
type QueryName = keyof typeof QUERIES;

const command = defineCommand({
  name: `${PNPM} bench:gateways`,
  description:
    "Our gateway against Hive Gateway (default planner, and Hive Router's Rust planner) on the same running subgraphs:\nthroughput, p50/p99, CPU per request of every process, whether the answers are identical, memory, and how long a\npublished correction takes to show under load.",
  options: {
    seconds: {
      type: 'string',
      default: '10',
      value: '<n>',
      description: 'length of each phase, in seconds (at most 60)',
    },
    rounds: {
      type: 'string',
      default: '3',
      value: '<n>',
      description: 'rounds, the gateway order rotating each round',
    },
    connections: {
      type: 'string',
      default: '1,10',
      value: '<list>',
      description: 'connection counts',
    },
    queries: {
      type: 'string',
      default: Object.keys(QUERIES).join(','),
      value: '<list>',
      description: 'which queries (scripts/bench/workload.ts)',
    },
    gateways: {
      type: 'string',
      default: GATEWAYS.join(','),
      value: '<list>',
      description:
        'which gateways: ours, hive (default planner), hive-rust (--hive-router-runtime); ours is required',
    },
    'database-url': {
      type: 'string',
      value: '<url>',
      description:
        'an external PostgreSQL to run on (default: an embedded one started for the run)',
    },
    publish: {
      type: 'string',
      default: 'true',
      value: '<true|false>',
      description:
        'a phase per gateway and query at 10 connections with a correction published every second',
    },
  },
  examples: [
    `${PNPM} bench:gateways`,
    `${PNPM} bench:gateways -- --seconds 3 --rounds 1 --publish false`,
  ],
});
const { values } = readCommand(command);

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const wholeNumber = (option: string, text: string, min: number, max = Infinity) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    exitWithUsage(
      command,
      `--${option} ${text}: must be a whole number from ${min}${max === Infinity ? '' : ` to ${max}`}`,
    );
  return n;
};
const seconds = wholeNumber('seconds', values.seconds, 1, 60);
const rounds = wholeNumber('rounds', values.rounds, 1);
const connectionCounts = list(values.connections).map((c) =>
  wholeNumber('connections', c, 1, 1000),
);
const queryNames = list(values.queries).map((q) =>
  Object.hasOwn(QUERIES, q)
    ? (q as QueryName)
    : exitWithUsage(command, `--queries: "${q}" is not one of ${Object.keys(QUERIES).join(', ')}`),
);
const gatewayNames = list(values.gateways).map((g) =>
  (GATEWAYS as readonly string[]).includes(g)
    ? (g as GatewayName)
    : exitWithUsage(command, `--gateways: "${g}" is not one of ${GATEWAYS.join(', ')}`),
);
if (!gatewayNames.includes('ours'))
  exitWithUsage(
    command,
    `--gateways ${values.gateways}: must include ours, which every figure is compared with`,
  );
if (!['true', 'false'].includes(values.publish))
  exitWithUsage(command, `--publish ${values.publish}: must be true or false`);
const publish = values.publish === 'true';
/** The connection count of the publication phases (issue 17, acceptance 3). */
const PUBLISH_CONNECTIONS = 10;

// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
await import('@crossgov/schema/production');
const { loadRegistry, parseRegistry, schemaNameOf } = await import('@crossgov/schema');
const { Scope, issueToken } = await import('@crossgov/schema/auth');
const { default: autocannon } = await import('autocannon');
const { default: pg } = await import('pg');
const { composeRegistry } = await import('../src/subgraphs.ts');
const { benchDatabase } = await import('./database.ts');

const HIVE_BIN = join(ROOT, 'test/node_modules/.bin/hive-gateway');
const AUTH_SECRET = 'bench-gateways-secret-'.padEnd(48, 'g');
/** Our gateway's admission control, set so that it never sheds at these connection counts: Hive Gateway has none. */
const OUR_ADMISSION = {
  MAX_CONCURRENT_REQUESTS: '1000',
  MAX_QUEUED_REQUESTS: '1000',
  MAX_EVENT_LOOP_DELAY_MS: '0',
};
const MiB = (kib: number) => Math.round(kib / 1024);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const table = (header: string[], rows: (string | number)[][]) =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

// The league of the five shared-services clusters (workload.ts's is of the departments' completion
// rate, which today's government has one department to rank), and the figure a correction changes:
// one cluster's rate at the league's period, which the uniform query shows as its latest, the
// scorecard as its latest value and the league as its row.
const INDICATOR = 'ss-invoices-paid-5-days';
const BENCH_QUERIES: Record<QueryName, string> = {
  ...QUERIES,
  league: QUERIES.league.replace('"gds-completion-rate"', `"${INDICATOR}"`),
};

type Body = { data?: Record<string, unknown> | null; errors?: unknown[] };

async function post(url: string, query: string): Promise<Body> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as Body;
  } catch {
    return { errors: [{ message: `HTTP ${response.status}, not JSON: ${text.slice(0, 200)}` }] };
  }
}

/** Objects' keys sorted, arrays kept in order: two answers that differ only in key order are the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** The first path where two canonical answers differ, with both sides; null when identical. */
function firstDifference(ours: unknown, theirs: unknown, path = 'data'): string | null {
  const show = (v: unknown) => (JSON.stringify(v) ?? 'absent').slice(0, 80);
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    for (let i = 0; i < Math.min(ours.length, theirs.length); i++) {
      const found = firstDifference(ours[i], theirs[i], `${path}[${i}]`);
      if (found) return found;
    }
    return ours.length === theirs.length
      ? null
      : `${path}: ours has ${ours.length} items, theirs ${theirs.length}`;
  }
  if (
    ours &&
    theirs &&
    typeof ours === 'object' &&
    typeof theirs === 'object' &&
    !Array.isArray(ours) &&
    !Array.isArray(theirs)
  ) {
    const a = ours as Record<string, unknown>;
    const b = theirs as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const found = firstDifference(a[key], b[key], `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return ours === theirs ? null : `${path}: ours ${show(ours)}, theirs ${show(theirs)}`;
}

// Everything the run starts, so that an error or Ctrl-C stops it all, drops the schemas and removes the folder.
const processes: Running[] = [];
const schemas: string[] = [];
let folder: string | undefined;
let database: Awaited<ReturnType<typeof benchDatabase>> | undefined;
let cleaning: Promise<void> | undefined;

const exited = (p: Running) => p.child.exitCode !== null || p.child.signalCode !== null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const p of processes) if (!exited(p)) p.child.kill('SIGTERM');
    const stopped = Promise.all(
      processes.map((p) =>
        exited(p) ? undefined : new Promise((resolve) => p.child.once('exit', resolve)),
      ),
    );
    await Promise.race([stopped, sleep(15_000)]);
    for (const p of processes) if (!exited(p)) p.child.kill('SIGKILL');
    await stopped;
    if (database && schemas.length) {
      const client = new pg.Client({ connectionString: database.url });
      try {
        await client.connect();
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } catch (error) {
        console.error(
          `could not drop the schemas ${schemas.join(', ')}: ${(error as Error).message}`,
        );
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    if (folder) rmSync(folder, { recursive: true, force: true });
    await database?.stop();
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping every process, dropping the schemas`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/**
 * PostgreSQL's processes doing this run's work: an embedded server's every process (postmaster,
 * writers and backends), and on any server the backends serving this run's processes (on a shared
 * server, other users' backends are left out, and so are its background writers).
 */
const postgresPids = (port: number) => [
  ...new Set([
    ...postgresProcesses(port),
    ...postgresBackendsServing(
      processes.map((p) => p.child.pid!),
      port,
    ),
  ]),
];

/** CPU time of every process, for a phase's CPU per request: Node processes by name, PostgreSQL's by pid, and this process (autocannon). */
function cpuSnapshot(postgresPort: number) {
  const byName = Object.fromEntries(processes.map((p) => [p.name, safeCpu(p.child.pid!)]));
  const own = process.cpuUsage();
  return {
    byName,
    postgres: new Map(postgresPids(postgresPort).map((pid) => [pid, safeCpu(pid)])),
    bench: (own.user + own.system) / 1000,
  };
}
type CpuSnapshot = ReturnType<typeof cpuSnapshot>;

/** CPU ms used between two snapshots, per column of the CPU table: each gateway, directory, insights, publishers summed, PostgreSQL, the bench. */
function cpuUsed(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  // A backend that a pool opened during the phase counts from 0; one it closed is lost.
  const postgres = [...after.postgres].reduce(
    (sum, [pid, ms]) => sum + ms - (before.postgres.get(pid) ?? 0),
    0,
  );
  const used: Record<string, number> = {
    publishers: 0,
    postgres,
    bench: after.bench - before.bench,
  };
  for (const [name, ms] of Object.entries(after.byName)) {
    const delta = ms - (before.byName[name] ?? 0);
    if (['directory', 'insights', ...GATEWAYS].includes(name)) used[name] = delta;
    else used.publishers! += delta;
  }
  return used;
}

interface Phase {
  round: number;
  connections: number;
  query: QueryName;
  gateway: GatewayName;
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors, timeouts included. */
  errors: number;
  non2xx: number;
  /** 2xx answers carrying an `errors` array. */
  withErrors: number;
  requests: number;
  cpu: Record<string, number>;
}

async function load(url: string, query: string, connections: number, duration = seconds) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    connections,
    duration,
    timeout: 60,
    verifyBody: (body) => !String(body).includes('"errors"'),
  });
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors, // timeouts included
    non2xx: result.non2xx,
    withErrors: result.mismatches,
    requests: result.requests.total,
  };
}

type Latest = { period: string; value: number | null } | null | undefined;
interface Answers {
  organisations?: {
    id: string;
    indicators?: { code: string; latest: Latest }[];
    scorecard?: { indicator: string; latest: Latest }[];
  }[];
  government?: {
    league: { period: string; rows: { organisationName: string; value: number | null }[] } | null;
  };
}
interface Target {
  id: string;
  name: string;
  period: string;
  publisherUrl: string;
}
const FIGURE: Record<QueryName, (data: Answers, target: Target) => Latest> = {
  uniform: (d, t) =>
    d.organisations?.find((o) => o.id === t.id)?.indicators?.find((i) => i.code === INDICATOR)
      ?.latest,
  scorecard: (d, t) =>
    d.organisations?.find((o) => o.id === t.id)?.scorecard?.find((s) => s.indicator === INDICATOR)
      ?.latest,
  league: (d, t) => {
    const league = d.government?.league;
    const row = league?.rows.find((r) => r.organisationName === t.name);
    return league && row ? { period: league.period, value: row.value } : undefined;
  },
};

/**
 * Corrections are numerator/denominator over a denominator of 1000, every one a different rate (a
 * counter across the run, 50.0% up by 0.1 points), so an answer says which one it shows.
 */
const DENOMINATOR = 1000;
let corrections = 0;
const nextCorrection = () => {
  const numerator = 500 + (corrections++ % 500);
  return { numerator, value: (numerator / DENOMINATOR) * 100 };
};

interface Publication {
  value: number;
  /** performance.now() when the import answered 200. */
  okAt?: number;
  /** When the first answer showing it arrived. */
  seenAt?: number;
  failed?: string;
}

/** One phase under load at 10 connections with a correction imported, published, every second, and a poller timing when each shows. */
async function publicationPhase(gateway: Running, query: QueryName, target: Target, token: string) {
  const publications: Publication[] = [];
  let polling = true;
  let shown = false;
  const poller = (async () => {
    while (polling) {
      const body = await post(gateway.url, BENCH_QUERIES[query]).catch(() => undefined);
      const at = performance.now();
      const value = body?.data ? FIGURE[query](body.data as Answers, target)?.value : undefined;
      if (typeof value === 'number') shown = true;
      for (const p of publications)
        if (p.seenAt === undefined && typeof value === 'number' && Math.abs(p.value - value) < 1e-6)
          p.seenAt = at;
      await sleep(20);
    }
  })();
  const started = performance.now();
  const publisher = (async () => {
    for (let k = 0; k < seconds; k++) {
      await sleep(started + k * 1000 + 500 - performance.now());
      const { numerator, value } = nextCorrection();
      const publication: Publication = { value };
      publications.push(publication);
      try {
        const response = await fetch(
          `${new URL('.', target.publisherUrl).href}imports?publish=true`,
          {
            method: 'POST',
            headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
            body: `indicator_code,period,numerator,denominator\n${INDICATOR},${target.period},${numerator},${DENOMINATOR}\n`,
            signal: AbortSignal.timeout(30_000),
          },
        );
        const text = await response.text();
        if (response.status === 200) publication.okAt = performance.now();
        else publication.failed = `HTTP ${response.status}: ${text.slice(0, 300)}`;
      } catch (error) {
        publication.failed = (error as Error).message;
      }
    }
  })();
  const [result] = await Promise.all([
    load(gateway.url, BENCH_QUERIES[query], PUBLISH_CONNECTIONS),
    publisher,
  ]);
  // The last correction gets 10 s more to show.
  const last = publications.at(-1);
  for (
    const deadline = performance.now() + 10_000;
    last?.okAt !== undefined && last.seenAt === undefined && performance.now() < deadline;
  )
    await sleep(50);
  polling = false;
  await poller;
  const published = publications.filter((p) => p.okAt !== undefined);
  const visible = published
    .filter((p) => p.seenAt !== undefined)
    .map((p) => Math.max(0, p.seenAt! - p.okAt!));
  const failures = publications.filter((p) => p.failed);
  if (failures.length)
    console.error(
      `[publish] ${gateway.name} ${query}: ${failures.length} imports failed, the first: ${failures[0]!.failed}`,
    );
  return {
    ...result,
    published: published.length,
    failed: failures.length,
    visibleP50: percentile(visible, 50),
    visibleMax: visible.length ? Math.max(...visible) : NaN,
    missed: published.length - visible.length,
    shown,
  };
}

/** The organisation to correct: the first league row whose figure every query shows at the league's period. */
function chooseTarget(
  registry: ReturnType<typeof parseRegistry>,
  league: Answers,
  answers: Partial<Record<QueryName, Answers>>,
): Target | string {
  const period = league.government?.league?.period;
  if (!period) return `our league answer has no period: ${JSON.stringify(league).slice(0, 200)}`;
  for (const row of league.government!.league!.rows) {
    const organisation = registry.organisations.find((o) => o.name === row.organisationName);
    if (!organisation) continue;
    const publisherUrl = registry.publishers.find((p) => p.id === organisation.publisher)!.url;
    const target = { id: organisation.id, name: organisation.name, period, publisherUrl };
    if (queryNames.every((q) => FIGURE[q](answers[q] ?? {}, target)?.period === period))
      return target;
  }
  return `no organisation in the ${INDICATOR} league for ${period} shows that period as its latest in every query`;
}

const versionOf = (pkg: string) =>
  (
    JSON.parse(readFileSync(join(ROOT, 'test/node_modules', pkg, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

try {
  database = await benchDatabase(values['database-url']);
  const databasePort = Number(new URL(database.url).port || 5432);
  const loadBefore = loadAverage();
  const document = await onFreePorts(loadRegistry());
  const registry = parseRegistry(document, "today's government");
  folder = mkdtempSync(join(tmpdir(), 'crossgov-bench-gateways-'));
  const prefix = `gateways${process.pid}`;
  const registryPath = join(folder, 'registry.json');
  writeFileSync(registryPath, JSON.stringify(document));
  const supergraphPath = join(folder, 'supergraph.graphql');
  writeFileSync(supergraphPath, (await composeRegistry(registry)).supergraphSdl);

  const common = { REGISTRY_PATH: registryPath, DATABASE_URL: database.url, AUTH_SECRET };
  schemas.push(
    `${prefix}_directory`,
    ...registry.publishers.map((p) => `${prefix}_${schemaNameOf(p.id)}`),
  );
  processes.push(
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
  );
  await Promise.all(processes.map((p) => ready(p, Date.now() + 600_000)));

  const gateways = new Map<GatewayName, Running>();
  for (const name of gatewayNames) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const gateway =
      name === 'ours'
        ? spawnDeployable(
            'ours',
            'gateway/src/main.ts',
            {
              SUPERGRAPH_PATH: supergraphPath,
              PORT: String(port),
              SUBGRAPH_TIMEOUT_MS: '60000',
              REQUEST_DEADLINE_MS: '60000',
              AUTH_SECRET,
              ...OUR_ADMISSION,
            },
            url,
          )
        : // Hive's own defaults but for its log level; run in the temporary folder so that it finds no gateway config file.
          spawnRunning(
            name,
            HIVE_BIN,
            [
              'supergraph',
              supergraphPath,
              '--host',
              '127.0.0.1',
              '--port',
              String(port),
              ...(name === 'hive-rust' ? ['--hive-router-runtime'] : []),
            ],
            { LOG_LEVEL: 'warn', NODE_ENV: 'production' },
            url,
            folder,
          );
    gateways.set(name, gateway);
    processes.push(gateway);
  }
  await Promise.all([...gateways.values()].map((g) => ready(g, Date.now() + 180_000)));

  // Every gateway's answer to each query, before the load (which also plans each query once).
  const answers = new Map<GatewayName, Partial<Record<QueryName, Body>>>();
  for (const [name, gateway] of gateways)
    answers.set(
      name,
      Object.fromEntries(
        await Promise.all(
          queryNames.map(async (q) => [q, await post(gateway.url, BENCH_QUERIES[q])] as const),
        ),
      ),
    );
  const ours = answers.get('ours')!;
  const answerRows: string[][] = [];
  for (const q of queryNames) {
    for (const name of gatewayNames) {
      const body = answers.get(name)![q]!;
      const difference =
        name === 'ours' ? null : firstDifference(canonical(ours[q]!.data), canonical(body.data));
      answerRows.push([
        q,
        name,
        name === 'ours' ? '(the reference)' : difference ? `differs: ${difference}` : 'identical',
        body.errors?.length ? JSON.stringify(body.errors).slice(0, 300) : 'none',
      ]);
    }
  }

  const memoryAtStart = new Map(processes.map((p) => [p.name, rssKiB(p.child.pid!)]));
  const postgresMemory = () =>
    postgresPids(databasePort).reduce((sum, pid) => sum + pssKiB(pid), 0);
  const postgresAtStart = postgresMemory();

  // Unrecorded warm-up, each gateway and query at the most connections: the first phases would otherwise pay for V8's compiling.
  const warmUpSeconds = Math.min(seconds, 3);
  for (const query of queryNames)
    for (const gateway of gateways.values())
      await load(gateway.url, BENCH_QUERIES[query], Math.max(...connectionCounts), warmUpSeconds);

  const totalPhases =
    rounds * connectionCounts.length * queryNames.length * gatewayNames.length +
    (publish ? queryNames.length * gatewayNames.length : 0);
  console.error(
    `${totalPhases} phases of ${seconds} s: about ${Math.ceil((totalPhases * (seconds + 1)) / 60)} minutes`,
  );
  const phases: Phase[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order = gatewayNames.map((_, i) => gatewayNames[(i + round - 1) % gatewayNames.length]!);
    for (const connections of connectionCounts) {
      for (const query of queryNames) {
        for (const name of order) {
          const before = cpuSnapshot(databasePort);
          const result = await load(gateways.get(name)!.url, BENCH_QUERIES[query], connections);
          const used = cpuUsed(before, cpuSnapshot(databasePort));
          phases.push({ round, connections, query, gateway: name, ...result, cpu: used });
        }
      }
    }
  }

  const publicationRows: string[][] = [];
  let publicationNote = '';
  if (publish) {
    const league = queryNames.includes('league')
      ? ours.league!
      : await post(gateways.get('ours')!.url, BENCH_QUERIES.league);
    const target = chooseTarget(
      registry,
      (league.data ?? {}) as Answers,
      Object.fromEntries(queryNames.map((q) => [q, (ours[q]!.data ?? {}) as Answers])),
    );
    if (typeof target === 'string') {
      publicationNote = `no publication phases: ${target}`;
    } else {
      publicationNote = `${target.name}'s ${INDICATOR} for ${target.period} (${target.id}), imported published straight to its publisher every second`;
      const token = await issueToken(
        { secret: AUTH_SECRET },
        {
          subject: 'bench-gateways',
          organisation: target.id,
          scopes: [Scope.WRITE],
          expiresIn: '4h',
        },
      );
      for (const query of queryNames) {
        for (const name of gatewayNames) {
          const r = await publicationPhase(gateways.get(name)!, query, target, token);
          publicationRows.push([
            name,
            query,
            fixed(r.rps, 1),
            fixed(r.p50),
            fixed(r.p99),
            `${r.errors} / ${r.non2xx} / ${r.withErrors}`,
            `${r.published} of ${r.published + r.failed}`,
            fixed(r.visibleP50),
            fixed(r.visibleMax),
            r.shown ? String(r.missed) : `${r.missed}: no answer showed the figure at all`,
          ]);
        }
      }
    }
  }
  const memoryAtEnd = new Map(
    processes.map((p) => [p.name, exited(p) ? NaN : rssKiB(p.child.pid!)]),
  );
  const postgresAtEnd = postgresMemory();
  // Each publisher's judgement cache at the end (crossgov_cache_entries at its /metrics): entries against its bound.
  const cacheRows: string[][] = [];
  for (const p of registry.publishers) {
    const text = await fetch(new URL('/metrics', p.url))
      .then((r) => r.text())
      .catch(() => '');
    const state = (name: string) =>
      new RegExp(`crossgov_cache_entries\\{[^}]*state="${name}"[^}]*\\} (\\d+)`).exec(text)?.[1] ??
      '-';
    cacheRows.push([p.id, state('entries'), state('max'), state('hits'), state('misses')]);
  }

  console.log(`# ${PNPM} bench:gateways, ${new Date().toISOString()}`);
  console.log(
    `# machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average before ${loadBefore}, after ${loadAverage()}`,
  );
  console.log(
    `# ${database.label}; today's government (${registry.organisations.length} organisations, ${registry.publishers.length} publishers), each publisher, the directory and insights in its own Node process`,
  );
  console.log(
    `# phases of ${seconds} s, ${rounds} round${rounds === 1 ? '' : 's'}, connections ${connectionCounts.join(' and ')}, the gateway order rotating each round, after a warm-up of ${warmUpSeconds} s per gateway and query; every gateway running throughout`,
  );
  console.log(
    `# ours: gateway/src/main.ts, NODE_ENV=production, SUBGRAPH_TIMEOUT_MS and REQUEST_DEADLINE_MS 60000, admission control off (${Object.entries(
      OUR_ADMISSION,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ', ',
      )}); hive: Hive Gateway ${versionOf('@graphql-hive/gateway')} \`hive-gateway supergraph\` with its defaults (LOG_LEVEL=warn); hive-rust: the same with --hive-router-runtime (@graphql-hive/router-runtime ${versionOf('@graphql-hive/router-runtime')})\n`,
  );

  console.log('## Throughput and latency (mean across rounds)\n');
  const throughputRows: string[][] = [];
  for (const query of queryNames) {
    for (const connections of connectionCounts) {
      const of = (name: GatewayName) =>
        phases.filter(
          (p) => p.query === query && p.connections === connections && p.gateway === name,
        );
      const oursRps = mean(of('ours').map((p) => p.rps));
      for (const name of gatewayNames) {
        const ps = of(name);
        const rps = mean(ps.map((p) => p.rps));
        const sum = (pick: (p: Phase) => number) => ps.reduce((s, p) => s + pick(p), 0);
        throughputRows.push([
          query,
          String(connections),
          name,
          fixed(rps, 1),
          fixed(mean(ps.map((p) => p.p50))),
          fixed(mean(ps.map((p) => p.p99))),
          name === 'ours' ? '' : fixed(oursRps / rps, 2),
          `${sum((p) => p.errors)} / ${sum((p) => p.non2xx)} / ${sum((p) => p.withErrors)}`,
          String(sum((p) => p.requests)),
        ]);
      }
    }
  }
  console.log(
    table(
      [
        'query',
        'connections',
        'gateway',
        'req/s',
        'p50 ms',
        'p99 ms',
        'ours ÷ this (req/s)',
        'errors / non-2xx / answers with errors',
        'requests',
      ],
      throughputRows,
    ),
  );

  console.log(
    '\n## CPU per request, ms (CPU time over the phases ÷ requests completed; publishers summed; bench = this process, autocannon)\n',
  );
  const columns = [...gatewayNames, 'directory', 'insights', 'publishers', 'postgres', 'bench'];
  const cpuRows: string[][] = [];
  for (const query of queryNames) {
    for (const connections of connectionCounts) {
      for (const name of gatewayNames) {
        const ps = phases.filter(
          (p) => p.query === query && p.connections === connections && p.gateway === name,
        );
        const requests = ps.reduce((s, p) => s + p.requests, 0);
        cpuRows.push([
          query,
          String(connections),
          name,
          ...columns.map((c) => fixed(ps.reduce((s, p) => s + (p.cpu[c] ?? 0), 0) / requests, 1)),
        ]);
      }
    }
  }
  console.log(
    table(
      [
        'query',
        'connections',
        'under test',
        ...columns.map((c) => (c === 'postgres' ? 'PostgreSQL' : c)),
      ],
      cpuRows,
    ),
  );
  console.log(
    "\nThe idle gateways' columns are their background work, which every column carries too (so more of it per request where requests are few). Every request of a phase is the same query, so at several connections requests in flight together can share work (our gateway shares identical in-flight subgraph fetches): CPU per request falls as connections rise.",
  );

  console.log(
    "\n## Answers, before the load (canonical: objects' keys sorted, arrays in order), compared with ours\n",
  );
  console.log(table(['query', 'gateway', 'answer', 'errors'], answerRows));

  console.log(
    `\n## Memory, MiB (RSS; PostgreSQL: PSS of ${database.label.includes('external') ? "the backends serving this run (a shared server's own processes left out)" : 'the server and its backends'})\n`,
  );
  const memoryRows = processes.map((p) => [
    p.name,
    String(MiB(memoryAtStart.get(p.name)!)),
    fixed(MiB(memoryAtEnd.get(p.name)!)),
  ]);
  console.log(
    table(
      ['process', 'before the load', 'at the end'],
      [...memoryRows, ['PostgreSQL', String(MiB(postgresAtStart)), String(MiB(postgresAtEnd))]],
    ),
  );
  console.log(
    "\n## Each publisher's judgement cache at the end (JUDGEMENT_CACHE_ENTRIES bounds it; least recently used out)\n",
  );
  console.log(table(['publisher', 'entries', 'bound', 'hits', 'misses'], cacheRows));

  if (publish) {
    console.log(
      `\n## Under publication: ${PUBLISH_CONNECTIONS} connections, ${publicationNote}; a poller sends the query every 20 ms on its own connection\n`,
    );
    if (publicationRows.length) {
      console.log(
        table(
          [
            'gateway',
            'query',
            'req/s',
            'p50 ms',
            'p99 ms',
            'errors / non-2xx / answers with errors',
            'imports published',
            'publish→visible p50 ms',
            'max ms',
            'missed',
          ],
          publicationRows,
        ),
      );
      console.log(
        '\nmissed: a correction that no answer of the poller showed, the next one replacing it first (the last one is given 10 s after the phase).',
      );
    }
  }
} finally {
  await cleanUp();
}
