import { commonEnv, databaseEnv, parseEnv, port } from '@crossgov/schema';
import { z } from 'zod';

const envSchema = z.object({
  ...commonEnv,
  ...databaseEnv,
  ORGANISATION: z.string().min(1, 'ORGANISATION names the registry entry this process serves (e.g. synergy)'),
  PORT: port.optional(),
});

/** The only place this subgraph reads process.env. */
export const readEnv = (source: NodeJS.ProcessEnv = process.env) => parseEnv(envSchema, 'organisation subgraph', source);
