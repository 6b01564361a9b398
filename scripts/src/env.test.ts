import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devSecret } from './dev-secret.ts';
import { authSecretOf, readGraphProcessEnv, readScriptEnv } from './env.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'crossgov-env-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("the scripts' configuration", () => {
  it('signs with AUTH_SECRET when it is set, else with the development secret kept in the data folder', () => {
    const secret = 'a'.repeat(40);
    expect(authSecretOf(readScriptEnv({ AUTH_SECRET: secret }), dataDir)).toBe(secret);
    const kept = authSecretOf(readScriptEnv({}), dataDir);
    expect(kept).toBe(devSecret(dataDir));
    expect(kept).toHaveLength(96);
  });

  it('takes an empty value as unset, as `AUTH_SECRET= pnpm start` means', () => {
    expect(readScriptEnv({ AUTH_SECRET: '', CROSSGOV_TOKEN: '', CHROMIUM_PATH: '' })).toMatchObject(
      {
        AUTH_SECRET: undefined,
        CROSSGOV_TOKEN: undefined,
        CHROMIUM_PATH: '/usr/bin/chromium',
      },
    );
    expect(authSecretOf(readScriptEnv({ AUTH_SECRET: '' }), dataDir)).toBe(devSecret(dataDir));
  });

  it('reads the Node flags as a list, and a benchmark flag as on when it has any value', () => {
    expect(
      readScriptEnv({ CG_NODE_FLAGS: ' --cpu-prof  --trace-warnings ' }).CG_NODE_FLAGS,
    ).toEqual(['--cpu-prof', '--trace-warnings']);
    expect(readScriptEnv({}).CG_NODE_FLAGS).toEqual([]);
    expect(readScriptEnv({ BENCH_DEBUG_IDLE: '1' }).BENCH_DEBUG_IDLE).toBe(true);
    expect(readScriptEnv({}).BENCH_DEBUG_IDLE).toBe(false);
  });

  it('refuses a gateway that is not a URL, naming the variable', () => {
    expect(() => readScriptEnv({ CROSSGOV_GATEWAY: 'localhost:4000' })).toThrow(
      'scripts configuration is invalid:\n  CROSSGOV_GATEWAY: must be an http:// or https:// URL',
    );
    expect(
      readScriptEnv({ CROSSGOV_GATEWAY: 'https://crossgov.example.gov.uk/' }).CROSSGOV_GATEWAY,
    ).toBe('https://crossgov.example.gov.uk/');
  });

  it('refuses a graph process started without its database or schema prefix, or with a date that is not one, naming each', () => {
    expect(() => readGraphProcessEnv({ TODAY: '21/11/2026' })).toThrow(
      /DATABASE_URL[\s\S]*SCHEMA_PREFIX[\s\S]*TODAY: must be a real day, YYYY-MM-DD/,
    );
    // The shape alone is not enough: there is no 30 February.
    expect(() =>
      readGraphProcessEnv({
        DATABASE_URL: 'postgres://x',
        SCHEMA_PREFIX: 'p',
        TODAY: '2026-02-30',
      }),
    ).toThrow(/TODAY: must be a real day, YYYY-MM-DD/);
    const env = readGraphProcessEnv({
      DATABASE_URL: 'postgres://x',
      SCHEMA_PREFIX: 'p',
      REQUEST_DEADLINE_MS: '1500',
    });
    expect(env).toMatchObject({
      DATABASE_URL: 'postgres://x',
      SCHEMA_PREFIX: 'p',
      REQUEST_DEADLINE_MS: 1500,
    });
    expect(env.TODAY).toBeUndefined();
  });
});
