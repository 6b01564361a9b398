import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.ts';

// pnpm db:generate: drizzle-kit migrations for every subgraph that owns tables.
//
// drizzle-kit writes foreign keys as REFERENCES "public"."table". Each subgraph's tables live in
// its own PostgreSQL schema (set by the connection's search_path) so that subgraphs sharing one
// server cannot see each other; a "public" qualifier would point every subgraph at the same,
// missing, tables. The qualifier is removed after generation, before the migration is committed.

for (const subgraph of ['directory', 'organisation']) {
  const dir = join(ROOT, 'subgraphs', subgraph);
  execFileSync('npx', ['drizzle-kit', 'generate', ...process.argv.slice(2).filter((a) => a !== '--')], { cwd: dir, stdio: 'inherit' });
  for (const file of readdirSync(join(dir, 'drizzle')).filter((f) => f.endsWith('.sql'))) {
    const path = join(dir, 'drizzle', file);
    const sql = readFileSync(path, 'utf8');
    const unqualified = sql.replaceAll('REFERENCES "public".', 'REFERENCES ');
    if (unqualified !== sql) writeFileSync(path, unqualified);
  }
}
