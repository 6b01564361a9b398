import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadRegistry } from '@crossgov/schema';
import { breakingChanges } from './api-diff.ts';
import { composeRegistry } from './subgraphs.ts';

// pnpm compose            rebuild every subgraph's SDL from code and write the supergraph
// pnpm compose --check    fail when the checked-in files are stale (CI)
// pnpm compose --accept-breaking "why"   write a supergraph that breaks existing queries, on purpose

const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    registry: { type: 'string' },
    out: { type: 'string', default: SCHEMA_DIR },
    'accept-breaking': { type: 'string' },
  },
});

const registry = loadRegistry(values.registry);
const composed = await composeRegistry(registry);
const out = values.out!;
const files: Record<string, string> = { 'supergraph.graphql': composed.supergraphSdl };
for (const [name, sdl] of Object.entries(composed.subgraphSdl)) files[join('sdl', `${name}.graphql`)] = `${sdl}\n`;

const supergraphPath = join(out, 'supergraph.graphql');
const previous = existsSync(supergraphPath) ? readFileSync(supergraphPath, 'utf8') : undefined;

if (values.check) {
  const stale = Object.entries(files).filter(([file, text]) => !existsSync(join(out, file)) || readFileSync(join(out, file), 'utf8') !== text);
  if (stale.length > 0) {
    console.error(`The checked-in schema is stale; run \`pnpm compose\` and commit:\n${stale.map(([f]) => `  schema/${f}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`supergraph is up to date (${registry.organisations.length} organisations + directory + insights)`);
  process.exit(0);
}

if (previous) {
  const breaking = await breakingChanges(previous, composed.supergraphSdl);
  if (breaking.length > 0 && !values['accept-breaking']) {
    console.error(
      `This change breaks the published API; existing client queries would fail:\n${breaking.map((c) => `  ${c.message}`).join('\n')}\n` +
        'If that is intended, run again with --accept-breaking "<why>" and say so in the commit message.',
    );
    process.exit(1);
  }
  if (breaking.length > 0) console.warn(`Accepted ${breaking.length} breaking change(s): ${values['accept-breaking']}`);
}

mkdirSync(join(out, 'sdl'), { recursive: true });
for (const [file, text] of Object.entries(files)) writeFileSync(join(out, file), text);
console.log(`wrote ${supergraphPath} (${registry.organisations.length} organisations + directory + insights)`);
