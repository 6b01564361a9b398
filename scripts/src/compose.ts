import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNPM, defineCommand, readCommand } from './cli.ts';

// pnpm compose            rebuild every subgraph's SDL from code and write the supergraph
// pnpm compose --check    fail when the checked-in files are stale (CI)
// pnpm compose --accept-breaking "why"   write a supergraph that breaks existing queries, on purpose

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const { values } = readCommand(
  defineCommand({
    name: `${PNPM} compose`,
    description:
      "Builds every subgraph's SDL from code (no servers, no database) and composes them into the supergraph the gateway\n" +
      'reads, schema/supergraph.graphql, with each SDL in schema/sdl/. Refuses a change that would break existing client queries.',
    options: {
      check: {
        type: 'boolean',
        description: 'write nothing; exit 1 if the checked-in files are stale (CI)',
      },
      registry: {
        type: 'string',
        value: '<file>',
        default: 'schema/registry.json',
        description: 'the registry to compose',
      },
      out: {
        type: 'string',
        default: 'schema/',
        value: '<dir>',
        description: 'where to write supergraph.graphql and sdl/',
      },
      'accept-breaking': {
        type: 'string',
        value: '<why>',
        description: 'write a supergraph that breaks existing queries, on purpose, saying why',
      },
    },
    examples: [
      `${PNPM} compose`,
      `${PNPM} compose -- --check`,
      `${PNPM} compose -- --accept-breaking "organisation.code removed: unused since May"`,
    ],
    notes: 'Exit status: 0 written or up to date, 1 stale (--check) or breaking, 2 usage.',
  }),
);
const [{ HUB_SUBGRAPHS, loadRegistry }, { breakingChanges }, { composeRegistry }] =
  await Promise.all([
    import('@crossgov/schema'),
    import('./api-diff.ts'),
    import('./subgraphs.ts'),
  ]);

const registry = loadRegistry(resolve(ROOT, values.registry));
const composed = await composeRegistry(registry);
// Relative to the repository, as the defaults are.
const out = resolve(ROOT, values.out);
const files: Record<string, string> = { 'supergraph.graphql': composed.supergraphSdl };
for (const [name, sdl] of Object.entries(composed.subgraphSdl))
  files[join('sdl', `${name}.graphql`)] = `${sdl}\n`;

const supergraphPath = join(out, 'supergraph.graphql');
const previous = existsSync(supergraphPath) ? readFileSync(supergraphPath, 'utf8') : undefined;

if (values.check) {
  const stale = Object.entries(files).filter(
    ([file, text]) =>
      !existsSync(join(out, file)) || readFileSync(join(out, file), 'utf8') !== text,
  );
  if (stale.length > 0) {
    console.error(
      `The checked-in schema is stale; run \`pnpm compose\` and commit:\n${stale.map(([f]) => `  schema/${f}`).join('\n')}`,
    );
    process.exit(1);
  }
  console.log(
    `supergraph is up to date (${registry.organisations.length} organisations + ${HUB_SUBGRAPHS.join(' + ')})`,
  );
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
  if (breaking.length > 0)
    console.warn(`Accepted ${breaking.length} breaking change(s): ${values['accept-breaking']}`);
}

mkdirSync(join(out, 'sdl'), { recursive: true });
for (const [file, text] of Object.entries(files)) writeFileSync(join(out, file), text);
console.log(
  `wrote ${supergraphPath} (${registry.organisations.length} organisations + ${HUB_SUBGRAPHS.join(' + ')})`,
);
