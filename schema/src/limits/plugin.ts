import { createRequire } from 'node:module';
import { type ApolloServerPlugin, type BaseContext, HeaderMap } from '@apollo/server';
import type * as GraphQL from 'graphql';
import {
  type ASTNode,
  type ArgumentNode,
  type DocumentNode,
  type ObjectFieldNode,
  BREAK,
  type GraphQLError,
  Kind,
  visit,
} from 'graphql';
import type { Principal } from '../auth.ts';
import { RequestError, statusOf } from '../errors.ts';
import { measureOperation } from './measure.ts';
import { refusalsOf } from './refusals.ts';
import type { RequestLimits } from './settings.ts';

// The copy of graphql every schema here is built with (Apollo Server and type-graphql load its
// CommonJS build); a test runner may give this module the ESM one, whose type checks would not
// recognise the schema's types.
const { getVariableValues } = createRequire(import.meta.url)('graphql') as typeof GraphQL;

/** Variable errors listed before giving up, as graphql-js's execute lists them. */
const MAX_VARIABLE_ERRORS = 50;

export interface RequestChecksOptions<TContext extends BaseContext> {
  limits: RequestLimits;
  /** The caller the context function verified; mutations from anonymous callers are refused. */
  principalOf?: (context: TContext) => Principal | undefined;
}

/**
 * Checks each request once its document is parsed and validated (both bounded by the token
 * limit) and its operation chosen, before anything that grows with the query: the gateway's query
 * planner, variable coercion and execution. In order: the operation must exist, and be of a kind
 * the schema has (graphql-js 16 validates a subscription and then fails it in execution, which was
 * answered as an internal error); a mutation needs a token (so an anonymous caller cannot make a
 * server coerce megabytes of variables); the operation must be within the limits; no string may
 * hold a NUL character, which PostgreSQL cannot store.
 * At the gateway the variables are then coerced here, their errors capped at 50 as graphql-js's
 * execute caps them on a subgraph: @apollo/gateway coerces them with no cap, one error per bad item
 * of a list (a 1.2 MB request of 600,000 numbers for a list of strings was answered with 113 MB,
 * after minutes of the gateway's one core).
 */
export function requestChecksPlugin<TContext extends BaseContext>(
  options: RequestChecksOptions<TContext>,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema, contextValue }) {
          if (!operation) throw unresolvedOperation(document, request.operationName);
          const root = {
            query: schema.getQueryType(),
            mutation: schema.getMutationType(),
            subscription: schema.getSubscriptionType(),
          }[operation.operation];
          if (!root) {
            throw new RequestError(
              'BAD_REQUEST',
              `this server has no ${operation.operation}s: send a query${schema.getMutationType() ? ' or a mutation' : ''}`,
            );
          }
          if (
            operation.operation === 'mutation' &&
            options.principalOf?.(contextValue)?.anonymous
          ) {
            throw new RequestError(
              'UNAUTHENTICATED',
              'a mutation needs a token (authorization: Bearer <token>) with the write or publish scope; anonymous callers may only read',
            );
          }
          const [refusal] = refusalsOf(
            measureOperation(schema, document, operation, {
              organisations: options.limits.assumedOrganisations,
            }),
            options.limits,
            [operation],
          );
          if (refusal) throw refusal;
          const nul = nulInDocument(document) ?? nulInVariables(request.variables);
          if (nul) throw nul;
        },
        async responseForOperation({ operation, request, schema }) {
          // A subgraph (it serves `_service`) runs graphql-js's execute, which caps them itself.
          if (
            !operation?.variableDefinitions?.length ||
            schema.getQueryType()?.getFields()._service
          )
            return null;
          const { errors } = getVariableValues(
            schema,
            operation.variableDefinitions,
            request.variables ?? {},
            { maxErrors: MAX_VARIABLE_ERRORS },
          );
          if (!errors) return null;
          const formatted = errors.map((error) => ({
            message: error.message,
            ...(error.locations ? { locations: error.locations } : {}),
            extensions: { code: 'BAD_USER_INPUT' },
          }));
          return {
            http: { status: statusOf('BAD_USER_INPUT'), headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { errors: formatted } },
          };
        },
      };
    },
  };
}

function unresolvedOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
): GraphQLError {
  const names = document.definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? '(anonymous)'] : [],
  );
  const message = operationName
    ? `operationName ${JSON.stringify(operationName)} names no operation in the document; it has ${names.join(', ') || 'none'}`
    : `the document has ${names.length} operations (${names.join(', ')}); say which to run with operationName`;
  return new RequestError('OPERATION_RESOLUTION_FAILURE', message, {
    operationName: operationName ?? null,
  });
}

const RULE = 'must not contain a NUL character (U+0000): no text field can hold one';

function nulRefusal(field: string, value: string): GraphQLError {
  return new RequestError('BAD_USER_INPUT', `${field} ${JSON.stringify(value)} ${RULE}`, {
    field,
    value,
    rule: RULE,
  });
}

/** A string literal in the query holding a NUL, named by its argument (and input fields). */
function nulInDocument(document: DocumentNode): GraphQLError | undefined {
  let refusal: GraphQLError | undefined;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (!node.value.includes('\0')) return undefined;
      const names = [...ancestors, parent].filter(isArgumentOrField).map((a) => a.name.value);
      refusal = nulRefusal(names.join('.') || 'a string', node.value);
      return BREAK;
    },
  });
  return refusal;
}

function isArgumentOrField(
  node: ASTNode | readonly ASTNode[] | undefined,
): node is ArgumentNode | ObjectFieldNode {
  return (
    node !== undefined &&
    !Array.isArray(node) &&
    ((node as ASTNode).kind === Kind.ARGUMENT || (node as ASTNode).kind === Kind.OBJECT_FIELD)
  );
}

/** A variable holding a NUL anywhere inside it, named by its path ($measurements[0].note). */
function nulInVariables(variables: Record<string, unknown> | undefined): GraphQLError | undefined {
  if (!variables) return undefined;
  const stack: [string, unknown][] = Object.entries(variables).map(([name, value]) => [
    `$${name}`,
    value,
  ]);
  while (stack.length > 0) {
    const [path, value] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\0')) return nulRefusal(path, value);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push([`${path}[${i}]`, item]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) stack.push([`${path}.${key}`, item]);
    }
  }
  return undefined;
}
