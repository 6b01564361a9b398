import { cpus, totalmem } from 'node:os';
import { Session } from 'node:inspector/promises';
import type { LocalGraph } from '../src/local-graph.ts';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';

// npx tsx scripts/bench/limits.ts [--database-url postgres://...]
//
// Where each query that took a process down spends its time, and what the request limits make of
// it (README "Limits"). First on a graph whose limits are lifted (QUERY_MAX_* set huge, as an
// operator could), at sizes that still finish: wall time, answer size and the CPU self time by
// package from a profile of this process, which runs the whole graph. Then on a graph with the
// default limits, at the sizes the probes sent and the bombs issue 15 names (root fields, the
// organisations x fields fan-out): how long the refusal takes, and the uniform query's latency
// alone, while three attackers send it at a fixed rate, and while they keep three in flight, side
// by side in alternating rounds, with the ratios. The first row sends uniform queries instead of an
// attack: what normal load of the same shape does to latency on these two cores, the whole graph
// being in this one process. Loopback only; every request is bounded.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench:limits`,
    description:
      "Where each query that took a process down spends its time, on a graph with the request limits lifted, then how fast\nthe default limits refuse each, and the uniform query's latency beside each attack. Loopback only; bounded.",
    options: {
      'database-url': {
        type: 'string',
        value: '<url>',
        description:
          'an external PostgreSQL to run on (default: an embedded one started for the run)',
      },
    },
    examples: [
      `${PNPM} bench:limits`,
      `${PNPM} bench:limits -- --database-url postgres://postgres@127.0.0.1:5432/test`,
    ],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
await import('@crossgov/schema/production');
const { loadRegistry } = await import('@crossgov/schema');
const { GATEWAY_LIMITS, SUBGRAPH_LIMITS } = await import('@crossgov/schema/server');
const { startLocalGraph } = await import('../src/local-graph.ts');
const { benchDatabase } = await import('./database.ts');

const cycle = (levels: number) => {
  const names = Array.from({ length: levels }, (_, i) =>
    i % 2 === 0 ? 'memberships' : 'department',
  );
  return `{ departments { ${names.map((n) => `${n} {`).join(' ')} ${levels % 2 === 0 ? 'code' : 'from'} ${names.map(() => '}').join(' ')} } }`;
};
const fanOut = (levels: number) => {
  const fragments = ['fragment F0 on Organisation { id name }'];
  for (let i = 1; i <= levels; i++)
    fragments.push(
      `fragment F${i} on Organisation { ...F${i - 1} @include(if: true) ...F${i - 1} @skip(if: false) }`,
    );
  return `{ organisations { ...F${levels} } }\n${fragments.join('\n')}`;
};
const aliases = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `o${i}: organisations { id }`).join(' ')} }`;
const roots = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `d${i}: departments { code }`).join(' ')} }`;
// Organisations within publishers within organisations (test/limits.e2e.test.ts): cost 2.2 x 10^8 at
// the gateway's 1,000 organisations assumed; the directory's own version nests one level more.
const FAN_OUT_BOMB =
  '{ organisations { id publisher { organisations { id indicators { code measurements { period value } } } } } }';
const DIRECTORY_FAN_OUT =
  '{ organisations { publisher { organisations { publisher { organisations { id name } } } } } }';
const UNIFORM =
  '{ organisations { id name kind services { id name } indicators { code latest { period value } } } }';

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 1000 });

/** One request, timed, with the CPU self time of this process by package while it ran. */
async function probe(url: string, body: string) {
  await session.post('Profiler.start');
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(600_000),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const { profile } = await session.post('Profiler.stop');
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byPackage = new Map<string, number>();
  profile.samples!.forEach((id, i) => {
    const url = nodes.get(id)!.callFrame.url;
    const pkg =
      /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      (url.startsWith('node:') ? 'node' : url === '' ? '(gc, idle, native)' : 'crossgov');
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + profile.timeDeltas![i]! / 1000);
  });
  const busy = [...byPackage]
    .filter(([pkg]) => pkg !== '(gc, idle, native)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3);
  return {
    status: response.status,
    bytes: text.length,
    ms,
    top: busy.map(([pkg, t]) => `${pkg} ${Math.round(t)} ms`).join(', '),
    code: /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? '',
  };
}

const json = (query: string) => JSON.stringify({ query });

