import { commonEnv, databaseEnv, parseEnv, port } from '@crossgov/schema';
import { z } from 'zod';

const envSchema = z.object({ ...commonEnv, ...databaseEnv, PORT: port.optional() });

/** The only place the directory reads process.env. */
export const readEnv = (source: NodeJS.ProcessEnv = process.env) => parseEnv(envSchema, 'directory', source);
