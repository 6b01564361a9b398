import type { Random } from './random.ts';
import type { FuzzInput } from './send.ts';
import { oddNumber, oddPeriod, oddText, oddValue } from './values.ts';
import type { World } from './world.ts';

// Family 2: valid documents with generated variables: the mutations a department sends and the
// queries that take arguments, their variables of the wrong type, non-finite as text, at the edges
// of a double, huge, deep, for future periods, unknown indicators, numerators above denominators.
// Every write is sent either by a caller who may not write there, or with at least one row no
// rule lets through (a poison row): a submission is checked whole, so none may be stored.

type Held = ReturnType<World['held']['get']> & {};

/** A value for one field: most often plausible, sometimes odd, sometimes of the wrong type. */
const field = <T>(random: Random, plausible: () => T): unknown =>
  random.weighted<() => unknown>([
    [6, plausible],
    [2, () => oddNumber(random)],
    [1, () => oddText(random)],
    [1, () => oddValue(random)],
  ])();

const codeOf = (random: Random, held: Held) =>
  held.indicators.length > 0 && random.chance(0.8)
    ? random.pick(held.indicators).code
    : random.pick(['no-such-indicator', '', 'ss-invoices-paid-5-days', '608', oddText(random)]);

const measurement = (random: Random, held: Held) => {
  const numerator = random.int(0, 5000);
  return {
    indicatorCode: codeOf(random, held),
    period: oddPeriod(random),
    ...(random.chance(0.6)
      ? {
          numerator: field(random, () => numerator),
          denominator: field(random, () =>
            random.chance(0.3) ? numerator - random.int(1, 100) : numerator + random.int(0, 5000),
          ),
        }
      : {}),
    ...(random.chance(0.5) ? { value: field(random, () => random.int(0, 10000) / 100) } : {}),
    ...(random.chance(0.2)
      ? {
          serviceId: field(random, () =>
            held.services.length > 0 ? random.pick(held.services) : 'no-such-service',
          ),
        }
      : {}),
    ...(random.chance(0.1)
      ? { department: field(random, () => random.pick(['DWP', 'HMRC', 'XX', ''])) }
      : {}),
    ...(random.chance(0.05) ? { [random.pick(['numerater', 'organisation', 'bogus'])]: 1 } : {}),
  };
};

interface Write {
  field: string;
  argument: string;
  type: string;
  row: (random: Random, held: Held) => unknown;
  /** A row every rule refuses, yet of the right GraphQL type, so the rest are checked too. */
  poison: unknown;
}

