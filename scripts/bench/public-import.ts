import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SourceId, SourceRead } from '@crossgov/organisation/sources';
import type { RegistryEntry } from '@crossgov/schema';
import type { Principal } from '@crossgov/schema/auth';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';

// pnpm bench:public-import [--rounds 2] [--database-url postgres://postgres@127.0.0.1:5432/test] [--data ../shared/data/public]
//                          [--profile scotland-lgbf]
//
// Imports each published data set in full (src/sources: GMPP, the Transactions Explorer, NHS A&E,
// the LGBF) the way a publisher's first start does (seed/sources.ts): the adapter reads the files,
// then `importRead` checks every record and writes them in one transaction, published, into a fresh
// PostgreSQL schema, as the publisher's data team. Alternating with each import, the same records,
// flattened into rows (measurements into a table of their own columns, every other section into a
// generic table of section, organisation, key and the record's fields as jsonb), go through
// PostgreSQL's own `COPY ... FROM STDIN` into a scratch table in one transaction: the floor for
// getting these rows into this server. The figure is import records/s ÷ COPY records/s (the aim is
// at least 0.5). Records are every record of the batch, all sections.
//
// Every import and every COPY is a fresh Node process, so its peak memory (the kernel's RSS
// high-water mark) is its own; both run on the embedded PostgreSQL `pnpm start` runs (durable
// settings) and on the external PostgreSQL of --database-url, storages and the import/COPY order
// alternating round by round so both see the same machine.
//
// --profile <data set> instead imports that data set once on each storage with every SQL statement
// timed (by phase and kind) and a CPU profile of the import alone (saved, and summarised by function
// and by package), to show where its time goes.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench:public-import`,
    description:
      "Imports each published data set in full as a publisher's first start does, beside PostgreSQL's COPY of the same\nrows, on the embedded and an external PostgreSQL: records per second, the ratio and peak memory; --profile times\none data set's SQL and profiles its CPU.",
    options: {
      rounds: {
        type: 'string',
        default: '2',
        value: '<n>',
        description: 'rounds, storages and import/COPY order alternating',
      },
      'database-url': {
        type: 'string',
        value: '<url>',
        description:
          'the external PostgreSQL, beside the embedded one (default: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test)',
      },
      data: {
        type: 'string',
        value: '<dir>',
        description:
          'the published data sets (default: CROSSGOV_PUBLIC_DATA, else ../shared/data/public)',
      },
      profile: {
        type: 'string',
        value: '<source>',
        description: "one data set's import timed by SQL statement and CPU-profiled instead",
      },
      child: { type: 'string', internal: true, description: 'what a child process runs' },
      source: { type: 'string', internal: true, description: "a child's data set" },
      storage: { type: 'string', internal: true, description: "a child's storage" },
      scope: { type: 'string', internal: true, description: "a child's schema" },
      trace: { type: 'string', internal: true, description: "a child's trace file" },
    },
    examples: [
      `${PNPM} bench:public-import`,
      `${PNPM} bench:public-import -- --profile scotland-lgbf`,
    ],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
await import('@crossgov/schema/production');
const { importRead, openOrganisationDatabase } = await import('@crossgov/organisation');
const { SOURCES, publicDataDir } = await import('@crossgov/organisation/sources');
const { findPublisher, organisationsOf } = await import('@crossgov/schema');
const { Scope } = await import('@crossgov/schema/auth');
const { sql } = await import('drizzle-orm');
const { default: pg } = await import('pg');
const { from: copyFrom } = await import('pg-copy-streams');
const { ROOT } = await import('../src/processes.ts');
const { readPublicGovernment } = await import('../src/public-government.ts');
const { benchDatabase } = await import('./database.ts');
const { readScriptEnv } = await import('../src/env.ts');
const env = readScriptEnv();
const externalUrl = values['database-url'] ?? env.BENCH_DATABASE_URL;
const TODAY = '2026-11-21';
const dataDir = values.data
  ? resolve(values.data)
  : publicDataDir({ CROSSGOV_PUBLIC_DATA: env.CROSSGOV_PUBLIC_DATA });