/** One request's wall time, unprofiled, and whether it was answered whole (200, no errors). */
async function timed(url: string, body: string): Promise<{ ms: number; whole: boolean }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return {
    ms: performance.now() - started,
    whole: response.status === 200 && !text.includes('"errors"'),
  };
}
const database = await benchDatabase(values['database-url']);
const graphs: LocalGraph[] = [];
const start = async (label: string) => {
  const graph = await startLocalGraph({
    registry: loadRegistry(),
    ports: 'free',
    databaseUrl: database.url,
    schemaPrefix: `bench${process.pid}_${label}`,
    subgraphTimeoutMs: 600_000,
  });
  graphs.push(graph);
  return graph;
};
try {
  console.log(
    `${new Date().toISOString()}  ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${database.label}\n`,
  );

  const LIFTED = {
    QUERY_MAX_DEPTH: '1000000',
    QUERY_MAX_ALIASES: '1000000',
    QUERY_MAX_ROOT_FIELDS: '1000000',
    QUERY_MAX_TOKENS: '10000000',
    QUERY_MAX_SELECTIONS: '1000000000',
    QUERY_MAX_COST: '1000000000000000',
  };
  Object.assign(process.env, LIFTED);
  const open = await start('lifted');
  for (const name of Object.keys(LIFTED)) delete process.env[name];
  await probe(open.gatewayUrl, json(UNIFORM));
  console.log(
    '### Limits lifted: where the time goes\n\n| attack | sent to | status | answer bytes | ms | CPU self time by package (top 3) |\n| --- | --- | --- | --- | --- | --- |',
  );
  const lifted: [string, string, string][] = [
    ...[20, 24, 28].flatMap((n): [string, string, string][] => [
      [`cycle, ${n} levels`, 'gateway', cycle(n)],
      [`cycle, ${n} levels`, 'directory', cycle(n)],
    ]),
    ...[10, 12, 13].map((n): [string, string, string] => [
      `fragment fan-out, ${n} levels`,
      'gateway',
      fanOut(n),
    ]),
    ...[500, 1000, 2000].flatMap((n): [string, string, string][] => [
      [`${n} aliases`, 'gateway', aliases(n)],
      [`${n} aliases`, 'directory', aliases(n)],
    ]),
  ];
  for (const [attack, to, query] of lifted) {
    const r = await probe(to === 'gateway' ? open.gatewayUrl : open.directory.url, json(query));
    console.log(
      `| ${attack} | ${to} | ${r.status} | ${r.bytes.toLocaleString('en-GB')} | ${Math.round(r.ms).toLocaleString('en-GB')} | ${r.top} |`,
    );
  }

  const guarded = await start('defaults');
  await probe(guarded.gatewayUrl, json(UNIFORM));
  const norfolk = guarded.organisations.get('norfolk')!.url;
  const big = `{ organisations { ${'id '.repeat(2_400_000)}} }`;
  const mutation = JSON.stringify({
    query:
      'mutation ($m: [MeasurementInput!]!) { norfolk { submitMeasurements(measurements: $m) { accepted } } }',
    variables: {
      m: Array.from({ length: 175_000 }, (_, i) => ({ bogus: `row ${i}`.padEnd(80, '.') })),
    },
  });
  const attacks: [string, string, string][] = [
    ['none: three uniform queries', guarded.gatewayUrl, json(UNIFORM)],
    ['cycle, 100 levels', guarded.gatewayUrl, json(cycle(100))],
    ['cycle, 100 levels', guarded.directory.url, json(cycle(100))],
    ['fragment fan-out, 19 levels', guarded.gatewayUrl, json(fanOut(19))],
    ['fragment fan-out, 19 levels', guarded.directory.url, json(fanOut(19))],
    ['5,000 aliases', guarded.gatewayUrl, json(aliases(5000))],
    ['5,000 aliases', guarded.directory.url, json(aliases(5000))],
    [
      `${GATEWAY_LIMITS.maxRootFields + 1} root fields`,
      guarded.gatewayUrl,
      json(roots(GATEWAY_LIMITS.maxRootFields + 1)),
    ],
    [
      `${SUBGRAPH_LIMITS.maxRootFields + 1} root fields`,
      guarded.directory.url,
      json(roots(SUBGRAPH_LIMITS.maxRootFields + 1)),
    ],
    ['organisations x fields fan-out', guarded.gatewayUrl, json(FAN_OUT_BOMB)],
    ['organisations x fields fan-out', guarded.directory.url, json(DIRECTORY_FAN_OUT)],
    ['7 MB query', guarded.gatewayUrl, json(big)],
    ['7 MB query', norfolk, json(big)],
    ['16 MB anonymous mutation', guarded.gatewayUrl, mutation],
    ['16 MB anonymous mutation', norfolk, mutation],
  ];
  const ROUNDS = 3;
  const PER_ROUND = 6;
  /** How often each of the three attackers sends at the fixed rate. */
  const PACED_MS = 250;
  const RATE = Math.round((3 * 1000) / PACED_MS);
  type Answer = { ms: number; whole: boolean };
  /** The uniform query's latencies, one request at a time. */
  const uniform = async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < PER_ROUND; i++)
      answers.push(await timed(guarded.gatewayUrl, json(UNIFORM)));
    return answers;
  };
  /**
   * The same while three attackers send `body` to `url`, each again when its last is answered or
   * `everyMs` after it was sent, whichever is later; what the attacks were answered is counted.
   */
  const underAttack = async (
    url: string,
    body: string,
    everyMs: number,
    answered: Map<number, number>,
  ) => {
    let stop = false;
    const loops = [1, 2, 3].map(async () => {
      while (!stop) {
        const sent = performance.now();
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(60_000),
        });
        await response.text();
        answered.set(response.status, (answered.get(response.status) ?? 0) + 1);
        const wait = everyMs - (performance.now() - sent);
        if (wait > 0 && !stop) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    });
    const answers = await uniform();
    stop = true;
    await Promise.all(loops);
    return answers;
  };
  // Start-up holds the event loop for seconds, which admission control takes for load (503): wait
  // for five whole answers running before measuring anything.
  for (let whole = 0, deadline = Date.now() + 60_000; whole < 5 && Date.now() < deadline;)
    whole = (await timed(guarded.gatewayUrl, json(UNIFORM))).whole ? whole + 1 : 0;
  console.log(
    `\n### Default limits: the probes refused, and the uniform query's latency beside them\n\n` +
      `${ROUNDS} rounds, alternating, of ${PER_ROUND} uniform queries one at a time: alone; while three attackers each send the attack every ${PACED_MS} ms ` +
      `(${RATE} a second); and while they keep three in flight (each sending again as soon as answered).\n\n` +
      `| attack | sent to | status | code | refusal ms | uniform p50 alone | p50 at ${RATE}/s (ratio) | p50 with 3 in flight (ratio) | p90 alone / ${RATE}/s / 3 in flight | uniform not whole | attacks answered |\n` +
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  const quantile = (answers: Answer[], q: number) =>
    answers.map((a) => a.ms).sort((a, b) => a - b)[
      Math.min(answers.length - 1, Math.floor(q * answers.length))
    ]!;
  for (const [attack, url, body] of attacks) {
    const refused = await probe(url, body);
    const [alone, paced, flood]: [Answer[], Answer[], Answer[]] = [[], [], []];
    const answered = new Map<number, number>();
    for (let round = 0; round < ROUNDS; round++) {
      alone.push(...(await uniform()));
      paced.push(...(await underAttack(url, body, PACED_MS, answered)));
      flood.push(...(await underAttack(url, body, 0, answered)));
    }
    const to = url === guarded.gatewayUrl ? 'gateway' : url === norfolk ? 'norfolk' : 'directory';
    const p50 = quantile(alone, 0.5);
    const beside = (answers: Answer[]) =>
      `${Math.round(quantile(answers, 0.5))} (${(quantile(answers, 0.5) / p50).toFixed(2)})`;
    const p90 = [alone, paced, flood]
      .map((answers) => Math.round(quantile(answers, 0.9)))
      .join(' / ');
    const notWhole = [alone, paced, flood]
      .map((answers) => answers.filter((a) => !a.whole).length)
      .join(' / ');
    const statuses = [...answered].map(([status, n]) => `${n} x ${status}`).join(', ');
    console.log(
      `| ${attack} | ${to} | ${refused.status} | ${refused.code} | ${Math.round(refused.ms)} | ${Math.round(p50)} | ${beside(paced)} | ${beside(flood)} | ${p90} | ${notWhole} | ${statuses} |`,
    );
  }
} finally {
  for (const graph of graphs) await graph.stop();
  await database.stop();
}