const WRITES: Write[] = [
  {
    field: 'submitMeasurements',
    argument: 'measurements',
    type: '[MeasurementInput!]!',
    row: measurement,
    poison: { indicatorCode: '-no such code-', period: '2019-01', numerator: 1, denominator: 0 },
  },
  {
    field: 'setTargets',
    argument: 'targets',
    type: '[TargetInput!]!',
    row: (random, held) => ({
      indicatorCode: codeOf(random, held),
      fromPeriod: oddPeriod(random),
      value: field(random, () => random.int(-100, 200)),
    }),
    poison: { indicatorCode: '-no such code-', fromPeriod: '2019-13', value: 1 },
  },
  {
    field: 'defineIndicators',
    argument: 'indicators',
    type: '[IndicatorDefinitionInput!]!',
    row: (random, held) => ({
      code: random.chance(0.5) ? codeOf(random, held) : `fuzz-${random.int(0, 99)}`,
      ...(random.chance(0.7) ? { name: field(random, () => 'A fuzzed indicator') } : {}),
      ...(random.chance(0.7)
        ? {
            unit: field(random, () =>
              random.pick(['COUNT', 'PERCENT', 'CURRENCY', 'RATIO', 'SCORE']),
            ),
          }
        : {}),
      ...(random.chance(0.7)
        ? {
            polarity: field(random, () =>
              random.pick(['BIGGER_IS_BETTER', 'SMALLER_IS_BETTER', 'CLOSEST_TO_TARGET']),
            ),
          }
        : {}),
      ...(random.chance(0.7)
        ? { frequency: field(random, () => random.pick(['MONTHLY', 'QUARTERLY', 'ANNUAL'])) }
        : {}),
      ...(random.chance(0.4) ? { tolerance: field(random, () => random.float()) } : {}),
      ...(random.chance(0.3)
        ? {
            minValue: field(random, () => random.int(-10, 10)),
            maxValue: field(random, () => random.int(-10, 1000)),
          }
        : {}),
    }),
    poison: {
      code: '-no such code-',
      name: 'x',
      unit: 'PERCENT',
      polarity: 'BIGGER_IS_BETTER',
      frequency: 'MONTHLY',
      tolerance: 2,
    },
  },
  {
    field: 'recordMilestoneReturns',
    argument: 'returns',
    type: '[MilestoneReturnInput!]!',
    row: (random, held) => ({
      milestoneId:
        held.milestones.length > 0 && random.chance(0.8)
          ? random.pick(held.milestones)
          : oddText(random),
      returnDate: field(
        random,
        () =>
          `20${random.int(10, 40)}-${String(random.int(0, 13)).padStart(2, '0')}-${String(random.int(0, 32)).padStart(2, '0')}`,
      ),
      forecast: oddPeriod(random),
      ...(random.chance(0.3) ? { actual: oddPeriod(random) } : {}),
      ...(random.chance(0.3) ? { note: field(random, () => 'on track') } : {}),
    }),
    poison: { milestoneId: '-no such milestone-', returnDate: '2019-02-30', forecast: 'never' },
  },
  {
    field: 'recordConfidenceAssessments',
    argument: 'assessments',
    type: '[ConfidenceAssessmentInput!]!',
    row: (random, held) => ({
      programmeId:
        held.programmes.length > 0 && random.chance(0.8)
          ? random.pick(held.programmes)
          : oddText(random),
      assessor: field(random, () => random.pick(['IPA', 'SRO'])),
      assessedOn: field(
        random,
        () =>
          `20${random.int(10, 40)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 31)).padStart(2, '0')}`,
      ),
      scale: field(random, () => random.pick(['FIVE_POINT', 'THREE_POINT'])),
      rating: field(random, () =>
        random.pick(['GREEN', 'AMBER_GREEN', 'AMBER', 'AMBER_RED', 'RED', 'EXEMPT', 'RESET']),
      ),
    }),
    poison: {
      programmeId: '-no such programme-',
      assessor: 'IPA',
      assessedOn: '2019-02-30',
      scale: 'THREE_POINT',
      rating: 'AMBER_GREEN',
    },
  },
];

/** The rows of a write: mostly a few, sometimes thousands; with the poison row somewhere among them when the caller may write. */
function rows(random: Random, write: Write, held: Held, poisoned: boolean): unknown {
  if (random.chance(0.05)) {
    const odd = oddValue(random);
    // GraphQL reads any other single value as a list of one, which no odd value makes valid.
    return Array.isArray(odd) && poisoned ? [...odd, write.poison] : odd;
  }
  const list: unknown[] = random.many(
    random.chance(0.05) ? random.size(3000) : random.int(0, 6),
    () => (random.chance(0.05) ? oddValue(random) : write.row(random, held)),
  );
  if (poisoned) list.splice(random.int(0, list.length), 0, write.poison);
  return list;
}

