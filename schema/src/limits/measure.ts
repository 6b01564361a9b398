import { type DocumentNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, Kind } from 'graphql';

/** What an operation would cost to plan and run, measured on its document alone. */
export interface OperationMeasure {
  /** The deepest field, root fields at 1; fragments add no level of their own. */
  depth: number;
  /** Aliased fields once every fragment is inlined (aliases of `__typename` are free). */
  aliases: number;
  /** Field selections once every fragment is inlined: what the planner and the executor walk per object. */
  selections: number;
  /** Estimated cost: 1 a field, and a list field's selections counted `listFactor` times. */
  cost: number;
}

export interface MeasureOptions {
  /**
   * How many items a list field is assumed to return when estimating cost.
   * @default 10
   */
  listFactor?: number;
}

const ZERO: OperationMeasure = { depth: 0, aliases: 0, selections: 0, cost: 0 };

/**
 * Measures an operation of a document, linear in the document's size: each fragment is measured
 * once and its measure reused at every spread, so 19 fragments that each spread the previous one
 * twice are 19 measurements whose counts say 2^19, not 2^19 walks. (A rule that walks into a
 * fragment at each spread does the exponential work it means to refuse.) Introspection (`__schema`,
 * `__type`) is left out: graphql-js bounds it (MaxIntrospectionDepthRule). Without a schema, no field
 * is known to be a list, so cost counts fields only.
 *
 * Not @escape.tech/graphql-armor, measured for this: its Apollo token limit throws from a plugin
 * hook, which Apollo Server answers with a 500 (and `executeOperation`, behind GraphQL over GET and
 * the dashboard, rejects); its depth, alias and cost rules report as validation errors carrying only
 * a message prefixed "Syntax Error:"; its cost has no notion of lists, and it has no limit on
 * expanded fragments. graphql-js's own `maxTokens` (Apollo's `parseOptions`) is used for tokens.
 */
export function measureOperation(
  schema: GraphQLSchema | undefined,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  options: MeasureOptions = {},
): OperationMeasure {
  const listFactor = options.listFactor ?? 10;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const measured = new Map<string, OperationMeasure>();
  const inProgress = new Set<string>();

  const typeNamed = (name: string | undefined): GraphQLNamedType | undefined => (name && schema ? schema.getType(name) ?? undefined : undefined);

  const fragment = (name: string): OperationMeasure => {
    const known = measured.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    // An unknown fragment or a cycle: graphql-js validation refuses both and names them.
    if (!definition || inProgress.has(name)) return ZERO;
    inProgress.add(name);
    const measure = selectionSet(definition.selectionSet, typeNamed(definition.typeCondition.name.value));
    inProgress.delete(name);
    measured.set(name, measure);
    return measure;
  };

  const selectionSet = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): OperationMeasure => {
    const total = { ...ZERO };
    const add = (part: OperationMeasure, depthOffset: number) => {
      total.depth = Math.max(total.depth, part.depth + depthOffset);
      total.aliases += part.aliases;
      total.selections += part.selections;
      total.cost += part.cost;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        add(fragment(selection.name.value), 0);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(selectionSet(selection.selectionSet, selection.typeCondition ? typeNamed(selection.typeCondition.name.value) : parent), 0);
      } else {
        const name = selection.name.value;
        if (name === '__schema' || name === '__type') continue;
        const definition = fieldOf(parent, name);
        // Types are read from their printed form ("[Membership!]!"), not graphql-js's instanceof
        // predicates: the gateway and type-graphql load graphql as CommonJS, Apollo Server as ESM.
        const printed = definition ? String(definition.type) : '';
        const children = selection.selectionSet ? selectionSet(selection.selectionSet, typeNamed(printed.replace(/[[\]!]/g, ''))) : ZERO;
        const times = printed.startsWith('[') ? listFactor : 1;
        add({ depth: children.depth, aliases: children.aliases + (selection.alias && name !== '__typename' ? 1 : 0), selections: children.selections + 1, cost: 1 + times * children.cost }, 1);
      }
    }
    return total;
  };

  return selectionSet(operation.selectionSet, schema?.getRootType(operation.operation) ?? undefined);
}

function fieldOf(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  const withFields = parent as { getFields?: () => Record<string, GraphQLField<unknown, unknown>> } | undefined;
  return typeof withFields?.getFields === 'function' ? withFields.getFields()[name] : undefined;
}
