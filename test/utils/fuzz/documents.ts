import type { Random } from './random.ts';
import type { FuzzInput } from './send.ts';
import { oddText } from './values.ts';
import type { World } from './world.ts';

// Family 1: GraphQL documents, to the gateway and to each subgraph directly. Real documents with
// their tokens dropped, doubled, swapped or replaced; documents built to be deep, wide, cyclic or
// huge; odd characters; bodies that are not the JSON they claim to be; the wrong content types.

const TOKEN =
  /"""[\s\S]*?"""|"(?:\\.|[^"\\\n])*"|\.\.\.|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}()[\]:,!$@=|&]|#[^\n]*/g;
const PUNCTUATION = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  ',',
  '!',
  '$',
  '@',
  '=',
  '|',
  '&',
  '...',
  '#',
];
/** Names a mutation puts in place of a token: fields, keywords, introspection and federation's own. */
// prettier-ignore
const NAMES = [
  'id', 'name', 'organisations', 'organisation', 'indicators', 'latest', 'value', 'scorecard', 'government', 'league', 'hmrc', 'norfolk', '__typename',
  '__schema', 'query', 'mutation', 'subscription', 'fragment', 'on', 'true', 'null', '_entities', '_service', 'sdl', 'Organisation', 'Query',
];

/** The document with one to five token-level mutations. */
export function mutateTokens(random: Random, document: string): string {
  const tokens = document.match(TOKEN) ?? [];
  for (let round = random.int(1, 5); round > 0 && tokens.length > 0; round--) {
    const at = random.int(0, tokens.length - 1);
    random.weighted<() => void>([
      [3, () => tokens.splice(at, 1)],
      [2, () => tokens.splice(at, 0, tokens[at]!)],
      [2, () => tokens.splice(at, 0, ...tokens.slice(at, at + random.int(1, 30)))],
      [
        2,
        () =>
          ([tokens[at], tokens[(at + 1) % tokens.length]] = [
            tokens[(at + 1) % tokens.length]!,
            tokens[at]!,
          ]),
      ],
      [3, () => tokens.splice(at, 0, random.pick(PUNCTUATION))],
      [3, () => (tokens[at] = random.pick(NAMES))],
      [2, () => tokens.splice(at, 0, '{', random.pick(NAMES))],
      [1, () => tokens.splice(at, 0, JSON.stringify(oddText(random)))],
      [
        1,
        () =>
          tokens.splice(
            at,
            0,
            random.pick([
              '@skip(if: true)',
              '@include(if: false)',
              '@defer',
              '@stream',
              '@nope',
              '@skip(if: $x)',
            ]),
          ),
      ],
      [
        1,
        () =>
          tokens.splice(
            at,
            0,
            random.pick([
              '(first: -1)',
              '(periods: 1000000)',
              '(periods: 99999999999)',
              '(id: "x")',
              '(kind: NOPE)',
              '(limit: 0)',
              '(limit: 1001)',
            ]),
          ),
      ],
      [1, () => tokens.splice(at, tokens.length - at)],
    ])();
  }
  return tokens.join(
    random.chance(0.9) ? ' ' : random.pick(['', '\n', '\t', ',', '\u00a0', '\ufeff']),
  );
}

