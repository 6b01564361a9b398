import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNPM, defineCommand, readCommand } from './cli.ts';
import { ROOT } from './processes.ts';

// pnpm db:generate: drizzle-kit migrations for every subgraph that owns tables.
//
// drizzle-kit writes foreign keys as REFERENCES "public"."table". Each subgraph's tables live in
// its own PostgreSQL schema (set by the connection's search_path) so that subgraphs sharing one
// server cannot see each other; a "public" qualifier would point every subgraph at the same,
// missing, tables. The qualifier is removed after generation, before the migration is committed.

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} db:generate`,
    description:
      'Writes drizzle-kit migrations for every subgraph that owns tables (directory, organisation) from its db/schema.ts,\n' +
      "into its drizzle/ folder, each foreign key unqualified so that it points into the subgraph's own PostgreSQL schema.",
    options: {
      name: {
        type: 'string',
        value: '<name>',
        description: "the migration's name (default: drizzle-kit's)",
      },
      custom: { type: 'boolean', description: 'an empty migration to write SQL into by hand' },
    },
    examples: [`${PNPM} db:generate`, `${PNPM} db:generate -- --name report_card_text`],
  }),
);
const passed = [
  ...(values.name ? ['--name', values.name] : []),
  ...(values.custom ? ['--custom'] : []),
];

for (const subgraph of ['directory', 'organisation']) {
  const dir = join(ROOT, 'subgraphs', subgraph);
  execFileSync('npx', ['drizzle-kit', 'generate', ...passed], { cwd: dir, stdio: 'inherit' });
  for (const file of readdirSync(join(dir, 'drizzle')).filter((f) => f.endsWith('.sql'))) {
    const path = join(dir, 'drizzle', file);
    const sql = readFileSync(path, 'utf8');
    const unqualified = sql.replaceAll('REFERENCES "public".', 'REFERENCES ');
    if (unqualified !== sql) writeFileSync(path, unqualified);
  }
}
