import { fileURLToPath } from 'node:url';
import { commonEnv, parseEnv, port } from '@crossgov/schema';
import { z } from 'zod';

const DEFAULT_SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

const envSchema = z.object({
  ...commonEnv,
  PORT: port.default(4000),
  SUPERGRAPH_PATH: z.string().default(DEFAULT_SUPERGRAPH),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
});

/** The only place the gateway reads process.env. */
export const readEnv = (source: NodeJS.ProcessEnv = process.env) => parseEnv(envSchema, 'gateway', source);