/** Departments and their memberships, `levels` deep below `departments`. */
const nest = (levels: number) => {
  const names = Array.from({ length: levels }, (_, i) =>
    i % 2 === 0 ? 'memberships' : 'department',
  );
  return `{ departments { ${names.map((n) => `${n} {`).join(' ')} ${levels % 2 === 0 ? 'code' : 'from'} ${names.map(() => '}').join(' ')} } }`;
};

function fanOut(random: Random): string {
  const levels = random.int(1, 30);
  const fragments = ['fragment F0 on Organisation { id name }'];
  for (let i = 1; i <= levels; i++)
    fragments.push(
      `fragment F${i} on Organisation { ...F${i - 1} ${random.chance(0.7) ? `...F${i - 1} @include(if: true)` : `...F${random.int(0, levels)}`} }`,
    );
  return `{ organisations { ...F${levels} } }\n${fragments.join('\n')}`;
}

function cycle(random: Random): string {
  const size = random.int(1, 6);
  const fragments = Array.from(
    { length: size },
    (_, i) => `fragment C${i} on Organisation { id ...C${(i + 1) % size} }`,
  );
  return `{ organisations { ...C0 } } ${fragments.join(' ')}`;
}

/** A GraphQL document: a real one mutated, or one built to stress a limit or the parser. */
export function graphqlDocument(random: Random, world: World): { kind: string; query: string } {
  const real = random.pick(world.documents);
  return random.weighted<() => { kind: string; query: string }>([
    [10, () => ({ kind: 'mutated query', query: mutateTokens(random, real.query) })],
    [
      0.5,
      () => ({
        kind: 'real query, unchanged',
        query: random.chance(0.5)
          ? real.query
          : world.documents[world.documents.length - 1 - random.int(0, 3)]!.query,
      }),
    ],
    [2, () => ({ kind: 'deep nesting', query: nest(random.size(400)) })],
    [
      2,
      () => ({
        kind: 'many aliases',
        query: `{ ${Array.from({ length: random.size(600) + 1 }, (_, i) => `a${i}: ${random.pick(['__typename', 'departments { code }', 'organisations { id }', 'publishers { id }'])}`).join(' ')} }`,
      }),
    ],
    [2, () => ({ kind: 'fragment fan-out', query: fanOut(random) })],
    [1, () => ({ kind: 'fragment cycle', query: cycle(random) })],
    [
      1,
      () => ({
        kind: 'huge string',
        query: `{ organisation(id: "${'x'.repeat(random.size(300_000))}") { id } }`,
      }),
    ],
    [
      1,
      () => ({
        kind: 'huge document',
        query: `{ organisations { ${'id '.repeat(random.size(200_000))}} }`,
      }),
    ],
    [
      2,
      () => ({
        kind: 'odd characters',
        query: `{ organisation(id: ${JSON.stringify(oddText(random))}) { id name } }`,
      }),
    ],
    [
      1,
      () => ({
        kind: 'odd characters',
        query: `${oddText(random)}{ organisations { id } }${oddText(random)}`,
      }),
    ],
    [
      1,
      () => ({
        kind: 'odd characters',
        query: `{ norfolk { changes(key: ${JSON.stringify(oddText(random))}, limit: ${random.int(-5, 2000)}) { key } } }`,
      }),
    ],
    [
      1,
      () => ({
        kind: 'introspection',
        query: random.pick([
          '{ __schema { types { name } } }',
          '{ __type(name: "Query") { fields { name } } }',
          '{ _service { sdl } }',
          '{ _entities(representations: [{ __typename: "HmrcDepartment", id: "hmrc" }]) { __typename } }',
        ]),
      }),
    ],
    [
      1,
      () => ({
        kind: 'mutation without a token',
        query: mutateTokens(
          random,
          `mutation { ${random.pick(world.organisations)} { publishPeriod(period: "2019-03") { published } } }`,
        ),
      }),
    ],
    [1, () => ({ kind: 'subscription', query: 'subscription { organisations { id } }' })],
  ])();
}

/** The body a client sends, right or wrong: GraphQL's JSON, or something else under its content type. */
function body(
  random: Random,
  query: string,
): { kind?: string; body: string | Buffer; type: string | null } {
  const json = (value: unknown) => ({ body: JSON.stringify(value), type: 'application/json' });
  return random.weighted<() => { kind?: string; body: string | Buffer; type: string | null }>([
    [30, () => json({ query })],
    [
      2,
      () => ({
        kind: 'unknown operationName',
        ...json({
          query: `query A { __typename } query B { organisations { id } }`,
          operationName: random.pick(['C', '', 'a', oddText(random).slice(0, 100)]),
        }),
      }),
    ],
    [
      2,
      () => ({
        kind: 'two operations, no operationName',
        ...json({ query: `query A { __typename } ${query}` }),
      }),
    ],
    [
      2,
      () => ({
        kind: 'invalid JSON body',
        body: random.pick([
          '{',
          '{"query": "{ organisations { id } }"',
          '{"query": }',
          'nope',
          '\u0000',
          '{"query": "\\ud800"}',
          `{"query": ${JSON.stringify(query)},}`,
          '{"query":"{ __typename }"}'.repeat(2),
        ]),
        type: 'application/json',
      }),
    ],
    [
      2,
      () => ({
        kind: 'odd JSON body',
        ...json(
          random.pick<unknown>([
            null,
            [],
            {},
            'query',
            42,
            [{ query }],
            { query: null },
            { query: 5 },
            { query: [query] },
            { query, variables: 'x' },
            { query, variables: [1] },
            { query, operationName: 5 },
            { query, extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } },
            { extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } },
            { query, extensions: 'x' },
          ]),
        ),
      }),
    ],
    [
      2,
      () => ({
        kind: 'wrong content type',
        body: JSON.stringify({ query }),
        type: random.pick([
          null,
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/graphql',
          'text/csv',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'application/*',
          ';;;',
        ]),
      }),
    ],
    [
      1,
      () => ({
        kind: 'body not in UTF-8',
        body: Buffer.concat([
          Buffer.from('{"query":"{ organisation(id: \\"'),
          Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
          Buffer.from('\\") { id } }"}'),
        ]),
        type: 'application/json',
      }),
    ],
    [
      1,
      () => ({
        kind: 'body in UTF-16',
        body: Buffer.from(JSON.stringify({ query: '{ organisations { id } }' }), 'utf16le'),
        type: 'application/json',
      }),
    ],
  ])();
}

/** One input of family 1: a document POSTed to the gateway (most often) or to a subgraph directly. */
export function documentInput(random: Random, world: World, n: number): FuzzInput {
  const to = random.chance(0.7) ? 'gateway' : random.pick(Object.keys(world.subgraphs));
  const origin = to === 'gateway' ? world.gateway : world.subgraphs[to]!;
  const document = graphqlDocument(random, world);
  const sent = body(random, document.query);
  // A mutation (mutated tokens can make one) goes without a token: it must be refused, never run.
  const mutation = /\bmutation\b/.test(String(sent.body));
  const anonymous = mutation || random.chance(0.8);
  return {
    n,
    family: 'documents',
    kind: sent.kind ?? document.kind,
    to,
    method: 'POST',
    origin: new URL(origin).origin,
    path: '/graphql',
    headers: {
      ...(sent.type ? { 'content-type': sent.type } : {}),
      ...(anonymous ? {} : world.caller(random, 'hmrc').headers),
    },
    body: sent.body,
    write: mutation,
    page: false,
  };
}
