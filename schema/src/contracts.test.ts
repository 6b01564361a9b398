import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The package's entry points (package.json "exports"): "." is the contracts (GraphQL types, the
// registry, errors, periods and units), which a script or a test reading an enum imports; servers,
// auth and configuration come from their own subpaths, so importing a contract loads no web server,
// no JWT library and no signal handling.
const schemaDir = dirname(dirname(fileURLToPath(import.meta.url)));
const scratch = mkdtempSync(join(tmpdir(), 'crossgov-loads-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Every module importing `specifier` loads, from a fresh Node process: ES modules as a resolve hook
 * sees them, CommonJS ones (Express is one) from the CommonJS loader's cache.
 */
function modulesLoadedBy(specifier: string): string[] {
  const name = specifier.replace(/\W+/g, '-');
  const log = join(scratch, `${name}.log`);
  const hooks = join(scratch, `${name}.hooks.mjs`);
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`,
  );
  const register = join(scratch, `${name}.register.mjs`);
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  writeFileSync(log, '');
  const program = `import { createRequire } from 'node:module';\nawait import(${JSON.stringify(specifier)});\nprocess.stdout.write(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      pathToFileURL(register).href,
      '--input-type=module',
      '-e',
      program,
    ],
    { cwd: schemaDir, encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`importing ${specifier} failed: ${child.stderr}`);
  const commonJs = JSON.parse(child.stdout) as string[];
  const esm = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((url) => (url.startsWith('file:') ? fileURLToPath(url) : url));
  return [...new Set([...esm, ...commonJs])];
}

const loads = (modules: string[], pkg: string) =>
  modules.some((path) => path.includes(`/node_modules/${pkg}/`));

describe('the contracts entry point of @crossgov/schema', () => {
  it('loads no web server, JWT library, logger, metrics, tracing or signal handling', () => {
    const modules = modulesLoadedBy('@crossgov/schema');
    // It does load what a contract is made of, so the hooks saw the import.
    expect(loads(modules, 'type-graphql')).toBe(true);
    expect(loads(modules, 'graphql')).toBe(true);
    for (const pkg of [
      'express',
      'cors',
      'jose',
      'pino',
      'prom-client',
      '@opentelemetry/sdk-trace',
      '@as-integrations/express5',
      'pg',
      'drizzle-orm',
    ]) {
      expect(loads(modules, pkg), pkg).toBe(false);
    }
    expect(
      modules.filter((path) => /schema\/src\/(env|auth|http|admission|observability\/)/.test(path)),
    ).toEqual([]);
  });

  it('leaves Express to the server entry and jose to the auth entry, which do load them', () => {
    expect(loads(modulesLoadedBy('@crossgov/schema/server'), 'express')).toBe(true);
    expect(loads(modulesLoadedBy('@crossgov/schema/auth'), 'jose')).toBe(true);
  });
});
