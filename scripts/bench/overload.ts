import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';

// pnpm bench:overload [--seconds 30] [--capacity-seconds 20] [--multiples 1,2,4] [--unprotected] [--database-url postgres://...]
//
// The mixed read workload (GraphQL queries, dashboard pages, a page of /facts) offered open-loop,
// at a steady arrival rate that does not wait for answers, as many independent users do: first the
// rate this machine sustains is measured (closed loop, 4 clients, the answers per second), then the
// workload runs at 1x, 2x and 4x that rate. For each: how many answered whole, p50/p99/max of those,
// how many were shed (503) and how fast, any other failure, any answer that was partial (HTTP 200
// with errors), and the graph process's memory at the start and end of the run. With
// --unprotected the same rates also run against a graph whose admission control is off, side by
// side, for the ratio. The graph runs in its own process (as `pnpm start` runs it) so the load
// generator does not share its event loop.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench:overload`,
    description:
      'The mixed read workload offered open-loop at 1x, 2x and 4x the rate this machine sustains, against the graph in its\nown process: answered whole, p50/p99/max, shed (503) and how fast, partial answers, memory.',
    options: {
      seconds: { type: 'string', default: '30', value: '<n>', description: 'seconds per rate' },
      'capacity-seconds': {
        type: 'string',
        default: '20',
        value: '<n>',
        description: 'seconds measuring the sustained rate first',
      },
      multiples: {
        type: 'string',
        default: '1,2,4',
        value: '<list>',
        description: 'the rates, as multiples of the sustained one',
      },
      unprotected: {
        type: 'boolean',
        description: 'the same rates against a graph without admission control too, side by side',
      },
      'database-url': {
        type: 'string',
        value: '<url>',
        description:
          'an external PostgreSQL to run on (default: an embedded one started for the run)',
      },
    },
    examples: [`${PNPM} bench:overload`, `${PNPM} bench:overload -- --seconds 10 --multiples 1,2`],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
await import('@crossgov/schema/production');
const { default: pg } = await import('pg');
const { ROOT } = await import('../src/processes.ts');
const { benchDatabase } = await import('./database.ts');
const { QUERIES } = await import('./workload.ts');

interface Request {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** Answers in JSON whose `errors` would mean a partial answer. */
  graphql: boolean;
}

const post = (name: keyof typeof QUERIES): Request => ({
  name,
  method: 'POST',
  path: 'graphql',
  body: JSON.stringify({ query: QUERIES[name] }),
  graphql: true,
});
/** The mix, by weight: what strategy teams, dashboards and BI refreshes read. */
const MIX: [Request, number][] = [
  [post('uniform'), 2],
  [post('scorecard'), 2],
  [post('league'), 1],
  [{ name: 'overview page', method: 'GET', path: '', graphql: false }, 2],
  [{ name: 'organisation page', method: 'GET', path: 'organisations/unity', graphql: false }, 2],
  [
    {
      name: 'compare page',
      method: 'GET',
      path: 'compare?indicator=ss-invoices-paid-5-days',
      graphql: false,
    },
    1,
  ],
  [{ name: 'facts page', method: 'GET', path: 'facts?pageSize=500', graphql: true }, 1],
];
const SEQUENCE = MIX.flatMap(([request, weight]) => Array.from({ length: weight }, () => request));

interface Outcome {
  name: string;
  status: number;
  ms: number;
  partial: boolean;
  /** Network failure or client timeout. */
  failed: string | null;
}

const CLIENT_TIMEOUT_MS = 60_000;

/**
 * The load generator's connections: a keep-alive pool of at most CLIENT_CONNECTIONS, as a load
 * balancer or reverse proxy in front of the gateway holds them. A client that opened a connection
 * per request instead measured the gateway's accept queue rather than its answers: a Node process
 * busy with work accepted new connections at 10-20 a second here, so at 2x every request on a new
 * connection waited 15-25 s in the kernel before the server saw it (a 503 on a kept-alive
 * connection took 300 ms). A request waiting for a free connection counts in its latency.
 */
