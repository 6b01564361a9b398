import { commonEnv, parseEnv, port } from '@crossgov/schema';
import { z } from 'zod';

const envSchema = z.object({ ...commonEnv, PORT: port.optional(), REGISTRY_PATH: z.string().optional() });

/** The only place insights reads process.env. */
export const readEnv = (source: NodeJS.ProcessEnv = process.env) => parseEnv(envSchema, 'insights', source);