const MiB = (bytes: number) => Math.round(bytes / 1024 / 1024);
const round2 = (n: number) => Number(n.toFixed(2));

interface ChildResult {
  what: 'import' | 'copy';
  storage: string;
  source: string;
  /** Every record of the batch, all sections. */
  records: number;
  sections: Record<string, number>;
  readMs: number;
  seconds: number;
  recordsPerSecond: number;
  /** RSS once the data set is read, before the import or COPY. */
  rssBeforeMiB: number;
  /** Highest RSS sampled (every 5 ms and at each progress report) during the import or COPY. */
  peakRssMiB: number;
  /** The kernel's high-water mark for the whole process (reading included). */
  maxRssMiB: number;
  /** The import's phases, seconds: checking every record; writing; the import's record and COMMIT. */
  phases?: { validating: number; writing: number; committing: number };
  /** SQL statements by phase and kind: count, wall ms (sent to answered), parameters. With --profile. */
  statements?: { key: string; count: number; ms: number; params: number }[];
  /** Where the CPU profile of the import was saved, and when each phase began and ended in it (ms from its start). With --profile. */
  cpuProfile?: { file: string; phases: Record<string, [number, number]> };
}

// ---------------------------------------------------------------------------------------------
// A child: read one data set, then import it or COPY it.

function readSource(id: SourceId): { read: SourceRead; readMs: number } {
  const source = SOURCES[id];
  const folder = join(dataDir, id);
  const files = source
    .files(folder)
    .map((name) => ({ name, bytes: readFileSync(join(folder, name)) }));
  const started = performance.now();
  const read = source.read(files, { today: TODAY });
  const readMs = Math.round(performance.now() - started);
  if (read.batch.problems.length > 0)
    throw new Error(`${id}: ${read.batch.problems.length} records break a rule`);
  return { read, readMs };
}

function sectionsOf(read: SourceRead): Record<string, number> {
  const b = read.batch;
  return {
    indicators: b.indicators.length,
    measurements: b.measurements.length,
    targets: b.targets.length,
    milestoneReturns: b.milestoneReturns.length,
    confidenceAssessments: b.confidenceAssessments.length,
    services: b.services?.length ?? 0,
    programmes: b.programmes?.length ?? 0,
    milestones: b.milestones?.length ?? 0,
    programmeReturns: b.programmeReturns?.length ?? 0,
  };
}

/** Samples RSS every 5 ms (and whenever called) until stopped. */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 5);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return MiB(peak);
    },
  };
}

/** Every statement node-postgres sends, timed from sent to answered, keyed by the import's phase and the statement's kind. */
function traceStatements(phase: () => string) {
  const stats = new Map<string, { key: string; count: number; ms: number; params: number }>();
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    const params = (
      typeof first === 'object' && first?.values
        ? first.values
        : Array.isArray(args[1])
          ? (args[1] as unknown[])
          : []
    ).length;
    const key = `${phase()}: ${statementKind(text)}`;
    const started = performance.now();
    const done = () => {
      const s = stats.get(key) ?? { key, count: 0, ms: 0, params: 0 };
      s.count += 1;
      s.ms += performance.now() - started;
      s.params += params;
      stats.set(key, s);
    };
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (...answer: unknown[]) => {
        done();
        return (last as (...a: unknown[]) => unknown)(...answer);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(done, done);
    return result;
  };
  return () =>
    [...stats.values()].map((s) => ({ ...s, ms: Math.round(s.ms) })).sort((a, b) => b.ms - a.ms);
}

