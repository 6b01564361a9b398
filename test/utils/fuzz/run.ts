import { documentInput } from './documents.ts';
import { importInput } from './imports.ts';
import { judge } from './judge.ts';
import { Random } from './random.ts';
import { routeInput } from './routes.ts';
import { FAMILIES, type Family, type FuzzInput, pool, sender } from './send.ts';
import { variablesInput } from './variables.ts';
import type { World } from './world.ts';

export { FAMILIES, type Family } from './send.ts';

const GENERATORS: Record<Family, (random: Random, world: World, n: number) => FuzzInput> = {
  documents: documentInput,
  variables: variablesInput,
  imports: importInput,
  routes: routeInput,
};

/** Input `n` of the run with this seed: the same on every machine, and on its own. */
export function fuzzInput(seed: string, n: number, world: World): FuzzInput {
  return GENERATORS[FAMILIES[n % FAMILIES.length]!](new Random(`${seed}:${n}`), world, n);
}

export interface Finding {
  n: number;
  family: Family;
  kind: string;
  request: string;
  status: number;
  finding: string;
  answer: string;
}

export interface FuzzReport {
  seed: string;
  inputs: number;
  elapsedMs: number;
  /** Per family: inputs, writes among them, and answers by status. */
  families: Record<Family, { inputs: number; writes: number; statuses: Record<string, number> }>;
  /** Refusals by code (and reason or limit), over every family. */
  refusals: Record<string, number>;
  /** Inputs by kind, for the summary. */
  kinds: Record<string, number>;
  /** Milliseconds waited for answers, by kind: where the run's time goes. */
  time: Record<string, number>;
  /** Writes sent, those among them by a caller who may write (refused by the rules alone), and how they were answered. */
  writes: { sent: number; byWriters: number; refused: number; accepted: number };
  findings: Finding[];
  /** Inputs sent again because the kept-alive connection they went on was reset before any answer. */
  retried: number;
  /** The slowest answers, to see what a busy machine spends its time on. */
  slowest: { n: number; kind: string; ms: number }[];
}

const count = (counts: Record<string, number>, key: string) =>
  (counts[key] = (counts[key] ?? 0) + 1);

/** Sends `inputs` generated inputs, `concurrency` at a time, and judges every answer. */
export async function runFuzz(
  world: World,
  options: { seed: string; inputs: number; concurrency: number; timeoutMs: number },
): Promise<FuzzReport> {
  const report: FuzzReport = {
    seed: options.seed,
    inputs: 0,
    elapsedMs: 0,
    families: Object.fromEntries(
      FAMILIES.map((f) => [f, { inputs: 0, writes: 0, statuses: {} }]),
    ) as FuzzReport['families'],
    refusals: {},
    kinds: {},
    time: {},
    writes: { sent: 0, byWriters: 0, refused: 0, accepted: 0 },
    findings: [],
    retried: 0,
    slowest: [],
  };
  const { send, close } = sender(options.concurrency, options.timeoutMs);
  const started = performance.now();
  function* numbers() {
    for (let n = 0; n < options.inputs; n++) yield n;
  }
  try {
    await pool(numbers(), options.concurrency, async (n) => {
      const input = fuzzInput(options.seed, n, world);
      const answer = await send(input);
      const verdict = judge(input, answer);
      if (answer.retried) report.retried += 1;
      const family = report.families[input.family];
      report.inputs += 1;
      family.inputs += 1;
      count(family.statuses, answer.status === 0 ? 'none' : String(answer.status));
      count(report.kinds, `${input.family}: ${input.kind}`);
      report.time[`${input.family}: ${input.kind}`] =
        (report.time[`${input.family}: ${input.kind}`] ?? 0) + Math.round(answer.ms);
      if (verdict.refusal) count(report.refusals, verdict.refusal);
      if (input.write) {
        family.writes += 1;
        report.writes.sent += 1;
        if (input.byWriter) report.writes.byWriters += 1;
        if (verdict.accepted) report.writes.accepted += 1;
        else if (verdict.refusal || answer.status >= 300) report.writes.refused += 1;
      }
      for (const finding of verdict.findings) {
        report.findings.push({
          n,
          family: input.family,
          kind: input.kind,
          request: `${input.method} ${input.to} ${input.path.slice(0, 160)}${input.body ? ` (${input.body.length} bytes: ${String(input.body).slice(0, 160)})` : ''}`,
          status: answer.status,
          finding,
          answer: answer.text.slice(0, 300),
        });
      }
      report.slowest.push({ n, kind: `${input.family}: ${input.kind}`, ms: Math.round(answer.ms) });
      if (report.slowest.length > 20)
        report.slowest = report.slowest.sort((a, b) => b.ms - a.ms).slice(0, 10);
    });
  } finally {
    close();
  }
  report.elapsedMs = Math.round(performance.now() - started);
  report.slowest = report.slowest.sort((a, b) => b.ms - a.ms).slice(0, 10);
  return report;
}

/** Findings of the same kind together, with how many and the first example. */
function groups(findings: Finding[]): { finding: string; count: number; example: Finding }[] {
  const byKey = new Map<string, { finding: string; count: number; example: Finding }>();
  for (const f of findings) {
    const key = `${f.family}/${f.kind}/${f.finding}/${f.status}`;
    const group = byKey.get(key) ?? { finding: f.finding, count: 0, example: f };
    group.count += 1;
    byKey.set(key, group);
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count);
}

const table = (title: string, counts: Record<string, number>) =>
  [
    `${title}:`,
    ...Object.entries(counts)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([key, value]) => `  ${String(value).padStart(6)}  ${key}`),
  ].join('\n');

/** The run as people read it: inputs per family, statuses, refusal codes, writes, time. */
export function summary(report: FuzzReport): string {
  const families = FAMILIES.map((f) => {
    const { inputs, writes, statuses } = report.families[f];
    return `  ${f.padEnd(10)} ${String(inputs).padStart(6)} inputs, ${String(writes).padStart(5)} writes; ${Object.entries(
      statuses,
    )
      .sort()
      .map(([s, c]) => `${s}: ${c}`)
      .join(', ')}`;
  });
  return [
    `Fuzz of ${report.inputs} inputs, seed ${JSON.stringify(report.seed)} (FUZZ_SEED, FUZZ_INPUTS), in ${(report.elapsedMs / 1000).toFixed(1)} s (${Math.round(report.inputs / (report.elapsedMs / 1000))} inputs a second)`,
    'Inputs per family and answers by status:',
    ...families,
    `Writes: ${report.writes.sent} sent (${report.writes.byWriters} by a caller who may write, so refused by the rules alone), ${report.writes.refused} refused, ${report.writes.accepted} accepted`,
    table('Refusals by code', report.refusals),
    'Inputs by kind: how many, and the mean wait for an answer:',
    ...Object.entries(report.kinds)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(
        ([kind, n]) =>
          `  ${String(n).padStart(6)}  ${kind} (${Math.round(report.time[kind]! / n)} ms)`,
      ),
    `Sent again after a kept-alive connection was reset before any answer: ${report.retried}`,
    `Slowest answers: ${report.slowest.map((s) => `#${s.n} ${s.kind} ${s.ms} ms`).join('; ')}`,
    `Findings: ${report.findings.length}`,
    ...groups(report.findings).map(
      ({ finding, count, example: f }) =>
        `  ${count} x ${f.family}/${f.kind}: ${finding}\n    e.g. #${f.n}: ${f.request}\n    -> ${f.status} ${f.answer.replace(/\s+/g, ' ').slice(0, 200)}`,
    ),
  ].join('\n');
}
