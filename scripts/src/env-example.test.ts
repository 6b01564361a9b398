import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './processes.ts';

// .env.example is the one list of what can be configured (issue 18, "Configuration read in one
// place per process"). Each process validates its environment against a zod schema in its env.ts;
// this reads every such schema's keys, the deployables' and the scripts', and holds the list to
// them both ways, so a variable added to a schema cannot go undocumented and one removed cannot
// linger in the example.

/** Every process's env.ts: the gateway, each subgraph (however many there are) and the scripts. */
const ENV_FILES = [
  'gateway/src/env.ts',
  ...readdirSync(join(ROOT, 'subgraphs'), { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(join(ROOT, 'subgraphs', entry.name, 'src/env.ts')),
    )
    .map((entry) => `subgraphs/${entry.name}/src/env.ts`),
  'scripts/src/env.ts',
];

type ObjectSchema = { shape: Record<string, unknown> };
const isObjectSchema = (value: unknown): value is ObjectSchema =>
  typeof value === 'object' &&
  value !== null &&
  'shape' in value &&
  typeof value.shape === 'object' &&
  'safeParse' in value;

/** The variables each env.ts's exported schemas accept, by file. */
const readBy = new Map<string, string[]>();
for (const file of ENV_FILES) {
  const module = (await import(pathToFileURL(join(ROOT, file)).href)) as Record<string, unknown>;
  readBy.set(
    file,
    Object.values(module)
      .filter(isObjectSchema)
      .flatMap((schema) => Object.keys(schema.shape)),
  );
}

/** Every variable .env.example shows, commented out or not: `# NAME=value`, `NAME=`. */
const documented = new Set(
  [
    ...readFileSync(join(ROOT, '.env.example'), 'utf8').matchAll(/^#?[ \t]*([A-Z][A-Z0-9_]*)=/gm),
  ].map((m) => m[1]!),
);

describe('.env.example', () => {
  it('has a schema to check from every process (each env.ts exports its own)', () => {
    expect(ENV_FILES.filter((file) => (readBy.get(file) ?? []).length === 0)).toEqual([]);
    expect(ENV_FILES).toEqual(
      expect.arrayContaining([
        'subgraphs/directory/src/env.ts',
        'subgraphs/insights/src/env.ts',
        'subgraphs/organisation/src/env.ts',
      ]),
    );
  });

  it('lists every variable an env schema reads', () => {
    const missing = [...readBy].flatMap(([file, names]) =>
      names.filter((name) => !documented.has(name)).map((name) => `${name} (read in ${file})`),
    );
    expect(missing, 'add these to .env.example with their default and meaning').toEqual([]);
  });

  it('lists no variable that no env schema reads', () => {
    const read = new Set([...readBy.values()].flat());
    expect(
      [...documented].filter((name) => !read.has(name)),
      'no process reads these: remove them from .env.example, or read them in an env.ts',
    ).toEqual([]);
  });
});
