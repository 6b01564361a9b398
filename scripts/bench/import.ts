import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PNPM, defineCommand, readCommand } from '../src/cli.ts';

// pnpm bench:import [--rows 100000] [--rounds 2] [--database-url postgres://postgres@127.0.0.1:5432/test]
//
// Imports a generated CSV of `rows` measurements into HMRC (200 services) through the same
// functions the HTTP import route calls (read the CSV, check every row, write in one transaction),
// once as drafts and once as published, on the embedded PostgreSQL `pnpm start` runs (durable
// settings) and on the external PostgreSQL of --database-url. Each run is a fresh Node process, so
// its peak memory is its own; storages alternate round by round so both see the same machine.
// Reports rows per second and memory.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} bench:import`,
    description:
      'Imports a generated CSV of measurements into HMRC, as drafts and as published, on the embedded PostgreSQL and on an\nexternal one, each run a fresh process: rows per second and peak memory.',
    options: {
      rows: {
        type: 'string',
        default: '100000',
        value: '<n>',
        description: 'measurements in the generated file',
      },
      rounds: {
        type: 'string',
        default: '2',
        value: '<n>',
        description: 'rounds, the storages alternating',
      },
      'database-url': {
        type: 'string',
        value: '<url>',
        description:
          'the external PostgreSQL, beside the embedded one (default: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test)',
      },
      child: { type: 'string', internal: true, description: 'what a child process runs' },
      file: { type: 'string', internal: true, description: "a child's CSV file" },
    },
    examples: [`${PNPM} bench:import`, `${PNPM} bench:import -- --rows 10000 --rounds 1`],
  }),
);
// The benchmark's code is loaded once its command line is read, so --help and a typo answer at once.
await import('@crossgov/schema/production');
const { importBatch, openOrganisationDatabase, parseCsvImport, seedOrganisation } =
  await import('@crossgov/organisation');
const { findEntry, loadRegistry } = await import('@crossgov/schema');
const { Scope } = await import('@crossgov/schema/auth');
const { queryRows } = await import('@crossgov/schema/db');
const { sql } = await import('drizzle-orm');
const { generatedCsv } = await import('../src/import-fixtures.ts');
const { ROOT } = await import('../src/processes.ts');
const { benchDatabase } = await import('./database.ts');
const { readScriptEnv } = await import('../src/env.ts');
const env = readScriptEnv();
const externalUrl = values['database-url'] ?? env.BENCH_DATABASE_URL;
const rows = Number(values.rows);

interface Phase {
  mode: 'drafts' | 'published';
  seconds: number;
  rowsPerSecond: number;
  /** Highest resident set size seen while this phase ran, sampled every 5 ms, MiB. */
  peakRssMiB: number;
  peakHeapMiB: number;
}

interface ChildResult {
  storage: string;
  baselineRssMiB: number;
  phases: Phase[];
  /** The kernel's high-water mark for the whole process (seeding included), MiB. */
  maxRssMiB: number;
}

