import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { badRequestInput } from '@crossgov/schema';
import { type OperationDefinitionNode, type TypeNode, Kind, parse } from 'graphql';

/** A query registered under a short, stable id, so a BI tool calls one fixed URL with parameters. */
export interface RegisteredOperation {
  id: string;
  query: string;
  /** What the file's leading comment says it answers. */
  description: string;
  variables: { name: string; type: string; required: boolean }[];
  definition: OperationDefinitionNode;
}

export const OPERATIONS_DIR = fileURLToPath(new URL('../../operations', import.meta.url));

const typeText = (type: TypeNode): string =>
  type.kind === Kind.NON_NULL_TYPE
    ? `${typeText(type.type)}!`
    : type.kind === Kind.LIST_TYPE
      ? `[${typeText(type.type)}]`
      : type.name.value;

/** Reads every `<id>.graphql` in the folder: each holds exactly one query. */
export function loadOperations(dir = OPERATIONS_DIR): Map<string, RegisteredOperation> {
  const operations = new Map<string, RegisteredOperation>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()) {
    const query = readFileSync(join(dir, file), 'utf8');
    const document = parse(query);
    const definitions = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    if (definitions.length !== 1 || definitions[0]!.operation !== 'query')
      throw new Error(`${file} must hold exactly one query`);
    const definition = definitions[0]!;
    operations.set(basename(file, '.graphql'), {
      id: basename(file, '.graphql'),
      query,
      description: query
        .split('\n')
        .filter((line) => line.startsWith('#'))
        .map((line) => line.replace(/^#\s?/, ''))
        .join(' '),
      variables: (definition.variableDefinitions ?? []).map((v) => ({
        name: v.variable.name.value,
        type: typeText(v.type),
        required: v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue,
      })),
      definition,
    });
  }
  return operations;
}

function coerce(name: string, text: string, type: TypeNode): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return coerce(name, text, type.type);
  if (type.kind === Kind.LIST_TYPE)
    return text === '' ? [] : text.split(',').map((part) => coerce(name, part.trim(), type.type));
  switch (type.name.value) {
    case 'Int': {
      const n = Number(text);
      if (!Number.isInteger(n)) throw badRequestInput(name, text, 'must be a whole number');
      return n;
    }
    case 'Float': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n))
        throw badRequestInput(name, text, 'must be a number');
      return n;
    }
    case 'Boolean':
      if (text !== 'true' && text !== 'false')
        throw badRequestInput(name, text, 'must be true or false');
      return text === 'true';
    default:
      // Strings, ids and enums go as they are; GraphQL validation names a bad enum value.
      return text;
  }
}

/**
 * Variables from URL parameters, each typed by the operation's own declaration: numbers and
 * booleans parsed, lists comma-separated. A parameter the operation does not declare is refused,
 * so a misspelt filter cannot silently widen a refresh. `reserved` names are the route's own. A bad
 * parameter is thrown as a RequestError (BAD_USER_INPUT naming field, value and rule).
 */
export function variablesFromParameters(
  operation: Pick<RegisteredOperation, 'id' | 'definition'>,
  parameters: Record<string, unknown>,
  reserved: readonly string[],
): Record<string, unknown> {
  const declared = new Map(
    (operation.definition.variableDefinitions ?? []).map((v) => [v.variable.name.value, v.type]),
  );
  const variables: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (reserved.includes(name)) continue;
    const type = declared.get(name);
    if (!type)
      throw badRequestInput(
        'parameter',
        name,
        `is not a variable of operation ${operation.id}; its variables are ${[...declared.keys()].join(', ') || 'none'}`,
      );
    if (typeof value !== 'string') throw badRequestInput(name, value, 'must be given once');
    variables[name] = coerce(name, value, type);
  }
  return variables;
}
