import { isCalendarDay } from '@crossgov/schema';
import { parseEnv } from '@crossgov/schema/env';
import { z } from 'zod';
import { devSecret } from './dev-secret.ts';

// The scripts' configuration, read in one place as each deployable reads its own (its env.ts): an
// entry point (pnpm start, token, run import, a benchmark) calls readScriptEnv() once and passes the
// values down. What a script sets for the processes it starts, those processes read themselves.

/** An empty value (`AUTH_SECRET= pnpm start`) means unset, as it did when the scripts read `||`. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

export const scriptEnvSchema = z.object({
  /**
   * The secret tokens are signed with (pnpm start, token, run import); unset: the development secret
   * `pnpm start` keeps under its data folder (authSecretOf). Its length is checked where it is used
   * (schema/src/auth.ts), as for every deployable.
   */
  AUTH_SECRET: unsetIfEmpty(z.string().optional()),
  /** pnpm start: an external PostgreSQL for every subgraph instead of the embedded one. */
  DATABASE_URL: unsetIfEmpty(z.string().optional()),
  /** pnpm run import: the gateway when --gateway is not given. @default http://127.0.0.1:4000 */
  CROSSGOV_GATEWAY: unsetIfEmpty(
    z
      .string()
      .regex(
        /^https?:\/\/[^/\s]+/,
        'must be an http:// or https:// URL, e.g. http://127.0.0.1:4000',
      )
      .optional(),
  ),
  /** pnpm run import: the bearer token when --token is not given; unset: a development token. */
  CROSSGOV_TOKEN: unsetIfEmpty(z.string().optional()),
  /** The published data sets (docs/public-data.md) the benchmarks and tests read. @default ../shared/data/public beside the project */
  CROSSGOV_PUBLIC_DATA: unsetIfEmpty(z.string().optional()),
  /** Node flags for each process `pnpm start --separate` starts, space-separated (--cpu-prof, --trace-warnings). */
  CG_NODE_FLAGS: z
    .string()
    .default('')
    .transform((flags) => flags.split(' ').filter(Boolean)),
  /** The Chromium the browser tests and bench:dashboard drive (Debian's: apt-get install chromium). */
  CHROMIUM_PATH: unsetIfEmpty(z.string().default('/usr/bin/chromium')),
  /** bench:import and bench:public-import: the external PostgreSQL when --database-url is not given. */
  BENCH_DATABASE_URL: unsetIfEmpty(z.string().default('postgres://postgres@127.0.0.1:5432/test')),
  /** bench:scale: also print each process's CPU while idle and per query, to find what burns it. */
  BENCH_DEBUG_IDLE: z
    .string()
    .optional()
    .transform((value) => Boolean(value)),
});

export type ScriptEnv = z.infer<typeof scriptEnvSchema>;

/** The only place the scripts read process.env. */
export const readScriptEnv = (source: NodeJS.ProcessEnv = process.env): ScriptEnv =>
  parseEnv(scriptEnvSchema, 'scripts', source);

/**
 * The whole graph in a process of its own (scripts/src/graph-process.ts), configured by the test or
 * benchmark that starts it; the deployables' own settings (admission, limits) it reads as they do.
 */
export const graphProcessEnvSchema = z.object({
  DATABASE_URL: z.string().min(1),
  /** Prefix of every PostgreSQL schema the graph makes, so several graphs share one database. */
  SCHEMA_PREFIX: z.string().min(1),
  AUTH_SECRET: unsetIfEmpty(z.string().optional()),
  /** Today's date for every service (YYYY-MM-DD), so answers that depend on it are fixed. @default the system date */
  TODAY: unsetIfEmpty(
    z.string().refine(isCalendarDay, 'must be a real day, YYYY-MM-DD').optional(),
  ),
  /** The gateway's whole-request deadline, as the gateway's own REQUEST_DEADLINE_MS. */
  REQUEST_DEADLINE_MS: unsetIfEmpty(z.coerce.number().int().positive().optional()),
});

/** The only place graph-process.ts reads process.env. */
export const readGraphProcessEnv = (source: NodeJS.ProcessEnv = process.env) =>
  parseEnv(graphProcessEnvSchema, 'graph process', source);

/**
 * The secret a script signs tokens with and hands the graph it starts: AUTH_SECRET, else the
 * development secret kept in `dataDir` (created on first use), so `pnpm start`, `pnpm token` and
 * `pnpm run import` agree without any setup.
 */
export const authSecretOf = (env: Pick<ScriptEnv, 'AUTH_SECRET'>, dataDir: string): string =>
  env.AUTH_SECRET ?? devSecret(dataDir);
