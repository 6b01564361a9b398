import { SUBGRAPH_LIMITS, limitsEnv, limitsOf } from '@crossgov/schema/server';
import { commonEnv, databaseEnv, parseEnv, port } from '@crossgov/schema/env';
import { z } from 'zod';

const limitsSchema = z.object(limitsEnv(SUBGRAPH_LIMITS));

export const envSchema = z.object({
  ...commonEnv,
  ...databaseEnv,
  ...limitsSchema.shape,
  PORT: port.optional(),
});

/** The only place the directory reads process.env. */
export const readEnv = (source: NodeJS.ProcessEnv = process.env) =>
  parseEnv(envSchema, 'directory', source);

/** The request limits the environment sets (QUERY_MAX_*, GRAPHQL_MAX_BODY_BYTES); `createDirectoryServer`'s own option wins. */
export const readLimits = (source: NodeJS.ProcessEnv = process.env) =>
  limitsOf(parseEnv(limitsSchema, 'directory', source));
