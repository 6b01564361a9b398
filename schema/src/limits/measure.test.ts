import { type OperationDefinitionNode, Kind, buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { measureOperation } from './measure.ts';

const schema = buildSchema(`
  interface Organisation { id: ID! name: String! publisher: Publisher! }
  type Cluster implements Organisation { id: ID! name: String! publisher: Publisher! members: [Membership!]! }
  type Publisher { id: ID! organisations: [Organisation!]! }
  type Department { code: ID! memberships: [Membership!]! }
  type Membership { from: String! department: Department! }
  type Query { organisations: [Organisation!]! organisation(id: ID!): Organisation clusters: [Cluster!]! departments: [Department!]! }
  type Mutation { publish(period: String!): Int! }
`);

/** The measure of the document's only (or named) operation. */
function measure(query: string, name?: string, withSchema = true, organisations = 1000) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (!name || d.name?.value === name),
  )!;
  return measureOperation(withSchema ? schema : undefined, document, operation, { organisations });
}

/** 19 fragments (by default), each spreading the previous one twice with distinct directives. */
function fanOut(levels = 19) {
  const fragments = ['fragment F0 on Organisation { id name }'];
  for (let i = 1; i <= levels; i++)
    fragments.push(
      `fragment F${i} on Organisation { ...F${i - 1} @include(if: true) ...F${i - 1} @skip(if: false) }`,
    );
  return `{ organisations { ...F${levels} } }\n${fragments.join('\n')}`;
}

describe('measuring an operation before it is planned or run', () => {
  it('counts depth from the root fields, a field per selection, and cost with a list of organisations counted once per organisation', () => {
    // organisations (1,000): 1 + 1,000 x (id 1 + publisher (1 + organisations (1,000) 1 + 1,000 x name 1))
    expect(measure('{ organisations { id publisher { organisations { name } } } }')).toEqual({
      depth: 4,
      aliases: 0,
      rootFields: 1,
      selections: 5,
      cost: 1 + 1000 * (1 + (1 + (1 + 1000 * 1))),
    });
  });

  it('counts any other list ten times, and a list of an organisation type as organisations', () => {
    // departments (10): 1 + 10 x (memberships (10): 1 + 10 x (from 1))
    expect(measure('{ departments { memberships { from } } }').cost).toBe(1 + 10 * (1 + 10 * 1));
    expect(measure('{ clusters { id } }').cost).toBe(1 + 1000 * 1);
    // The number of organisations is the deployment's setting.
    expect(measure('{ organisations { id } }', undefined, true, 40).cost).toBe(1 + 40 * 1);
  });

  it('adds no level for fragments, named or inline, and reads fields through their type conditions', () => {
    const named = measure(
      '{ organisations { ...O } } fragment O on Organisation { ... on Cluster { members { department { code } } } }',
    );
    expect(named).toMatchObject({ depth: 4, selections: 4 });
    expect(named.cost).toBe(1 + 1000 * (1 + 10 * (1 + 1)));
  });

  it('counts aliases once fragments are inlined, but not aliases of __typename', () => {
    expect(
      measure(
        '{ a: organisations { id } b: organisations { ...N } } fragment N on Organisation { n1: name n2: name t: __typename }',
      ).aliases,
    ).toBe(4);
  });

  it('counts root fields once fragments are inlined, aliases included, but not __typename', () => {
    const query =
      '{ a: organisations { id } b: organisations { id } ...Roots __typename } fragment Roots on Query { departments { code } ... on Query { c: organisation(id: "x") { id } } }';
    expect(measure(query)).toMatchObject({ rootFields: 4, aliases: 3 });
  });

  it('follows a cycle of departments and memberships as deep as it goes', () => {
    const levels = Array.from({ length: 100 }, (_, i) =>
      i % 2 === 0 ? 'memberships' : 'department',
    );
    const query = `{ departments { ${levels.map((l) => `${l} {`).join(' ')} code ${levels.map(() => '}').join(' ')} } }`;
    const result = measure(query);
    expect(result.depth).toBe(102);
    expect(result.cost).toBeGreaterThan(1e50);
  });

  it('counts 19 fragments spread twice each as the 2^20 selections they expand to, measuring each fragment once', () => {
    expect(measure(fanOut()).selections).toBe(2 ** 20 + 1);
    // Linear in the document: two hundred levels would be 2^200 walks if a fragment were walked at each spread.
    expect(measure(fanOut(200)).selections).toBeGreaterThan(1e60);
  });

  it('leaves introspection out (graphql-js bounds it)', () => {
    expect(
      measure(
        '{ __schema { types { fields { type { ofType { ofType { name } } } } } } organisations { id } }',
      ),
    ).toMatchObject({ depth: 2, selections: 2 });
  });

  it('measures the named operation only, and mutations from the mutation type', () => {
    const document =
      '{ organisations { publisher { id } } } mutation Publish { publish(period: "2026-10") }';
    expect(measure(document, 'Publish')).toEqual({
      depth: 1,
      aliases: 0,
      rootFields: 1,
      selections: 1,
      cost: 1,
    });
  });

  it('survives fragment cycles and unknown fragments, which validation refuses and names', () => {
    expect(
      measure(
        '{ organisations { ...A ...Missing } } fragment A on Organisation { id ...B } fragment B on Organisation { name ...A }',
      ),
    ).toMatchObject({
      depth: 2,
      selections: 3,
    });
  });

  it('counts fields only without a schema, no field being known as a list', () => {
    expect(measure('{ organisations { id publisher { id } } }', undefined, false)).toEqual({
      depth: 3,
      aliases: 0,
      rootFields: 1,
      selections: 4,
      cost: 4,
    });
  });
});
