import { RequestError, statusOf } from '@crossgov/schema';
import {
  type Express,
  type Request,
  type Response,
  sendError,
  sendRefusal,
} from '@crossgov/schema/server';
import { type OperationDefinitionNode, Kind, parse } from 'graphql';
import type { Logger } from 'pino';
import { csvLines } from '../tabular/csv.ts';
import { FlattenError, flatten } from '../tabular/flatten.ts';
import { type RegisteredOperation, variablesFromParameters } from './operations.ts';
import { type QueryRunner, sendAuthError, wantsCsv } from './run-query.ts';

export interface GraphqlGetOptions {
  run: QueryRunner;
  operations: Map<string, RegisteredOperation>;
  logger: Pick<Logger, 'warn'>;
}

const GET_PARAMETERS = ['query', 'id', 'variables', 'operationName', 'format'];

/**
 * GraphQL over GET for tools that can only fetch a URL: `GET /graphql?query=...&variables=...`,
 * `GET /graphql?id=<registered operation>`, and `GET /operations/<id>?<variable>=<value>`. Queries
 * only; the answer is GraphQL's JSON, or the flattened result as CSV with `format=csv` or
 * `Accept: text/csv`. `GET /operations` lists what is registered.
 */
export function graphqlGetRoutes(options: GraphqlGetOptions) {
  return (app: Express) => {
    app.get('/operations', (_req, res) => {
      res.json({
        data: [...options.operations.values()].map(({ id, description, variables }) => ({
          id,
          description,
          variables,
          url: `/operations/${id}`,
        })),
      });
    });

    app.get('/operations/:id', async (req, res) => {
      const operation = options.operations.get(req.params.id);
      if (!operation) {
        sendError(
          res,
          'NOT_FOUND',
          `no operation is registered as ${JSON.stringify(req.params.id)}; GET /operations lists them`,
        );
        return;
      }
      let variables: Record<string, unknown>;
      try {
        variables = variablesFromParameters(operation, req.query, ['format']);
      } catch (error) {
        refuseVariables(res, error);
        return;
      }
      await answer(req, res, options, operation.query, variables, undefined);
    });

    // Only GETs that carry a query or an id; a browser's without one gets the explorer (explorer.ts).
    app.get('/graphql', async (req, res, next) => {
      if (req.query.query === undefined && req.query.id === undefined) {
        next();
        return;
      }
      const unknown = Object.keys(req.query).filter((name) => !GET_PARAMETERS.includes(name));
      if (unknown.length > 0) {
        sendError(
          res,
          'BAD_USER_INPUT',
          `parameter ${JSON.stringify(unknown[0])} is not one GraphQL over GET takes (${GET_PARAMETERS.join(', ')}); registered operations take their variables as parameters at /operations/<id>`,
        );
        return;
      }
      let query: string;
      if (typeof req.query.id === 'string') {
        const operation = options.operations.get(req.query.id);
        if (!operation) {
          sendError(
            res,
            'NOT_FOUND',
            `no operation is registered as ${JSON.stringify(req.query.id)}; GET /operations lists them`,
          );
          return;
        }
        query = operation.query;
      } else if (typeof req.query.query === 'string') {
        query = req.query.query;
      } else {
        sendError(res, 'BAD_USER_INPUT', 'give query (or id) once');
        return;
      }
      let variables: Record<string, unknown> | undefined;
      if (typeof req.query.variables === 'string' && req.query.variables !== '') {
        try {
          variables = JSON.parse(req.query.variables) as Record<string, unknown>;
          if (variables === null || typeof variables !== 'object' || Array.isArray(variables))
            throw new Error('not an object');
        } catch {
          sendError(
            res,
            'BAD_USER_INPUT',
            `variables ${JSON.stringify(req.query.variables)} must be a JSON object, URL-encoded`,
          );
          return;
        }
      }
      await answer(
        req,
        res,
        options,
        query,
        variables,
        typeof req.query.operationName === 'string' ? req.query.operationName : undefined,
      );
    });
  };
}

async function answer(
  req: Request,
  res: Response,
  options: GraphqlGetOptions,
  query: string,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
) {
  const refusal = refuseNonQuery(query, operationName);
  if (refusal) {
    sendError(
      res,
      'BAD_REQUEST',
      refusal,
      { reason: 'METHOD_NOT_ALLOWED' },
      { headers: { allow: 'POST' } },
    );
    return;
  }
  let result;
  try {
    result = await options.run(req, query, variables, operationName);
  } catch (error) {
    if (sendAuthError(res, error)) return;
    options.logger.warn({ err: error }, 'GraphQL over GET failed');
    sendError(res, 'INTERNAL_SERVER_ERROR', 'the query could not be run');
    return;
  }
  if (result.retryAfter) res.setHeader('retry-after', result.retryAfter);
  const body = {
    ...(result.data !== null || result.errors.length === 0 ? { data: result.data } : {}),
    ...(result.errors.length > 0 ? { errors: result.errors } : {}),
  };
  if (!wantsCsv(req)) {
    res.status(result.status).json(body);
    return;
  }
  // A table with an organisation silently missing is worse than no table: any error refuses the CSV,
  // with the table's status for the graph's failure (a subgraph's 502) when there is one, else for the
  // caller's refusal (400 for a bad argument).
  if (result.errors.length > 0 || result.data === null) {
    const statuses = result.errors.map((e) => statusOf(e.extensions?.code, e.extensions?.reason));
    res
      .status(
        result.status !== 200
          ? result.status
          : (statuses.find((status) => status >= 500) ??
              statuses[0] ??
              statusOf('SUBGRAPH_UNAVAILABLE')),
      )
      .json(body);
    return;
  }
  try {
    const { columns, rows } = flatten(result.data);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .send(csvLines(columns, rows, true));
  } catch (error) {
    if (!(error instanceof FlattenError)) throw error;
    sendError(res, 'BAD_USER_INPUT', `cannot flatten this result into one table: ${error.message}`);
  }
}

/** Why a GET may not run this document, or null: only queries travel over GET. */
function refuseNonQuery(query: string, operationName: string | undefined): string | null {
  let definitions: OperationDefinitionNode[];
  try {
    definitions = parse(query).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return null; // GraphQL's own answer names the syntax error
  }
  const chosen = operationName
    ? definitions.find((d) => d.name?.value === operationName)
    : definitions.length === 1
      ? definitions[0]
      : undefined;
  return chosen && chosen.operation !== 'query'
    ? `a ${chosen.operation} cannot be sent with GET; POST it to /graphql`
    : null;
}

function refuseVariables(res: Response, error: unknown): void {
  if (!(error instanceof RequestError)) throw error;
  sendRefusal(res, error);
}
