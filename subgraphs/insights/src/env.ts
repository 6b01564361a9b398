import { SUBGRAPH_LIMITS, limitsEnv, limitsOf } from '@crossgov/schema/server';
import { commonEnv, parseEnv, port } from '@crossgov/schema/env';
import { z } from 'zod';

const limitsSchema = z.object(limitsEnv(SUBGRAPH_LIMITS));

export const envSchema = z.object({
  ...commonEnv,
  ...limitsSchema.shape,
  PORT: port.optional(),
  REGISTRY_PATH: z.string().optional(),
});

/** The only place insights reads process.env. */
export const readEnv = (source: NodeJS.ProcessEnv = process.env) =>
  parseEnv(envSchema, 'insights', source);

/** The request limits the environment sets (QUERY_MAX_*, GRAPHQL_MAX_BODY_BYTES); `createInsightsServer`'s own option wins. */
export const readLimits = (source: NodeJS.ProcessEnv = process.env) =>
  limitsOf(parseEnv(limitsSchema, 'insights', source));
