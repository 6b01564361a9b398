import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { type ASTNode, type ArgumentNode, type DocumentNode, type ObjectFieldNode, BREAK, GraphQLError, Kind, visit } from 'graphql';
import type { Principal } from '../auth.ts';
import { userError } from '../errors.ts';
import { measureOperation } from './measure.ts';
import { refusalsOf } from './refusals.ts';
import type { RequestLimits } from './settings.ts';

export interface RequestChecksOptions<TContext extends BaseContext> {
  limits: RequestLimits;
  /** The caller the context function verified; mutations from anonymous callers are refused. */
  principalOf?: (context: TContext) => Principal | undefined;
}

/**
 * Checks each request once its document is parsed and validated (both bounded by the token
 * limit) and its operation chosen, before anything that grows with the query: the gateway's query
 * planner, variable coercion and execution. In order: the operation must exist; a mutation needs a
 * token (so an anonymous caller cannot make a server coerce megabytes of variables); the operation
 * must be within the limits; no string may hold a NUL character, which PostgreSQL cannot store.
 */
export function requestChecksPlugin<TContext extends BaseContext>(options: RequestChecksOptions<TContext>): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema, contextValue }) {
          if (!operation) throw unresolvedOperation(document, request.operationName);
          if (operation.operation === 'mutation' && options.principalOf?.(contextValue)?.anonymous) {
            throw userError('UNAUTHENTICATED', 'a mutation needs a token (authorization: Bearer <token>) with the write or publish scope; anonymous callers may only read', {
              http: { status: 401 },
            });
          }
          const [refusal] = refusalsOf(measureOperation(schema, document, operation), options.limits, [operation]);
          if (refusal) throw refusal;
          const nul = nulInDocument(document) ?? nulInVariables(request.variables);
          if (nul) throw nul;
        },
      };
    },
  };
}

function unresolvedOperation(document: DocumentNode, operationName: string | null | undefined): GraphQLError {
  const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? '(anonymous)'] : []));
  const message = operationName
    ? `operationName ${JSON.stringify(operationName)} names no operation in the document; it has ${names.join(', ') || 'none'}`
    : `the document has ${names.length} operations (${names.join(', ')}); say which to run with operationName`;
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', operationName: operationName ?? null, http: { status: 400 } } });
}

const RULE = 'must not contain a NUL character (U+0000): no text field can hold one';

function nulRefusal(field: string, value: string): GraphQLError {
  return userError('BAD_USER_INPUT', `${field} ${JSON.stringify(value)} ${RULE}`, { field, value, rule: RULE, http: { status: 400 } });
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

function isArgumentOrField(node: ASTNode | readonly ASTNode[] | undefined): node is ArgumentNode | ObjectFieldNode {
  return node !== undefined && !Array.isArray(node) && ((node as ASTNode).kind === Kind.ARGUMENT || (node as ASTNode).kind === Kind.OBJECT_FIELD);
}

/** A variable holding a NUL anywhere inside it, named by its path ($measurements[0].note). */
function nulInVariables(variables: Record<string, unknown> | undefined): GraphQLError | undefined {
  if (!variables) return undefined;
  const stack: [string, unknown][] = Object.entries(variables).map(([name, value]) => [`$${name}`, value]);
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
