import { z } from 'zod';
import type { AdmissionSettings } from './admission.ts';

/** Settings every deployable shares; each env.ts extends these with its own. */
export const commonEnv = {
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('production'),
  /** HS256 secret every service verifies bearer tokens with; unset means anonymous reads only. */
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET needs at least 32 characters').optional(),
  /** The longest a token may be valid (exp - iat), in seconds: a leaked long-lived token is a standing key. */
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(90 * 24 * 3600),
  /** How far a token's clocks may disagree with this server's (issued "in the future", expired "just now"). */
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  ...admissionEnv(),
  /**
   * Base URL of an OpenTelemetry collector's OTLP/HTTP receiver (e.g. http://otel-collector:4318);
   * traces go to <url>/v1/traces. Unset: no tracing (README "Operations").
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(
        /^https?:\/\/[^/\s]+/,
        'must be an http:// or https:// URL, e.g. http://otel-collector:4318',
      )
      .optional(),
  ),
  /**
   * The share of requests traced, 0 to 1 (OpenTelemetry's parentbased_traceidratio sampler's
   * argument): decided where a trace starts, followed by every subgraph it reaches.
   */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** The service name on this process's spans. @default the deployable's (gateway, directory, insights, the publisher's id) */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
};

/** The token settings of a deployable's environment, as `createVerifier` takes them. */
export const authConfigOf = (env: {
  AUTH_SECRET?: string | undefined;
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: number;
  AUTH_CLOCK_SKEW_SECONDS: number;
}) => ({
  secret: env.AUTH_SECRET,
  maxLifetimeSeconds: env.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
  clockSkewSeconds: env.AUTH_CLOCK_SKEW_SECONDS,
});

/** Settings of a subgraph that owns a database. */
export const databaseEnv = {
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_SCHEMA: z.string().optional(),
  REGISTRY_PATH: z.string().optional(),
};

export const port = z.coerce.number().int().min(0).max(65535);

/** Validates the environment against a deployable's schema; the error lists every bad setting. */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  who: string,
  source: NodeJS.ProcessEnv,
): z.infer<T> {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new Error(
      `${who} configuration is invalid:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return result.data;
}

/** The tracing settings of a deployable's environment, as `startTracing` takes them. */
export const tracingConfigOf = (
  env: {
    OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
    OTEL_SERVICE_NAME?: string | undefined;
    OTEL_TRACES_SAMPLER_ARG: number;
  },
  service: string,
) => ({
  serviceName: env.OTEL_SERVICE_NAME ?? service,
  endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
  ratio: env.OTEL_TRACES_SAMPLER_ARG,
});

/** Stops a server cleanly on Ctrl-C or a termination signal, then exits. */
export function stopOnSignals(stop: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(
      signal,
      () =>
        void stop().then(
          () => process.exit(0),
          () => process.exit(1),
        ),
    );
  }
}

/**
 * How much work each process takes on at once (schema/src/admission.ts; README "Load shedding").
 * Defaults: 32 requests running, 128 waiting up to 2 s each, and new work refused while the event
 * loop lags over 1 s; bench:overload measured them (scripts/bench/RESULTS.md).
 */
function admissionEnv() {
  const count = z.coerce.number().int().min(0);
  return {
    MAX_CONCURRENT_REQUESTS: count.min(1).default(32),
    MAX_QUEUED_REQUESTS: count.default(128),
    MAX_QUEUE_WAIT_MS: count.min(1).default(2000),
    /** 0 turns the event-loop check off. */
    MAX_EVENT_LOOP_DELAY_MS: count.default(1000),
  };
}

const admissionSchema = z.object(admissionEnv());

/** The admission settings of the environment; every deployable's readEnv validates them with the rest. */
export function readAdmission(source: NodeJS.ProcessEnv = process.env): AdmissionSettings {
  const env = parseEnv(admissionSchema, 'admission', source);
  return {
    maxConcurrent: env.MAX_CONCURRENT_REQUESTS,
    maxQueue: env.MAX_QUEUED_REQUESTS,
    maxWaitMs: env.MAX_QUEUE_WAIT_MS,
    maxEventLoopDelayMs: env.MAX_EVENT_LOOP_DELAY_MS,
  };
}
