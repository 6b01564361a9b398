import { mutateTokens } from './documents.ts';
import type { Random } from './random.ts';
import type { FuzzInput } from './send.ts';
import { oddPeriod, oddText, oddValue, uriEncoded } from './values.ts';
import type { World } from './world.ts';

// Family 4: GET routes: flat facts with every parameter wrong in turn, GraphQL over GET, registered
// operations with generated variables, the dashboard's pages, assets, import statuses, and paths
// no route has, with odd encodings (%00, %ff, ../). Every GET is a read: none may change a table.

/** A parameter value as a URL carries it: mostly encoded, sometimes raw odd bytes. */
const encoded = (random: Random, value: string) =>
  random.chance(0.9)
    ? uriEncoded(value)
    : value.replace(/[^\u0021-\u00ff]|[#]/g, (c) => uriEncoded(c));

/** A query string of some of the parameters, each there half the time (or as often as its third element says). */
const parameters = (random: Random, entries: [string, string, number?][]) => {
  const chosen = entries.filter(([, , often]) => random.chance(often ?? 0.5));
  if (random.chance(0.1))
    chosen.push([
      random.pick(['unknown', 'pagesize', 'organisations', 'query', '']),
      oddText(random).slice(0, 40),
    ]);
  return chosen.length === 0
    ? ''
    : `?${chosen.map(([name, value]) => `${name}=${encoded(random, value)}`).join('&')}`;
};

function facts(random: Random, world: World): string {
  const cursor = random.weighted<() => string>([
    [2, () => oddText(random).slice(0, 200)],
    [
      2,
      () =>
        Buffer.from(
          JSON.stringify([
            random.pick([...world.organisations, 'nope']),
            random.chance(0.5) ? null : oddText(random).slice(0, 100),
          ]),
        ).toString('base64url'),
    ],
    [
      1,
      () =>
        Buffer.from(JSON.stringify(oddValue(random)) ?? 'x')
          .toString('base64url')
          .slice(0, 2000),
    ],
  ]);
  return `/facts${parameters(random, [
    // A small page of one or two organisations most often: a whole export is the bench's job.
    [
      'organisations',
      random.weighted([
        [6, random.pick(world.organisations)],
        [2, `${random.pick(world.organisations)},${random.pick(world.organisations)}`],
        [1, 'nope'],
        [1, ''],
        [1, ',,,'],
      ]),
      0.9,
    ],
    ['kinds', random.pick(['CLUSTER', 'department', 'NOPE', 'CLUSTER,NHS_TRUST', ''])],
    ['indicators', random.pick(['ss-invoices-paid-5-days', '608,636', 'nope', ''])],
    ['from', oddPeriod(random)],
    ['to', oddPeriod(random)],
    [
      'updatedSince',
      random.pick([
        '2026-01-01',
        '2026-01-01T00:00:00Z',
        'yesterday',
        '',
        '9999-99-99',
        oddText(random).slice(0, 30),
      ]),
    ],
    ['breakdown', random.pick(['all', 'ALL', 'organisation', 'none', ''])],
    [
      'pageSize',
      random.pick(['1', '10', '0', '-1', '10001', '1e3', 'abc', '2.5', '', '99999999999999999999']),
      0.7,
    ],
    ['cursor', cursor()],
    [
      'all',
      random.weighted([
        [1, 'true'],
        [6, 'false'],
        [2, 'yes'],
        [1, ''],
      ]),
    ],
    ['format', random.pick(['csv', 'json', 'xml', 'CSV', ''])],
  ])}`;
}

function graphqlGet(random: Random, world: World): string {
  const query = random.chance(0.7)
    ? mutateTokens(random, random.pick(world.documents).query)
    : random.pick([
        'mutation { hmrc { publishPeriod(period: "2019-03") { published } } }',
        '{ organisations { id } }',
        '',
        '{',
      ]);
  return `/graphql${parameters(random, [
    ['query', query],
    [
      'variables',
      random.pick([JSON.stringify(oddValue(random)).slice(0, 2000), '{', '', '{"kind":"CLUSTER"}']),
    ],
    ['operationName', random.pick(['', 'Uniform', 'nope', oddText(random).slice(0, 30)])],
    ['format', random.pick(['csv', 'json', 'xml'])],
    ['id', random.pick([...world.operations.map((o) => o.id), 'nope', ''])],
  ])}`;
}

function operation(random: Random, world: World): string {
  const chosen = random.pick(world.operations);
  const id = random.weighted([
    [8, chosen.id],
    [1, 'nope'],
    [1, uriEncoded(oddText(random).slice(0, 40))],
  ]);
  const value = () =>
    random.pick([
      'CLUSTER',
      'ss-invoices-paid-5-days',
      '2026-06',
      'nope',
      '',
      '1,2,3',
      'true',
      oddPeriod(random),
      oddText(random).slice(0, 60),
    ]);
  return `/operations/${id}${parameters(random, [...chosen.variables.map((name): [string, string] => [name, value()]), ['format', random.pick(['csv', 'json', ''])], [chosen.variables[0] ?? 'kind', value()]])}`;
}

/** Paths no route has, or has in another spelling: dot segments, NUL, invalid UTF-8, doubled slashes, long ones. */
const oddPath = (random: Random) =>
  // prettier-ignore
  random.pick([
    '/%00', '/%ff', '/%ff%fe', '/../../../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/', '//graphql', '/graphql/', '/GRAPHQL',
    '/graphql%00', '/facts/x', '/facts%2f', '/\u00ff', '/x?%', '/facts?a=%zz', '/a%', '/%c0%af', '/assets/../../package.json',
    '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%5c..%5cpackage.json', `/${'a/'.repeat(random.size(2000))}`, `/${'x'.repeat(random.size(8000))}`,
    '/operations/', '/organisations/', '/organisations/hmrc/imports', '/imports/', '/publishers/hmrc/imports', '/.env', '/node_modules/', '/favicon.ico',
    '/robots.txt', '/strategy/x', '/compare/x',
  ]);

/** One input of family 4: a GET to the gateway (most often) or to a subgraph directly. */
export function routeInput(random: Random, world: World, n: number): FuzzInput {
  const organisation = random.pick(world.organisations);
  const caller = random.chance(0.7)
    ? { headers: {} as Record<string, string> }
    : world.caller(random, organisation);
  const route = random.weighted<
    () => { kind: string; path: string; page?: boolean; direct?: boolean }
  >([
    [8, () => ({ kind: 'facts', path: facts(random, world) })],
    [12, () => ({ kind: 'GraphQL over GET', path: graphqlGet(random, world) })],
    [7, () => ({ kind: 'registered operation', path: operation(random, world) })],
    [2, () => ({ kind: 'operations list', path: random.pick(['/operations', '/operations?x=1']) })],
    [
      0.3,
      () => ({
        kind: 'overview page',
        path: random.pick(['/', '/?x=1', '/?indicator=nope']),
        page: true,
      }),
    ],
    [0.3, () => ({ kind: 'strategy page', path: '/strategy', page: true })],
    [
      1,
      () => ({
        kind: 'compare page',
        path: `/compare${parameters(random, [
          [
            'indicator',
            random.pick(['ss-invoices-paid-5-days', 'nope', '', oddText(random).slice(0, 60)]),
          ],
          ['period', oddPeriod(random)],
        ])}`,
        page: true,
      }),
    ],
    [
      3,
      () => ({
        kind: 'organisation page',
        path: `/organisations/${random.weighted([
          [3, 'nope'],
          [1, organisation],
          [2, uriEncoded(oddText(random).slice(0, 80))],
          [1, '%00'],
          [1, '%ff'],
        ])}`,
        page: true,
      }),
    ],
    [
      3,
      () => ({
        kind: 'asset',
        path: `/assets/${random.pick(['govuk-frontend.min.css', 'dashboard.css', 'fonts/nope.woff2', 'images/favicon.ico', '..%2f..%2fpackage.json', '%00', uriEncoded(oddText(random).slice(0, 40))])}`,
      }),
    ],
    [
      4,
      () => ({
        kind: 'import status',
        path: `/imports/${random.pick([`${organisation}.${'a'.repeat(random.int(10, 70))}`, `${organisation}.short`, 'nope', `nope.${'b'.repeat(22)}`, uriEncoded(oddText(random).slice(0, 80)), '%00'])}`,
      }),
    ],
    [
      3,
      () => ({
        kind: 'import status, from the subgraph',
        path: `/imports/${random.pick([`${organisation}.${'c'.repeat(random.int(10, 70))}`, 'nope', '%ff'])}`,
        direct: true,
      }),
    ],
    [
      3,
      () => ({
        kind: 'GraphQL over GET, to a subgraph',
        path: `/graphql?query=${uriEncoded(mutateTokens(random, '{ __typename }'))}`,
        direct: true,
      }),
    ],
    [8, () => ({ kind: 'odd path', path: oddPath(random), direct: random.chance(0.3) })],
  ])();
  return {
    n,
    family: 'routes',
    kind: route.kind,
    to: route.direct ? organisation : 'gateway',
    method: 'GET',
    origin: new URL(route.direct ? world.subgraphs[organisation]! : world.gateway).origin,
    path: route.path.replace(/[^\u0021-\u00ff]/g, (c) => uriEncoded(c)),
    headers: {
      ...caller.headers,
      ...(random.chance(0.1)
        ? { accept: random.pick(['text/csv', 'text/html', 'application/x-ndjson', '*/*', 'nope']) }
        : {}),
    },
    write: false,
    page: route.page ?? false,
  };
}
