import { fileURLToPath } from 'node:url';
import { GATEWAY_LIMITS, limitsEnv, limitsOf } from '@crossgov/schema/server';
import { commonEnv, parseEnv, port } from '@crossgov/schema/env';
import { z } from 'zod';
import { DEFAULT_IMPORT_DEADLINE_MS } from './routes/imports.ts';

const DEFAULT_SUPERGRAPH = fileURLToPath(
  new URL('../../schema/supergraph.graphql', import.meta.url),
);

const limitsSchema = z.object(limitsEnv(GATEWAY_LIMITS));

export const envSchema = z.object({
  ...commonEnv,
  ...limitsSchema.shape,
  PORT: port.default(4000),
  SUPERGRAPH_PATH: z.string().default(DEFAULT_SUPERGRAPH),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** A whole request's deadline; past it the answer is 503 with Retry-After, never partial. */
  REQUEST_DEADLINE_MS: z.coerce.number().int().positive().default(10_000),
  /** The most memory the directory's last good answers take (docs/architecture.md, "Resilience"). */
  DIRECTORY_STALE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  /** Calls in 10 s before the breaker in front of the directory may open (over half failed). */
  DIRECTORY_BREAKER_MIN_CALLS: z.coerce.number().int().positive().default(3),
  /** How long the open breaker waits before it tries the directory again. */
  DIRECTORY_BREAKER_RESET_MS: z.coerce.number().int().positive().default(5000),
  /** Where callers reach the gateway, for absolute links (/facts `next`); unset: the address it listens on. */
  PUBLIC_URL: z.string().url().optional(),
  /** How long a file import may take, upload to answer, before it is cancelled and rolled back. */
  IMPORT_DEADLINE_MS: z.coerce.number().int().positive().default(DEFAULT_IMPORT_DEADLINE_MS),
  /**
   * Read by @apollo/gateway itself as it is built (no constructor option): true or 1 sends Apollo no
   * anonymous usage metrics. Checked here so that a misspelt value is refused rather than read as on.
   * @default true (schema/src/production.ts)
   */
  APOLLO_TELEMETRY_DISABLED: z.enum(['true', '1', 'false', '0']).default('true'),
});

/** The only place the gateway reads process.env. */
export const readEnv = (source: NodeJS.ProcessEnv = process.env) =>
  parseEnv(envSchema, 'gateway', source);

/** The request limits the environment sets (QUERY_MAX_*, GRAPHQL_MAX_BODY_BYTES); `createGateway`'s own option wins. */
export const readLimits = (source: NodeJS.ProcessEnv = process.env) =>
  limitsOf(parseEnv(limitsSchema, 'gateway', source));