/** "insert into measurements (on conflict)", "select from indicators", "update milestones", "begin"… */
function statementKind(text: string): string {
  const t = text.slice(0, 400).replace(/\s+/g, ' ').trim().toLowerCase().replace(/"/g, '');
  const conflict = text.includes('on conflict') ? ' (on conflict)' : '';
  let m: RegExpMatchArray | null;
  if ((m = /^insert into (\S+)/.exec(t))) return `insert into ${m[1]}${conflict}`;
  if ((m = /^delete from (\S+)/.exec(t))) return `delete from ${m[1]}`;
  if ((m = /^update (\S+)/.exec(t))) return `update ${m[1]}`;
  if ((m = /^select .*? from (\S+)/.exec(t))) return `select from ${m[1]}`;
  if ((m = /^with .*? (insert into|update|delete from) (\S+)/.exec(t)))
    return `with … ${m[1]} ${m[2]}`;
  return t.split(' ').slice(0, 2).join(' ');
}

async function importChild(
  id: SourceId,
  storage: string,
  url: string,
  scope: RegistryEntry[],
  trace: string | undefined,
): Promise<ChildResult> {
  let phase = 'read';
  const statements = trace ? traceStatements(() => phase) : undefined;
  const { read, readMs } = readSource(id);
  const sections = sectionsOf(read);
  const records = Object.values(sections).reduce((a, b) => a + b, 0);
  const schema = `bench_public_${process.pid}`;
  phase = 'migrations';
  const database = await openOrganisationDatabase({ databaseUrl: url, pgSchema: schema });
  try {
    const publisher = SOURCES[id].publisher.id;
    // As seed/sources.ts imports: the publisher's own data team, serving its organisations.
    const principal: Principal = {
      subject: `seed:${id}`,
      organisation: null,
      publisher,
      scopes: new Set([Scope.READ_PUBLISHED, Scope.PUBLISH]),
      anonymous: false,
    };
    globalThis.gc?.();
    const rssBefore = process.memoryUsage.rss();
    const session = trace ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 500 });
      await session.post('Profiler.start');
    }
    const profiled = performance.now();
    const memory = rssSampler();
    const marks: Record<string, number> = {};
    const started = performance.now();
    phase = 'validating';
    const result = await importRead(
      database.db,
      principal,
      { serves: scope },
      read,
      [`${id} (the published files)`],
      {
        today: TODAY,
        onProgress: ({ phase: reported, done, total }) => {
          memory.sample();
          if (reported === 'validating' && done === total) {
            marks.validated ??= performance.now();
            phase = 'writing';
          }
          if (reported === 'committing') {
            marks.committing ??= performance.now();
            phase = 'committing';
          }
        },
      },
    );
    const ended = performance.now();
    const peakRssMiB = memory.stop();
    const validated = marks.validated ?? started;
    const committing = marks.committing ?? ended;
    let cpuProfile: ChildResult['cpuProfile'];
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      const file = join(trace!, `${id}-${storage}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      const at = (t: number) => Math.round(t - profiled);
      cpuProfile = {
        file,
        phases: {
          validating: [at(started), at(validated)],
          writing: [at(validated), at(committing)],
          'record and commit': [at(committing), at(ended)],
        },
      };
    }
    const written =
      result.indicators +
      result.measurements +
      result.targets +
      result.milestoneReturns +
      result.confidenceAssessments +
      result.services +
      result.programmes +
      result.milestones +
      result.programmeReturns;
    if (written !== records)
      throw new Error(`${id}: the import wrote ${written} of ${records} records`);
    const seconds = (ended - started) / 1000;
    return {
      what: 'import',
      storage,
      source: id,
      records,
      sections,
      readMs,
      seconds: round2(seconds),
      recordsPerSecond: Math.round(records / seconds),
      rssBeforeMiB: MiB(rssBefore),
      peakRssMiB,
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      phases: {
        validating: round2((validated - started) / 1000),
        writing: round2((committing - validated) / 1000),
        committing: round2((ended - committing) / 1000),
      },
      ...(statements && { statements: statements() }),
      ...(cpuProfile && { cpuProfile }),
    };
  } finally {
    await database.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    await database.close();
  }
}

/** One field of a COPY text-format line. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  return text.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** The batch's records as COPY lines, 1,000 to a chunk: measurements as their own columns, every other record as section, organisation, key and its fields. */
function* copyLines(read: SourceRead, table: 'measurements' | 'records'): Generator<string> {
  const b = read.batch;
  let lines: string[] = [];
  const flush = function* () {
    if (lines.length > 0) yield `${lines.join('\n')}\n`;
    lines = [];
  };
  if (table === 'measurements') {
    for (const m of b.measurements) {
      lines.push(
        [
          m.organisation,
          m.indicatorCode,
          m.serviceId,
          m.department,
          m.period,
          m.value,
          m.numerator,
          m.denominator,
          m.publishedOn,
        ]
          .map(cell)
          .join('\t'),
      );
      if (lines.length === 1000) yield* flush();
    }
    yield* flush();
    return;
  }
  const others: [string, readonly object[] | undefined, string][] = [
    ['indicators', b.indicators, 'code'],
    ['targets', b.targets, 'indicatorCode'],
    ['milestoneReturns', b.milestoneReturns, 'milestoneId'],
    ['confidenceAssessments', b.confidenceAssessments, 'programmeId'],
    ['services', b.services, 'id'],
    ['programmes', b.programmes, 'id'],
    ['milestones', b.milestones, 'id'],
    ['programmeReturns', b.programmeReturns, 'programmeId'],
  ];
  for (const [section, records, keyField] of others) {
    for (const record of records ?? []) {
      const { organisation, row: _row, ...fields } = record as Record<string, unknown>;
      lines.push(
        [section, organisation, fields[keyField], JSON.stringify(fields)].map(cell).join('\t'),
      );
      if (lines.length === 1000) yield* flush();
    }
  }
  yield* flush();
}

async function copyChild(id: SourceId, storage: string, url: string): Promise<ChildResult> {
  const { read, readMs } = readSource(id);
  const sections = sectionsOf(read);
  const records = Object.values(sections).reduce((a, b) => a + b, 0);
  const schema = `bench_copy_${process.pid}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path = ${schema}`);
    await client.query(`CREATE TABLE scratch_measurements (organisation text, indicator text, service text, department text, period text,
      value double precision, numerator double precision, denominator double precision, published_on date)`);
    await client.query(
      'CREATE TABLE scratch_records (section text, organisation text, key text, fields jsonb)',
    );
    globalThis.gc?.();
    const rssBefore = process.memoryUsage.rss();
    const memory = rssSampler();
    const started = performance.now();
    await client.query('BEGIN');
    let copied = 0;
    for (const table of ['measurements', 'records'] as const) {
      const stream = client.query(copyFrom(`COPY scratch_${table} FROM STDIN`));
      await pipeline(Readable.from(copyLines(read, table)), stream);
      copied += stream.rowCount;
    }
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    const peakRssMiB = memory.stop();
    if (copied !== records) throw new Error(`${id}: COPY wrote ${copied} of ${records} rows`);
    return {
      what: 'copy',
      storage,
      source: id,
      records,
      sections,
      readMs,
      seconds: round2(seconds),
      recordsPerSecond: Math.round(records / seconds),
      rssBeforeMiB: MiB(rssBefore),
      peakRssMiB,
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// A CPU profile, summarised.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Where a frame's code lives: a package under node_modules, a file of this project, or V8's own (GC, idle, program). */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName || '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [a, b] = url.slice(modules + 'node_modules/'.length).split('/');
    return a!.startsWith('@') ? `${a}/${b}` : a!;
  }
  if (url.startsWith('node:')) return 'node';
  const root = `file://${ROOT}`;
  return url.startsWith(root) ? url.slice(root.length) : url;
}