const CLIENT_CONNECTIONS = 256;
const agent = new Agent({ keepAlive: true, maxSockets: CLIENT_CONNECTIONS });

function send(base: string, request: Request): Promise<Outcome> {
  const started = performance.now();
  const done = (status: number, partial: boolean, failed: string | null): Outcome => ({
    name: request.name,
    status,
    ms: performance.now() - started,
    partial,
    failed,
  });
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      base + request.path,
      {
        agent,
        method: request.method,
        headers: request.body
          ? { 'content-type': 'application/json', accept: 'application/json' }
          : { accept: request.graphql ? 'application/json' : 'text/html' },
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', (error) => resolve(done(0, false, error.name)));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          let partial = false;
          if (status === 200 && request.graphql)
            partial = Array.isArray((JSON.parse(text) as { errors?: unknown[] }).errors);
          // A dashboard page that had to leave an organisation out says so in a notice.
          if (status === 200 && !request.graphql)
            partial = text.includes('data-missing-organisations');
          resolve(done(status, partial, null));
        });
      },
    );
    outgoing.on('error', (error) => resolve(done(0, false, error.name)));
    outgoing.end(request.body);
  });
}

/**
 * Opens the client's whole pool before a run (on the dashboard's stylesheet, which admission control
 * does not count), as a proxy in front of the gateway has its connections open: the run then
 * measures answers, not the accepting of new connections.
 */
async function openConnections(base: string): Promise<void> {
  const stylesheet: Request = {
    name: 'stylesheet',
    method: 'GET',
    path: 'assets/dashboard.css',
    graphql: false,
  };
  await Promise.all(Array.from({ length: CLIENT_CONNECTIONS }, () => send(base, stylesheet)));
}

/** Closed loop: `clients` callers each sending the next request as soon as the last answers. */
async function closedLoop(base: string, clients: number, seconds: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const until = performance.now() + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until)
        outcomes.push(await send(base, SEQUENCE[next++ % SEQUENCE.length]!));
    }),
  );
  return outcomes;
}

/** Open loop: one arrival every 1/rate seconds for `seconds`, whatever the answers do. */
async function openLoop(base: string, rate: number, seconds: number): Promise<Outcome[]> {
  const pending: Promise<Outcome>[] = [];
  const started = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(base, SEQUENCE[i % SEQUENCE.length]!));
  }
  return Promise.all(pending);
}

const percentile = (xs: number[], p: number) =>
  xs.length
    ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
    : Number.NaN;
const rssMiB = (pid: number) =>
  Math.round(
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
  );

interface Graph {
  label: string;
  child: ChildProcess;
  base: string;
  stop(): Promise<void>;
}

