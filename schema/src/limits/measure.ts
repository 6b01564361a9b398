import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  Kind,
} from 'graphql';

/** What an operation would cost to plan and run, measured on its document alone. */
export interface OperationMeasure {
  /** The deepest field, root fields at 1; fragments add no level of their own. */
  depth: number;
  /** Aliased fields once every fragment is inlined (aliases of `__typename` are free). */
  aliases: number;
  /**
   * Fields at the root once every fragment is inlined, aliases included: each is a tree of fetches
   * the gateway plans and runs on its own. `__typename` is answered without one and is free.
   */
  rootFields: number;
  /** Field selections once every fragment is inlined: what the planner and the executor walk per object. */
  selections: number;
  /**
   * Estimated cost, organisations x fields: 1 a field, and a list field's selections counted once
   * per item it is assumed to return: every organisation served for a list of organisations,
   * `listFactor` for any other list.
   */
  cost: number;
}

export interface MeasureOptions {
  /**
   * How many items a list field is assumed to return when estimating cost, lists of organisations aside.
   * @default 10
   */
  listFactor?: number;
  /**
   * How many organisations a list of organisations is assumed to return: every one the gateway
   * serves (GATEWAY_LIMITS.assumedOrganisations, QUERY_ASSUMED_ORGANISATIONS).
   * @default 1000
   */
  organisations?: number;
}

/**
 * The interface every organisation type implements (schema/supergraph.graphql). A list of these is
 * where a query fans out: the gateway asks each organisation's publisher for the fields selected
 * below it, so its selections cost once per organisation served. Lists of plain values about
 * organisations (league rows, summaries), computed by one subgraph, count as any other list.
 */
const ORGANISATION = 'Organisation';

const ZERO: OperationMeasure = { depth: 0, aliases: 0, rootFields: 0, selections: 0, cost: 0 };

/**
 * Measures an operation of a document, linear in the document's size: each fragment is measured
 * once and its measure reused at every spread, so 19 fragments that each spread the previous one
 * twice are 19 measurements whose counts say 2^19, not 2^19 walks. (A rule that walks into a
 * fragment at each spread does the exponential work it means to refuse.) Introspection (`__schema`,
 * `__type`) is left out: graphql-js bounds it (MaxIntrospectionDepthRule). Without a schema, no field
 * is known to be a list, so cost counts fields only.
 *
 * Organisations x fields is folded into the one cost, not a second figure beside it: a separate
 * fan-out would count the same fields with the same factors but one, so it would always be at least
 * the cost and the two limits would overlap. What differs between deployments is how many
 * organisations there are, and that is a setting of its own (QUERY_ASSUMED_ORGANISATIONS), not a limit.
 *
 * Not @escape.tech/graphql-armor, measured for this: its Apollo token limit throws from a plugin
 * hook, which Apollo Server answers with a 500 (and `executeOperation`, behind GraphQL over GET and
 * the dashboard, rejects); its depth, alias and cost rules report as validation errors carrying only
 * a message prefixed "Syntax Error:"; its cost has no notion of lists, and it has no limit on
 * expanded fragments. graphql-js's own `maxTokens` (Apollo's `parseOptions`) is used for tokens.
 * Nor graphql-query-complexity (read for issue 15, not installed): its custom estimators could say
 * "a list of organisations costs its children times the organisations", and `getComplexity` can run
 * from this same hook with the variables; but it computes a fragment again at every spread (no
 * memo), so the 19-level fragment fan-out above is 2^19 walks inside the check meant to refuse it,
 * and it tells types apart with `instanceof`, which holds only if it loads the same one of the two
 * copies of graphql (CommonJS, ESM) the schema was built with (see below). Neither counts root
 * fields; here they are counted in the same walk.
 */
export function measureOperation(
  schema: GraphQLSchema | undefined,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  options: MeasureOptions = {},
): OperationMeasure {
  const listFactor = options.listFactor ?? 10;
  const organisations = options.organisations ?? 1000;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  const measured = new Map<string, OperationMeasure>();
  const inProgress = new Set<string>();

  const typeNamed = (name: string | undefined): GraphQLNamedType | undefined =>
    name && schema ? (schema.getType(name) ?? undefined) : undefined;

  const fragment = (name: string): OperationMeasure => {
    const known = measured.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    // An unknown fragment or a cycle: graphql-js validation refuses both and names them.
    if (!definition || inProgress.has(name)) return ZERO;
    inProgress.add(name);
    const measure = selectionSet(
      definition.selectionSet,
      typeNamed(definition.typeCondition.name.value),
    );
    inProgress.delete(name);
    measured.set(name, measure);
    return measure;
  };

  const selectionSet = (
    set: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
  ): OperationMeasure => {
    const total = { ...ZERO };
    const add = (part: OperationMeasure, depthOffset: number) => {
      total.depth = Math.max(total.depth, part.depth + depthOffset);
      total.aliases += part.aliases;
      total.rootFields += part.rootFields;
      total.selections += part.selections;
      total.cost += part.cost;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        add(fragment(selection.name.value), 0);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(
          selectionSet(
            selection.selectionSet,
            selection.typeCondition ? typeNamed(selection.typeCondition.name.value) : parent,
          ),
          0,
        );
      } else {
        const name = selection.name.value;
        if (name === '__schema' || name === '__type') continue;
        const definition = fieldOf(parent, name);
        // Types are read from their printed form ("[Membership!]!"), not graphql-js's instanceof
        // predicates: the gateway and type-graphql load graphql as CommonJS, Apollo Server as ESM.
        const printed = definition ? String(definition.type) : '';
        const type = typeNamed(printed.replace(/[[\]!]/g, ''));
        const children = selection.selectionSet ? selectionSet(selection.selectionSet, type) : ZERO;
        const times = !printed.startsWith('[')
          ? 1
          : isOrganisation(type)
            ? organisations
            : listFactor;
        const alias = selection.alias && name !== '__typename' ? 1 : 0;
        add(
          {
            depth: children.depth,
            aliases: children.aliases + alias,
            rootFields: name === '__typename' ? 0 : 1,
            selections: children.selections + 1,
            cost: 1 + times * children.cost,
          },
          1,
        );
      }
    }
    return total;
  };

  return selectionSet(
    operation.selectionSet,
    schema?.getRootType(operation.operation) ?? undefined,
  );
}

/** The organisation interface, or a type implementing it (read by name, as types are above). */
function isOrganisation(type: GraphQLNamedType | undefined): boolean {
  if (!type) return false;
  const withInterfaces = type as { getInterfaces?: () => readonly { name: string }[] };
  return (
    type.name === ORGANISATION ||
    (typeof withInterfaces.getInterfaces === 'function' &&
      withInterfaces.getInterfaces().some((i) => i.name === ORGANISATION))
  );
}

function fieldOf(
  parent: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  const withFields = parent as
    { getFields?: () => Record<string, GraphQLField<unknown, unknown>> } | undefined;
  return typeof withFields?.getFields === 'function' ? withFields.getFields()[name] : undefined;
}
