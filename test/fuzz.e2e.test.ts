import { randomBytes } from 'node:crypto';
import type { AuthConfig } from '@crossgov/schema/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE, TEST_DATABASE_URL } from '@crossgov/testing/database';
import { type GraphProcess, startGraphProcess } from '@crossgov/testing/child-graph';
import { NO_ROUTE } from '@crossgov/testing/fuzz/judge';
import { FAMILIES, type FuzzReport, runFuzz, summary } from '@crossgov/testing/fuzz/run';
import { readWorld } from '@crossgov/testing/fuzz/world';
import { snapshotSchemas } from '@crossgov/testing/snapshot';

// Issue 13, acceptance item 2: a seeded, bounded fuzz. Generated GraphQL documents, variables,
// imports and GET routes, a quarter each, go to the gateway and to the subgraphs directly, a few
// at a time; the graph runs in a process of its own, so a crash shows as that process exiting.
// Every input is answered, none with a 5xx; every refusal is JSON naming its code (a dashboard
// page's is an HTML page); every write is refused, and no table of any database changes.
//
// FUZZ_SEED picks the seed (`random` for a fresh one), FUZZ_INPUTS the number of inputs and
// FUZZ_CONCURRENCY how many are in flight; the summary prints the seed, the answers by status and
// refusal code, and each finding with the number of an input that shows it: fuzzInput(seed, n, world)
// (test/utils/fuzz/run.ts) makes that input again on its own.

const auth: AuthConfig = { secret: 'fuzz-e2e-secret-'.padEnd(48, 'f') };
const SEED =
  process.env.FUZZ_SEED === 'random'
    ? randomBytes(6).toString('hex')
    : (process.env.FUZZ_SEED ?? 'issue-13');
const INPUTS = Number(process.env.FUZZ_INPUTS ?? 10_000);
/** Enough in flight to keep the graph's process and PostgreSQL busy at once on two cores, no more. */
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 4);
/** No answer may take longer: past it the input counts as a hang. */
const ANSWER_TIMEOUT_MS = 30_000;

describe(`a seeded fuzz of ${INPUTS.toLocaleString('en-GB')} documents, variables, imports and GET routes, on ${STORAGE}`, () => {
  let graph: GraphProcess;
  let report: FuzzReport;
  let before: Awaited<ReturnType<typeof snapshotSchemas>>;
  let after: Awaited<ReturnType<typeof snapshotSchemas>>;
  /** The findings that match, each as one line naming the input (the first 20: the summary counts them all). */
  const findings = (match: (finding: string) => boolean) =>
    report.findings
      .filter((f) => match(f.finding))
      .slice(0, 20)
      .map(
        (f) =>
          `#${f.n} ${f.family}/${f.kind}: ${f.finding}; ${f.request.slice(0, 120)} -> ${f.status} ${f.answer.replace(/\s+/g, ' ').slice(0, 120)}`,
      );

  beforeAll(async () => {
    graph = await startGraphProcess({ auth });
    const world = await readWorld(graph, auth);
    before = await snapshotSchemas(TEST_DATABASE_URL, graph.schemas);
    console.log(
      `Fuzz seed ${JSON.stringify(SEED)}: FUZZ_SEED=${SEED} FUZZ_INPUTS=${INPUTS} makes this run again.`,
    );
    // What the seed logged (Norfolk's rows it does not load) is not the fuzz's doing.
    graph.log.clear();
    report = await runFuzz(world, {
      seed: SEED,
      inputs: INPUTS,
      concurrency: CONCURRENCY,
      timeoutMs: ANSWER_TIMEOUT_MS,
    });
    after = await snapshotSchemas(TEST_DATABASE_URL, graph.schemas);
    const logged = [...graph.log.messages].map(
      ([message, times]) => `  ${String(times).padStart(6)}  ${message}`,
    );
    const tables = Object.entries(before).flatMap(([schema, ofSchema]) =>
      Object.keys(ofSchema).map((table) => [schema, table] as const),
    );
    const changed = tables.filter(
      ([schema, table]) =>
        JSON.stringify(before[schema]![table]) !== JSON.stringify(after[schema]?.[table]),
    );
    const fivexx = report.findings.filter((f) => f.finding.startsWith('answered 5')).length;
    console.log(
      [
        summary(report),
        `Process exits: ${graph.exited() === null ? 0 : 1}; answers of 5xx (but a 503 with Retry-After): ${fivexx}; tables changed: ${changed.length} of ${tables.length} (a digest of every row, before and after)`,
        `The graph's process logged (warn and above): ${JSON.stringify(graph.log.counts)}`,
        ...logged,
      ].join('\n'),
    );
  }, 400_000);
  afterAll(async () => {
    await graph?.stop();
  });

  it(`sends ${INPUTS.toLocaleString('en-GB')} inputs, a quarter from each family`, () => {
    expect(report.inputs).toBe(INPUTS);
    expect(report.inputs).toBeGreaterThanOrEqual(Math.min(INPUTS, 10_000));
    for (const family of FAMILIES)
      expect(report.families[family].inputs, family).toBeGreaterThanOrEqual(
        Math.floor(INPUTS / FAMILIES.length),
      );
  });

  it("leaves the graph's process running, and the gateway and every subgraph answering", async () => {
    expect(graph.exited()).toBeNull();
    for (const url of [graph.gatewayUrl, ...Object.values(graph.subgraphUrls)]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.status, url).toBe(200);
      expect(await response.json(), url).toEqual({ data: { __typename: 'Query' } });
    }
  });

  it('logs no error, and no warning of Node itself (a listener leak, say), while fuzzed', () => {
    expect(graph.log.counts).not.toHaveProperty('error');
    expect(graph.log.counts).not.toHaveProperty('fatal');
    expect([...graph.log.messages.keys()].filter((message) => message.startsWith('raw:'))).toEqual(
      [],
    );
  });

  it('answers every input in time, none with a 5xx (a 503 with Retry-After sheds load and is allowed)', () => {
    expect(findings((f) => f.startsWith('no whole answer') || f.startsWith('answered 5'))).toEqual(
      [],
    );
  });

  it('answers no input with a masked internal error or an export that broke off', () => {
    expect(
      findings(
        (f) =>
          f === 'an INTERNAL_SERVER_ERROR in the answer' ||
          f === 'a streamed answer ended in an error',
      ),
    ).toEqual([]);
  });

  it('refuses as JSON naming the code in errors[0].extensions.code, or for a dashboard page with an HTML page', () => {
    expect(findings((f) => f.startsWith('refused with'))).toEqual([]);
  });

  it("answers a path no route has with JSON too, never Express's own HTML page", () => {
    expect(findings((f) => f === NO_ROUTE)).toEqual([]);
  });

  it('refuses every write, and leaves every table of the directory and of every publisher as it was', () => {
    expect(report.writes.sent).toBeGreaterThan(INPUTS / 4);
    expect(report.writes.accepted).toBe(0);
    expect(report.writes.refused).toBe(report.writes.sent);
    expect(Object.keys(after)).toEqual(graph.schemas);
    expect(after).toEqual(before);
  });
});