/** Queries that take arguments, with variables for them. */
function query(random: Random, world: World): { kind: string; query: string; variables: unknown } {
  const organisation = random.pick(world.organisations);
  const operation = random.pick(world.operations);
  return random.weighted<() => { kind: string; query: string; variables: unknown }>([
    [
      2,
      () => ({
        kind: 'organisation by id',
        query: 'query ($id: ID!) { organisation(id: $id) { id name } }',
        variables: { id: field(random, () => random.pick([organisation, 'nope', ''])) },
      }),
    ],
    [
      2,
      () => ({
        kind: 'organisations by kind',
        query: 'query ($kind: OrganisationKind) { organisations(kind: $kind) { id } }',
        variables: {
          kind: field(random, () => random.pick(['CLUSTER', 'cluster', 'NHS_TRUST', 'NOPE'])),
        },
      }),
    ],
    [
      2,
      () => ({
        kind: 'scorecard',
        query: `query ($n: Int!, $i: [String!]) { ${organisation} { scorecard(periods: $n, indicators: $i) { indicator latest { value rag { status } } } } }`,
        variables: {
          n: field(random, () => random.int(-3, 60)),
          i: random.chance(0.5)
            ? null
            : [field(random, () => codeOf(random, world.held.get(organisation)!))],
        },
      }),
    ],
    [
      2,
      () => ({
        kind: 'changes by key',
        query: `query ($key: String, $limit: Int!) { ${organisation} { changes(key: $key, limit: $limit) { key } } }`,
        variables: {
          key: field(random, () => '608@2019-02'),
          limit: field(random, () => random.int(-1, 1001)),
        },
      }),
    ],
    [
      0.5,
      () => ({
        kind: 'league',
        query:
          'query ($indicator: String!, $period: String) { government { league(indicator: $indicator, period: $period) { period reported } } }',
        variables: {
          indicator: field(random, () => random.pick(['ss-invoices-paid-5-days', 'nope'])),
          period: random.chance(0.5) ? oddPeriod(random) : null,
        },
      }),
    ],
    [
      2,
      () => ({
        kind: 'facts page',
        query: `query ($first: Int!, $after: String, $from: String, $to: String, $since: String) { ${organisation} { facts(first: $first, after: $after, from: $from, to: $to, updatedSince: $since) { nextCursor rows { period value } } } }`,
        variables: {
          first: field(random, () => random.int(-1, 2000)),
          after: random.chance(0.5) ? oddText(random) : null,
          from: oddPeriod(random),
          to: random.chance(0.5) ? oddPeriod(random) : null,
          since: random.chance(0.3) ? oddText(random) : null,
        },
      }),
    ],
    [
      2,
      () => ({
        kind: 'indicator history',
        query: `query ($period: String!, $from: String) { ${organisation} { indicators { history(period: $period) { value } measurements(from: $from) { value } } } }`,
        variables: {
          period: oddPeriod(random),
          from: random.chance(0.5) ? oddPeriod(random) : null,
        },
      }),
    ],
    [
      2,
      () => ({
        kind: `operation ${operation.id}`,
        query: world.documents.find((d) => d.name === `operation ${operation.id}.graphql`)!.query,
        variables: Object.fromEntries(operation.variables.map((name) => [name, oddValue(random)])),
      }),
    ],
    [
      1,
      () => ({
        kind: 'variables not an object',
        query: 'query ($id: ID!) { organisation(id: $id) { id } }',
        variables: oddValue(random),
      }),
    ],
  ])();
}

/** One input of family 2: a write or a query with generated variables, to the gateway or to the subgraph that owns the data. */
export function variablesInput(random: Random, world: World, n: number): FuzzInput {
  const organisation = random.pick(world.organisations);
  const held = world.held.get(organisation)!;
  const caller = world.caller(random, organisation);
  let kind: string;
  let body: unknown;
  let write = false;
  if (random.chance(0.6)) {
    write = true;
    const publish = random.chance(0.08);
    if (publish) {
      // Publishing a period with drafts would write; one the caller may publish is never a period.
      kind = 'publishPeriod';
      const period = caller.mayWrite
        ? random.pick(['2019-13', '', 'never', '2019-Q5', oddText(random)])
        : oddPeriod(random);
      body = {
        query: `mutation ($period: String!) { ${organisation} { publishPeriod(period: $period) { published } } }`,
        variables: { period },
      };
    } else {
      const chosen = random.pick(WRITES);
      kind = chosen.field;
      body = {
        query: `mutation ($rows: ${chosen.type}) { ${organisation} { ${chosen.field}(${chosen.argument}: $rows) { accepted } } }`,
        variables: { rows: rows(random, chosen, held, caller.mayWrite || random.chance(0.2)) },
      };
    }
  } else {
    const chosen = query(random, world);
    kind = chosen.kind;
    body = { query: chosen.query, variables: chosen.variables };
  }
  // Every organisation here is its own publisher: its subgraph is named after it.
  const direct = random.chance(0.3);
  return {
    n,
    family: 'variables',
    kind,
    to: direct ? organisation : 'gateway',
    method: 'POST',
    origin: new URL(direct ? world.subgraphs[organisation]! : world.gateway).origin,
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...caller.headers },
    body: JSON.stringify(body),
    write,
    byWriter: write && caller.mayWrite,
    page: false,
  };
}