const MiB = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function child(storage: string, file: string): Promise<ChildResult> {
  const schema = `bench_import_${process.pid}`;
  const database = await openOrganisationDatabase({ databaseUrl: externalUrl, pgSchema: schema });
  try {
    const hmrc = findEntry(loadRegistry(), 'hmrc');
    await seedOrganisation(database.db, hmrc, { serviceCount: 200 });
    const csv = readFileSync(file);
    const owner = {
      subject: 'bench',
      organisation: 'hmrc',
      publisher: null,
      scopes: new Set([Scope.WRITE]),
      anonymous: false,
    };
    globalThis.gc?.();
    const baseline = process.memoryUsage();
    const phases: Phase[] = [];
    for (const mode of ['drafts', 'published'] as const) {
      let peakRss = 0;
      let peakHeap = 0;
      const sample = () => {
        const { rss, heapUsed } = process.memoryUsage();
        peakRss = Math.max(peakRss, rss);
        peakHeap = Math.max(peakHeap, heapUsed);
      };
      const timer = setInterval(sample, 5);
      const started = performance.now();
      const result = await importBatch(database.db, owner, hmrc, await parseCsvImport(csv), {
        publish: mode === 'published',
        today: '2026-11-21',
        onProgress: sample,
      });
      const seconds = (performance.now() - started) / 1000;
      clearInterval(timer);
      sample();
      if (result.measurements !== rows)
        throw new Error(`imported ${result.measurements} of ${rows}`);
      phases.push({
        mode,
        seconds: Number(seconds.toFixed(2)),
        rowsPerSecond: Math.round(rows / seconds),
        peakRssMiB: MiB(peakRss),
        peakHeapMiB: MiB(peakHeap),
      });
      globalThis.gc?.();
    }
    return {
      storage,
      baselineRssMiB: MiB(baseline.rss),
      phases,
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await database.db.execute(sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    await database.close();
  }
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'crossgov-bench-file-'));
  const embedded = await benchDatabase(undefined);
  const storages = { embedded: embedded.url, postgres: externalUrl };
  try {
    // The file is the same for every run: generated once from HMRC's seeded indicators and services.
    const probe = await openOrganisationDatabase({
      databaseUrl: embedded.url,
      pgSchema: `bench_probe_${process.pid}`,
    });
    await seedOrganisation(probe.db, findEntry(loadRegistry(), 'hmrc'), { serviceCount: 200 });
    const indicators = await queryRows<{ code: string; unit: string; frequency: string }>(
      probe.db,
      sql`SELECT code, unit, frequency FROM indicators ORDER BY position`,
    );
    const services = (
      await queryRows<{ id: string }>(probe.db, sql`SELECT id FROM services ORDER BY id`)
    ).map((s) => s.id);
    await probe.close();
    const file = join(folder, 'measurements.csv');
    const csv = generatedCsv({ indicators, services }, rows);
    writeFileSync(file, csv);
    console.log(
      `# pnpm bench:import, ${new Date().toISOString().slice(0, 10)}: ${rows.toLocaleString('en-GB')} measurements (${(csv.length / 1024 / 1024).toFixed(1)} MB CSV) into HMRC with 200 services`,
    );
    console.log(
      `# machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${MiB(totalmem())} MiB, Node ${process.version}\n`,
    );
    console.log(
      '| storage | round | mode | seconds | rows/s | peak RSS MiB | peak heap MiB | RSS before MiB | process max RSS MiB |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    const totals: Record<string, number[]> = {};
    for (let round = 1; round <= Number(values.rounds); round += 1) {
      for (const [storage, url] of Object.entries(storages)) {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [
            '--expose-gc',
            '--import',
            'tsx',
            fileURLToPath(import.meta.url),
            '--child',
            storage,
            '--file',
            file,
            '--rows',
            String(rows),
            '--database-url',
            url,
          ],
          {
            cwd: ROOT,
            maxBuffer: 1 << 24,
          },
        );
        const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
        for (const p of result.phases) {
          console.log(
            `| ${storage} | ${round} | ${p.mode} | ${p.seconds} | ${p.rowsPerSecond.toLocaleString('en-GB')} | ${p.peakRssMiB} | ${p.peakHeapMiB} | ${result.baselineRssMiB} | ${result.maxRssMiB} |`,
          );
          (totals[`${storage} ${p.mode}`] ??= []).push(p.rowsPerSecond);
        }
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const mode of ['drafts', 'published']) {
      const ratio = mean(totals[`embedded ${mode}`]!) / mean(totals[`postgres ${mode}`]!);
      console.log(
        `\nembedded / external PostgreSQL rows per second, ${mode}: ${ratio.toFixed(2)}x`,
      );
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await embedded.stop();
  }
}

if (values.child) {
  const result = await child(values.child, values.file!);
  console.log(JSON.stringify(result));
} else {
  await main();
}