function summariseProfile(
  { file, phases }: NonNullable<ChildResult['cpuProfile']>,
  top = 12,
): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const bySelf = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const inclusive = new Map<string, number>();
  // tsx's transpiled project files have no useful line numbers; a package's are its built file's.
  const name = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${packageOf(n.callFrame.url, '')}${n.callFrame.url.includes('node_modules') ? `:${n.callFrame.lineNumber + 1}` : ''}`;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const pkg = packageOf(n.callFrame.url, n.callFrame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    bySelf.set(name(n), (bySelf.get(name(n)) ?? 0) + us);
    // Inclusive time of this project's own functions: each counted once per sample however deep it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      if (
        !frame.callFrame.url.startsWith(`file://${ROOT}`) ||
        frame.callFrame.url.includes('node_modules')
      )
        continue;
      const key = name(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const ms = (us: number, of = total) =>
    `${Math.round(us / 1000)} ms (${((100 * us) / of).toFixed(1)}%)`;
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${ms(us)}  ${k}`);
  // Each phase's samples, by package: how much of it is waiting on PostgreSQL (idle), and whose CPU the rest is.
  const perPhase: string[] = [];
  for (const [phase, [from, to]] of Object.entries(phases)) {
    const packages = new Map<string, number>();
    let clock = 0;
    let sum = 0;
    profile.samples.forEach((id, i) => {
      clock += profile.timeDeltas[i] ?? 0;
      const t = clock / 1000;
      if (t < from || t >= to) return;
      const n = byId.get(id)!;
      const pkg = packageOf(n.callFrame.url, n.callFrame.functionName);
      const us = profile.timeDeltas[i] ?? 0;
      packages.set(pkg, (packages.get(pkg) ?? 0) + us);
      sum += us;
    });
    const shown = [...packages]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, us]) => `${k} ${ms(us, sum)}`);
    perPhase.push(`  ${phase}, ${Math.round(sum / 1000)} ms: ${shown.join(', ')}`);
  }
  return [
    `CPU profile of the import, ${Math.round(total / 1000)} ms sampled (${file})`,
    'by phase (self time by package; (idle) is waiting on PostgreSQL):',
    ...perPhase,
    'self time by package:',
    ...list(byPackage),
    'self time by function:',
    ...list(bySelf),
    "inclusive time, this project's functions:",
    ...list(inclusive),
  ];
}

// ---------------------------------------------------------------------------------------------
// The run.

async function runChild(args: string[]): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...args, '--data', dataDir],
    {
      cwd: ROOT,
      maxBuffer: 1 << 26,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
}

async function serverSettings(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const show = async (name: string) =>
      ((await client.query(`SHOW ${name}`)).rows[0] as Record<string, string>)[name];
    return `PostgreSQL ${await show('server_version')}, fsync ${await show('fsync')}, synchronous_commit ${await show('synchronous_commit')}, shared_buffers ${await show('shared_buffers')}`;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'crossgov-bench-public-'));
  const started = performance.now();
  // The registry of the published data sets says which organisations each publisher serves.
  const { registry } = readPublicGovernment(dataDir, { today: TODAY });
  const scopes = new Map<SourceId, string>();
  for (const source of Object.values(SOURCES)) {
    const file = join(folder, `${source.id}.scope.json`);
    writeFileSync(
      file,
      JSON.stringify(organisationsOf(registry, findPublisher(registry, source.publisher.id))),
    );
    scopes.set(source.id, file);
  }
  const embedded = await benchDatabase(undefined);
  const storages = { embedded: embedded.url, postgres: externalUrl };
  try {
    console.log(
      `# pnpm bench:public-import, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: the published data sets of ${dataDir}, read and imported in full`,
    );
    console.log(
      `# machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${MiB(totalmem())} MiB, Node ${process.version}, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    for (const [storage, url] of Object.entries(storages))
      console.log(`# ${storage}: ${await serverSettings(url)}`);
    console.log('');

    if (values.profile) {
      const id = values.profile as SourceId;
      if (!SOURCES[id])
        throw new Error(
          `--profile: "${id}" is not a data set (known: ${Object.keys(SOURCES).join(', ')})`,
        );
      const dir = join(tmpdir(), 'crossgov-public-import-profiles');
      mkdirSync(dir, { recursive: true });
      for (const [storage, url] of Object.entries(storages)) {
        const r = await runChild([
          '--child',
          'import',
          '--source',
          id,
          '--storage',
          storage,
          '--database-url',
          url,
          '--scope',
          scopes.get(id)!,
          '--trace',
          dir,
        ]);
        console.log(
          `## ${id} on ${storage}: ${r.records.toLocaleString('en-GB')} records in ${r.seconds} s (${r.recordsPerSecond.toLocaleString('en-GB')}/s), read ${r.readMs} ms`,
        );
        console.log(
          `phases: validating ${r.phases!.validating} s, writing ${r.phases!.writing} s, record and commit ${r.phases!.committing} s`,
        );
        console.log('SQL statements (phase: kind — count, wall ms, parameters):');
        for (const s of r
          .statements!.filter((s) => !s.key.startsWith('migrations') && !s.key.startsWith('read'))
          .slice(0, 20)) {
          console.log(`  ${s.key} — ${s.count}, ${s.ms} ms, ${s.params.toLocaleString('en-GB')}`);
        }
        console.log(summariseProfile(r.cpuProfile!).join('\n'));
        console.log('');
      }
      return;
    }

    console.log(
      '| storage | round | data set | run | records | read ms | seconds | records/s | RSS before MiB | peak RSS MiB | process max RSS MiB | validate / write / commit s |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    const results: ChildResult[] = [];
    for (let round = 1; round <= Number(values.rounds); round += 1) {
      const order = round % 2 === 1 ? Object.entries(storages) : Object.entries(storages).reverse();
      for (const [storage, url] of order) {
        for (const source of Object.values(SOURCES)) {
          const runs =
            round % 2 === 1 ? (['import', 'copy'] as const) : (['copy', 'import'] as const);
          for (const what of runs) {
            const r = await runChild([
              '--child',
              what,
              '--source',
              source.id,
              '--storage',
              storage,
              '--database-url',
              url,
              '--scope',
              scopes.get(source.id)!,
            ]);
            results.push(r);
            const phases = r.phases
              ? `${r.phases.validating} / ${r.phases.writing} / ${r.phases.committing}`
              : '';
            console.log(
              `| ${storage} | ${round} | ${source.id} | ${what === 'copy' ? 'COPY' : 'import'} | ${r.records.toLocaleString('en-GB')} | ${r.readMs} | ${r.seconds} | ${r.recordsPerSecond.toLocaleString('en-GB')} | ${r.rssBeforeMiB} | ${r.peakRssMiB} | ${r.maxRssMiB} | ${phases} |`,
            );
          }
        }
      }
    }

    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const storage of Object.keys(storages)) {
      console.log(`\n### ${storage}: means over ${values.rounds} rounds\n`);
      console.log(
        '| data set | records | read ms | import s | records/s | COPY records/s | ratio | peak RSS MiB (import process) | peak RSS MiB (COPY process) |',
      );
      console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
      for (const source of Object.values(SOURCES)) {
        const of = (what: ChildResult['what']) =>
          results.filter((r) => r.storage === storage && r.source === source.id && r.what === what);
        const imports = of('import');
        const copies = of('copy');
        const importRate = mean(imports.map((r) => r.recordsPerSecond));
        const copyRate = mean(copies.map((r) => r.recordsPerSecond));
        console.log(
          `| ${source.id} | ${imports[0]!.records.toLocaleString('en-GB')} | ${Math.round(mean([...imports, ...copies].map((r) => r.readMs))).toLocaleString('en-GB')} | ${mean(imports.map((r) => r.seconds)).toFixed(2)} | ${Math.round(importRate).toLocaleString('en-GB')} | ${Math.round(copyRate).toLocaleString('en-GB')} | ${(importRate / copyRate).toFixed(3)} | ${Math.max(...imports.map((r) => r.maxRssMiB))} | ${Math.max(...copies.map((r) => r.maxRssMiB))} |`,
        );
      }
    }
    console.log(
      `\nwhole run ${Math.round((performance.now() - started) / 1000)} s, load average at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await embedded.stop();
  }
}

if (values.child) {
  const id = values.source as SourceId;
  const url = externalUrl;
  const result =
    values.child === 'copy'
      ? await copyChild(id, values.storage!, url)
      : await importChild(
          id,
          values.storage!,
          url,
          JSON.parse(readFileSync(values.scope!, 'utf8')) as RegistryEntry[],
          values.trace,
        );
  console.log(JSON.stringify(result));
} else {
  await main();
}
