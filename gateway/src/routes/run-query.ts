import type { IncomingMessage } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { statusOf } from '@crossgov/schema';
import { type Request, type Response, sendRefusal } from '@crossgov/schema/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../plugins/auth.ts';
import { versionsOf } from '../plugins/data-versions.ts';
import type { StaleAnswer } from '../plugins/last-good.ts';

export interface QueryRunner {
  /**
   * Runs a query through the gateway exactly as a POST to /graphql would (same token checks, same
   * plan, same error masking), for routes that answer in other shapes (CSV, flat facts).
   */
  (
    req: Pick<IncomingMessage, 'headers'>,
    query: string,
    variables?: Record<string, unknown>,
    operationName?: string,
  ): Promise<QueryResult>;
}

export interface QueryResult {
  status: number;
  data: Record<string, unknown> | null;
  errors: {
    message: string;
    path?: readonly (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
  /** `Retry-After` of a 503 (plugins/overload.ts), for the route to pass on. */
  retryAfter?: string;
  /** The subgraphs whose part of the answer is their last good one (`extensions.stale`, plugins/last-good.ts). */
  stale?: StaleAnswer[];
}

export function queryRunner(
  server: ApolloServer<GatewayContext>,
  context: (args: { req: Pick<IncomingMessage, 'headers'> }) => Promise<GatewayContext>,
): QueryRunner {
  return async (req, query, variables, operationName) => {
    // The subgraphs' data versions, for the ETag of the route's answer (plugins/data-versions.ts).
    const versions = versionsOf(req);
    const contextValue = { ...(await context({ req })), dataVersions: versions };
    const response = await server.executeOperation(
      { query, variables, operationName },
      { contextValue },
    );
    if (response.body.kind !== 'single')
      throw new Error('incremental delivery is not used by these routes');
    const { data, errors, extensions } = response.body.singleResult;
    const stale = extensions?.stale as StaleAnswer[] | undefined;
    if (errors?.length || stale) versions.spoil();
    const retryAfter = response.http.headers.get('retry-after');
    return {
      status:
        response.http.status ??
        (errors?.length && !data
          ? statusOf(errors[0]?.extensions?.code, errors[0]?.extensions?.reason)
          : 200),
      data: (data as Record<string, unknown> | null | undefined) ?? null,
      errors: (errors ?? []).map((e) => ({
        message: e.message,
        path: e.path,
        extensions: e.extensions as Record<string, unknown> | undefined,
      })),
      ...(retryAfter && { retryAfter }),
      ...(stale && { stale }),
    };
  };
}

/** Answers a refused token the way /graphql does: 401 with UNAUTHENTICATED and the reason. */
export function sendAuthError(res: Response, error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.extensions.code !== 'UNAUTHENTICATED') return false;
  sendRefusal(res, error);
  return true;
}

/** CSV when the caller says `format=csv` or accepts text/csv (and does not say format=json); JSON otherwise. */
export function wantsCsv(req: Request): boolean {
  const format = typeof req.query.format === 'string' ? req.query.format.toLowerCase() : null;
  if (format) return format === 'csv';
  return (req.headers.accept ?? '').includes('text/csv');
}
