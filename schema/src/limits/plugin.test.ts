import { createRequire } from 'node:module';
import { ApolloServer } from '@apollo/server';
import type * as GraphQL from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal, Scope } from '../auth.ts';
import { hardenedApolloOptions } from './harden.ts';
import { requestChecksPlugin } from './plugin.ts';
import { GATEWAY_LIMITS } from './settings.ts';

// Apollo Server loads graphql's CommonJS build; vitest gives this file the ESM one, a second copy
// whose schema Apollo would refuse. Build the schema with Apollo's copy, as type-graphql does.
const { buildSchema } = createRequire(import.meta.url)('graphql') as typeof GraphQL;

interface Context {
  principal: Principal;
}

const writer: Principal = {
  subject: 'ana',
  organisation: 'norfolk',
  publisher: null,
  scopes: new Set([Scope.WRITE]),
  anonymous: false,
};

/** A server built as every Crossgov server is, on a small schema whose input scalar counts its coercions. */
async function serverFor(development: boolean) {
  const schema = buildSchema(`
    scalar Figure
    type Department { code: ID! memberships: [Membership!]! }
    type Membership { from: String! department: Department! }
    interface Organisation { id: ID! name: String! }
    type Council implements Organisation { id: ID! name: String! }
    type Query { departments: [Department!]! organisations: [Organisation!]! changes(key: String): [String!]! fail: String _service: String }
    type Mutation { submit(figures: [Figure!]!): Int! }
  `);
  const coerced: unknown[] = [];
  (schema.getType('Figure') as GraphQL.GraphQLScalarType).parseValue = (value) => {
    coerced.push(value);
    return value;
  };
  const rootValue = {
    departments: () => [{ code: 'DWP', memberships: [] }],
    changes: ({ key }: { key?: string }) => [key ?? 'none'],
    fail: () => {
      throw new Error(
        'Failed query: select "key" from "change_log" where "key" = $1\nparams: secret',
      );
    },
    _service: () => 'type Query { ... }',
    submit: ({ figures }: { figures: unknown[] }) => figures.length,
  };
  const limits = {
    ...GATEWAY_LIMITS,
    maxDepth: 5,
    maxAliases: 2,
    maxRootFields: 3,
    maxTokens: 150,
    maxSelections: 20,
    maxCost: 1000,
    assumedOrganisations: 600,
  };
  const server = new ApolloServer<Context>({
    schema,
    rootValue,
    ...hardenedApolloOptions({ limits, development }),
    plugins: [
      requestChecksPlugin<Context>({ limits, principalOf: (context) => context.principal }),
    ],
  });
  await server.start();
  const run = async (
    query: string,
    variables?: Record<string, unknown>,
    principal: Principal = ANONYMOUS,
    operationName?: string,
  ) => {
    const response = await server.executeOperation(
      { query, variables, operationName },
      { contextValue: { principal } },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const { data, errors } = response.body.singleResult;
    return { status: response.http.status ?? 200, data, errors, error: errors?.[0] };
  };
  return { server, run, coerced };
}

describe('every server, built for production (the default)', () => {
  let subject: Awaited<ReturnType<typeof serverFor>>;
  beforeAll(async () => {
    // As a server built in a test or a script without NODE_ENV: Apollo Server alone would answer introspection.
    const nodeEnv = process.env.NODE_ENV;
    delete process.env.NODE_ENV;
    try {
      subject = await serverFor(false);
    } finally {
      if (nodeEnv !== undefined) process.env.NODE_ENV = nodeEnv;
    }
  });
  afterAll(async () => {
    await subject?.server.stop();
  });

  it('refuses a query over the depth limit with 400 and QUERY_TOO_COMPLEX, naming the limit and what it found', async () => {
    const { status, error } = await subject.run(
      '{ departments { memberships { department { memberships { department { code } } } } } }',
    );
    expect(status).toBe(400);
    expect(error).toMatchObject({
      message: 'Query too complex: depth 6, over the limit of 5 (QUERY_MAX_DEPTH).',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 5, found: 6 },
    });
  });

  it('refuses aliases, expanded selections and estimated cost over their limits', async () => {
    expect(
      (
        await subject.run(
          '{ a: departments { code } b: departments { code } c: departments { code } }',
        )
      ).error?.extensions,
    ).toMatchObject({
      limit: 'aliases',
      max: 2,
      found: 3,
    });
    // Five fragments, each the previous one twice: 2^5 selections of code, and departments.
    const fragments = Array.from(
      { length: 5 },
      (_, i) => `fragment D${i + 1} on Department { ...D${i} ...D${i} @skip(if: false) }`,
    );
    const fanOut = `{ departments { ...D5 } } fragment D0 on Department { code } ${fragments.join(' ')}`;
    expect((await subject.run(fanOut)).error?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'selections',
      max: 20,
      found: 33,
    });
    // Lists in lists: 1 + 10 x (1 + 10 x (1 + (1 + 10 x 1))).
    expect(
      (await subject.run('{ departments { memberships { department { memberships { from } } } } }'))
        .error?.extensions,
    ).toMatchObject({
      limit: 'cost',
      max: 1000,
      found: 1211,
    });
  });

  it('refuses root fields over their limit, aliases included, and counts a list of organisations once per organisation assumed', async () => {
    const roots = await subject.run(
      '{ departments { code } changes b: changes(key: "b") c: departments { code } }',
    );
    expect(roots.status).toBe(400);
    expect(roots.error).toMatchObject({
      message: 'Query too complex: root fields 4, over the limit of 3 (QUERY_MAX_ROOT_FIELDS).',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'rootFields', max: 3, found: 4 },
    });
    // 1 + 600 organisations x 2 fields; as a list of anything else it would be 1 + 10 x 2.
    expect((await subject.run('{ organisations { id name } }')).error).toMatchObject({
      message:
        'Query too complex: estimated cost (organisations x fields) 1,201, over the limit of 1,000 (QUERY_MAX_COST).',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 1000, found: 1201 },
    });
  });

  it('stops parsing at the token limit and says how many tokens the query has', async () => {
    const { status, error } = await subject.run(`{ departments { ${'code '.repeat(200)}} }`);
    expect(status).toBe(400);
    expect(error).toMatchObject({
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 150, found: 205 },
    });
    expect(error?.message).toBe(
      'Query too complex: tokens 205, over the limit of 150 (QUERY_MAX_TOKENS).',
    );
    // Counting stops at ten times the limit: a refusal costs little more than the parse it stopped.
    const huge = await subject.run(`{ departments { ${'code '.repeat(100_000)}} }`);
    expect(huge.error).toMatchObject({
      message:
        'Query too complex: tokens more than 1,500, over the limit of 150 (QUERY_MAX_TOKENS).',
      extensions: { found: 1500 },
    });
  });

  it('refuses an anonymous mutation with 401 before its variables are coerced, and runs a signed-in one', async () => {
    const mutation = 'mutation ($figures: [Figure!]!) { submit(figures: $figures) }';
    const refused = await subject.run(mutation, { figures: [1, 2, 3] });
    expect(refused.status).toBe(401);
    expect(refused.error?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(subject.coerced).toEqual([]);
    expect((await subject.run(mutation, { figures: [1, 2, 3] }, writer)).data).toEqual({
      submit: 3,
    });
    expect(subject.coerced).toEqual([1, 2, 3]);
  });

  it('answers an operationName that names no operation with 400, listing those there are', async () => {
    const { status, error } = await subject.run(
      'query A { departments { code } } query B { departments { code } }',
      undefined,
      ANONYMOUS,
      'C',
    );
    expect(status).toBe(400);
    expect(error).toMatchObject({
      message: 'operationName "C" names no operation in the document; it has A, B',
      extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
    });
    expect(
      (await subject.run('query A { departments { code } } query B { departments { code } }')).error
        ?.message,
    ).toBe('the document has 2 operations (A, B); say which to run with operationName');
  });

  it('refuses a subscription with 400 and BAD_REQUEST, since no Crossgov server has any', async () => {
    const { status, error } = await subject.run('subscription { departments { code } }');
    expect(status).toBe(400);
    expect(error).toMatchObject({
      message: 'this server has no subscriptions: send a query or a mutation',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  // Found by test/fuzz.e2e.test.ts: Apollo's own 400 for it had no code, and was masked as an internal error.
  it('refuses a persisted query whose hash does not match its text with 400 and BAD_REQUEST', async () => {
    const response = await subject.server.executeOperation({
      query: '{ departments { code } }',
      extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } },
    });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.http.status).toBe(400);
    expect(response.body.singleResult.errors).toEqual([
      { message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } },
    ]);
  });

  // Found by test/fuzz.e2e.test.ts: graphql-js's error after the 50th bad variable had no code, and was masked as an internal error.
  it('refuses thousands of bad list items in a variable as bad input, the last error too', async () => {
    const { status, errors } = await subject.run(
      'mutation ($figures: [Figure!]!) { submit(figures: $figures) }',
      { figures: Array.from({ length: 2000 }, () => null) },
      writer,
    );
    expect(status).toBe(400);
    expect(errors).toHaveLength(51);
    expect(errors!.map((e) => e.extensions?.code)).toEqual(
      Array.from({ length: 51 }, () => 'BAD_USER_INPUT'),
    );
    expect(errors![50]!.message).toBe(
      'Too many errors processing variables, error limit reached. Execution aborted.',
    );
  });

  it('refuses a NUL character in a string argument or a variable with 400, naming where it is', async () => {
    const literal = await subject.run('{ changes(key: "x\\u0000y") }');
    expect(literal.status).toBe(400);
    expect(literal.error).toMatchObject({
      message:
        'key "x\\u0000y" must not contain a NUL character (U+0000): no text field can hold one',
      extensions: { code: 'BAD_USER_INPUT', field: 'key' },
    });
    const variable = await subject.run(
      'mutation ($figures: [Figure!]!) { submit(figures: $figures) }',
      { figures: [{ note: 'a\u0000' }] },
      writer,
    );
    expect(variable.error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: '$figures[0].note',
    });
  });

  it('masks an unexpected error: no SQL, parameters or stack', async () => {
    const { error } = await subject.run('{ fail }');
    expect(error).toEqual({
      message: 'Internal server error',
      path: ['fail'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('answers no introspection, no field suggestions and no _service, whatever NODE_ENV says', async () => {
    expect((await subject.run('{ __schema { types { name } } }')).status).toBe(400);
    const misspelt = await subject.run('{ departmets { code } }');
    expect(misspelt.error?.message).toBe('Cannot query field "departmets" on type "Query".');
    expect((await subject.run('{ _service }')).error?.message).toMatch(
      /^a subgraph's SDL \(_service\) is not served outside development/,
    );
  });

  it('still answers a query within every limit', async () => {
    expect((await subject.run('{ departments { code memberships { from } } }')).data).toEqual({
      departments: [{ code: 'DWP', memberships: [] }],
    });
  });
});

describe('a server built for development', () => {
  let subject: Awaited<ReturnType<typeof serverFor>>;
  beforeAll(async () => {
    subject = await serverFor(true);
  });
  afterAll(async () => {
    await subject?.server.stop();
  });

  it('answers introspection, suggestions and _service, and shows unexpected errors, but keeps the limits', async () => {
    expect((await subject.run('{ __schema { queryType { name } } }')).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
    expect((await subject.run('{ departmets { code } }')).error?.message).toMatch(
      /Did you mean "departments"\?/,
    );
    expect((await subject.run('{ _service }')).data).toEqual({ _service: 'type Query { ... }' });
    expect((await subject.run('{ fail }')).error?.message).toMatch(/^Failed query/);
    expect(
      (
        await subject.run(
          '{ departments { memberships { department { memberships { department { code } } } } } }',
        )
      ).error?.extensions?.code,
    ).toBe('QUERY_TOO_COMPLEX');
  });
});
