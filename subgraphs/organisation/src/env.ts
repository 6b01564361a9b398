import { SUBGRAPH_LIMITS, limitsEnv, limitsOf } from '@crossgov/schema/server';
import { commonEnv, databaseEnv, parseEnv, port } from '@crossgov/schema/env';
import { z } from 'zod';
import { DEFAULT_MAX_CSV_BYTES, DEFAULT_MAX_JSON_BYTES } from './imports/import.route.ts';
import { DEFAULT_MAX_PROBLEMS } from './problems.ts';
import { DEFAULT_CACHE_ENTRIES } from './cache.ts';

const limitsSchema = z.object(limitsEnv(SUBGRAPH_LIMITS));

export const envSchema = z
  .object({
    ...commonEnv,
    ...databaseEnv,
    ...limitsSchema.shape,
    /** The registry's publisher this process serves (e.g. nhs-england). */
    PUBLISHER: z.string().min(1).optional(),
    /** Or an organisation, meaning the publisher that serves it (e.g. synergy, its own). */
    ORGANISATION: z.string().min(1).optional(),
    PORT: port.optional(),
    /** The largest CSV and JSON file an import takes, and the problems a refusal lists (README "Importing a file"). */
    IMPORT_MAX_CSV_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_CSV_BYTES),
    IMPORT_MAX_JSON_BYTES: z.coerce.number().int().positive().default(DEFAULT_MAX_JSON_BYTES),
    IMPORT_MAX_PROBLEMS: z.coerce.number().int().positive().default(DEFAULT_MAX_PROBLEMS),
    /** Entries the judgement cache keeps (src/cache.ts), least recently used out first. */
    JUDGEMENT_CACHE_ENTRIES: z.coerce.number().int().positive().default(DEFAULT_CACHE_ENTRIES),
  })
  .refine((env) => Boolean(env.PUBLISHER) !== Boolean(env.ORGANISATION), {
    message:
      'set PUBLISHER to the registry publisher this process serves (e.g. nhs-england), or ORGANISATION to an organisation whose publisher it is (e.g. synergy); not both',
    path: ['PUBLISHER'],
  });

/** The only place this subgraph reads process.env. */
export const readEnv = (source: NodeJS.ProcessEnv = process.env) =>
  parseEnv(envSchema, 'organisation subgraph', source);

/** The request limits the environment sets (QUERY_MAX_*, GRAPHQL_MAX_BODY_BYTES); `createOrganisationServer`'s own option wins. */
export const readLimits = (source: NodeJS.ProcessEnv = process.env) =>
  limitsOf(parseEnv(limitsSchema, 'organisation subgraph', source));