async function startGraph(
  label: string,
  databaseUrl: string,
  env: Record<string, string>,
): Promise<Graph> {
  const prefix = `overload${process.pid}${label.replace(/\W/g, '')}`;
  // The same graph process as the fuzz test's; its stdin is a pipe, so it ends with this one.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts/src/graph-process.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'error',
        DATABASE_URL: databaseUrl,
        SCHEMA_PREFIX: prefix,
        ...env,
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const gatewayUrl = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the ${label} graph exited (${code}) before it was ready`)),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"ready":true'))
        resolve((JSON.parse(line) as { gatewayUrl: string }).gatewayUrl);
    });
  });
  return {
    label,
    child,
    base: gatewayUrl.replace(/graphql$/, ''),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const { rows } = await client.query<{ nspname: string }>(
        'select nspname from pg_namespace where nspname like $1',
        [`${prefix}%`],
      );
      for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
      await client.end();
    },
  };
}

function summarise(outcomes: Outcome[]) {
  const whole = outcomes.filter((o) => o.status === 200 && !o.partial);
  const shed = outcomes.filter((o) => o.status === 503);
  const other = outcomes.filter((o) => o.status !== 200 && o.status !== 503);
  const partial = outcomes.filter((o) => o.status === 200 && o.partial);
  return {
    offered: outcomes.length,
    whole: whole.length,
    p50: percentile(
      whole.map((o) => o.ms),
      50,
    ),
    p99: percentile(
      whole.map((o) => o.ms),
      99,
    ),
    max: Math.max(0, ...whole.map((o) => o.ms)),
    allP99: percentile(
      outcomes.map((o) => o.ms),
      99,
    ),
    shed: shed.length,
    shedP99: percentile(
      shed.map((o) => o.ms),
      99,
    ),
    other: other.length,
    otherKinds: [...new Set(other.map((o) => (o.failed ? o.failed : String(o.status))))].join(' '),
    partial: partial.length,
    partialKinds: [...new Set(partial.map((o) => o.name))].join(', '),
  };
}

const seconds = Number(values.seconds);
const multiples = values.multiples.split(',').map(Number);
const database = await benchDatabase(values['database-url']);
const graphs: Graph[] = [];
try {
  graphs.push(await startGraph('protected', database.url, {}));
  if (values.unprotected)
    graphs.push(
      await startGraph('unprotected', database.url, {
        MAX_CONCURRENT_REQUESTS: '1000000',
        MAX_QUEUED_REQUESTS: '0',
        MAX_EVENT_LOOP_DELAY_MS: '0',
        REQUEST_DEADLINE_MS: '600000',
      }),
    );
  // Warm every graph (plans cached, caches filled) as a running one is.
  for (const graph of graphs) await closedLoop(graph.base, 1, 5);
  const capacity = summarise(
    await closedLoop(graphs[0]!.base, 4, Number(values['capacity-seconds'])),
  );
  const sustained = Math.max(
    0.5,
    Math.floor((capacity.whole / Number(values['capacity-seconds'])) * 2) / 2,
  );
  console.log(`# pnpm bench:overload, ${new Date().toISOString().slice(0, 10)}, ${database.label}`);
  console.log(
    `# machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 20)} MiB, Node ${process.version}, load average at start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`# mix: ${MIX.map(([r, w]) => `${r.name} x${w}`).join(', ')}`);
  console.log(
    `# sustained: ${capacity.whole} whole answers in ${values['capacity-seconds']} s at 4 clients (p50 ${capacity.p50.toFixed(0)} ms, p99 ${capacity.p99.toFixed(0)} ms) -> ${sustained} requests/s`,
  );
  console.log(
    `# each rate offered open-loop for ${seconds} s; client: ${CLIENT_CONNECTIONS} keep-alive connections, timeout ${CLIENT_TIMEOUT_MS / 1000} s\n`,
  );
  console.log(
    '| graph | rate | offered | whole | p50 ms | p99 ms | max ms | shed 503 | 503 p99 ms | other failures | partial | RSS start MiB | RSS end MiB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const multiple of multiples) {
    for (const graph of graphs) {
      const rate = sustained * multiple;
      await openConnections(graph.base);
      const before = rssMiB(graph.child.pid!);
      const s = summarise(await openLoop(graph.base, rate, seconds));
      const after = rssMiB(graph.child.pid!);
      console.log(
        `| ${graph.label} | ${multiple}x = ${rate}/s | ${s.offered} | ${s.whole} | ${s.p50.toFixed(0)} | ${s.p99.toFixed(0)} | ${s.max.toFixed(0)} | ${s.shed} | ${Number.isNaN(s.shedP99) ? '–' : s.shedP99.toFixed(0)} | ${s.other}${s.other ? ` (${s.otherKinds})` : ''} | ${s.partial}${s.partial ? ` (${s.partialKinds})` : ''} | ${before} | ${after} |`,
      );
      // Let the graph drain before the next run.
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
  console.log(
    `\nload average at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} finally {
  for (const graph of graphs) await graph.stop();
  await database.stop();
}
