import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type GraphQLResponse, type TestGraph, startTestGraph } from '@crossgov/testing/graph';
import { invalidTokens, tokenFor as issueToken, publisherTokenFor } from '@crossgov/testing/tokens';

const auth: AuthConfig = { secret: 'writes-e2e-secret-'.padEnd(48, 's') };

const tokenFor = (organisation: string | null, scopes: Scope[]) =>
  issueToken(auth, organisation, scopes);
const dataTeamTokenFor = (publisher: string, scopes: Scope[]) =>
  publisherTokenFor(auth, publisher, scopes);

async function post<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

interface Holdings {
  indicators: { code: string; frequency: string }[];
  programmes: { id: string }[];
  milestones: { id: string }[];
}

/**
 * Who writes: 0, the organisation's own officer; 1, its publisher's data team. Each writes its own
 * record (another period or date), so every write is a new one that counts 1.
 */
type Writer = 0 | 1;

/**
 * Periods that have ended by the graph's today (2026-11-21), of the indicator's frequency, that no
 * seeded series holds a figure for (synthetic series run from 2024-Q2 to 2026-09; Norfolk's to 2019-02).
 */
const FRESH: Record<string, [string, string]> = {
  MONTHLY: ['2026-10', '2023-12'],
  QUARTERLY: ['2023-Q4', '2023-Q3'],
  ANNUAL: ['2022', '2021'],
};
const freshPeriod = (h: Holdings, writer: Writer) => FRESH[h.indicators[0]!.frequency]![writer];

/**
 * Every mutation of an organisation, with what it sends given that organisation's data and the
 * field of its answer that counts what it wrote. (File imports have their own matrix in imports.e2e.)
 */
const WRITES = {
  submitMeasurements: {
    mutation: (id: string) =>
      `mutation ($measurements: [MeasurementInput!]!) { ${id} { submitMeasurements(measurements: $measurements) { accepted } } }`,
    variables: (h: Holdings, writer: Writer) => ({
      measurements: [
        { indicatorCode: h.indicators[0]!.code, period: freshPeriod(h, writer), value: 50 },
      ],
    }),
    needs: null,
  },
  publishPeriod: {
    mutation: (id: string) =>
      `mutation ($period: String!) { ${id} { publishPeriod(period: $period) { published } } }`,
    variables: (h: Holdings, writer: Writer) => ({ period: freshPeriod(h, writer) }),
    needs: null,
  },
  setTargets: {
    mutation: (id: string) =>
      `mutation ($targets: [TargetInput!]!) { ${id} { setTargets(targets: $targets) { accepted } } }`,
    variables: (h: Holdings, writer: Writer) => ({
      targets: [
        {
          indicatorCode: h.indicators[0]!.code,
          fromPeriod: ['2031-01', '2032-01'][writer]!,
          value: 50,
        },
      ],
    }),
    needs: null,
  },
  recordMilestoneReturns: {
    mutation: (id: string) =>
      `mutation ($returns: [MilestoneReturnInput!]!) { ${id} { recordMilestoneReturns(returns: $returns) { accepted } } }`,
    variables: (h: Holdings, writer: Writer) => ({
      returns: [
        {
          milestoneId: h.milestones[0]?.id ?? 'no-such-milestone',
          returnDate: ['2026-11-20', '2026-11-19'][writer]!,
          forecast: '2027-Q2',
        },
      ],
    }),
    needs: 'milestoneId',
  },
  recordConfidenceAssessments: {
    mutation: (id: string) =>
      `mutation ($assessments: [ConfidenceAssessmentInput!]!) { ${id} { recordConfidenceAssessments(assessments: $assessments) { accepted } } }`,
    variables: (h: Holdings, writer: Writer) => ({
      assessments: [
        {
          programmeId: h.programmes[0]?.id ?? 'no-such-programme',
          assessor: 'SRO',
          assessedOn: ['2026-11-20', '2026-11-19'][writer]!,
          scale: 'THREE_POINT',
          rating: 'AMBER',
        },
      ],
    }),
    needs: 'programmeId',
  },
} as const;

describe(`writes through the gateway on ${STORAGE}`, () => {
  let graph: TestGraph;
  const holdings = new Map<string, Holdings>();
  beforeAll(async () => {
    graph = await startTestGraph({ auth });
    for (const organisation of graph.registry.organisations) {
      const { data, errors } = await post<Record<string, Holdings>>(
        graph.gatewayUrl,
        `{ ${organisation.id} { indicators { code frequency } programmes { id } milestones { id } } }`,
        {},
      );
      expect(errors).toBeUndefined();
      holdings.set(organisation.id, data![organisation.id]!);
    }
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('knows which organisations have programmes and milestones to write to', () => {
    const without = (pick: (h: Holdings) => unknown[]) =>
      [...holdings]
        .filter(([, h]) => pick(h).length === 0)
        .map(([id]) => id)
        .sort();
    expect(without((h) => h.indicators)).toEqual([]);
    expect(without((h) => h.programmes)).toEqual(['hmrc', 'norfolk']);
    expect(without((h) => h.milestones)).toEqual(['hmrc', 'interoperability', 'norfolk']);
  });

  // Each mutation, for every organisation, from the owner and its publisher's data team, and from
  // every caller that must be refused. Run in this order: publishPeriod publishes the drafts
  // submitMeasurements left. (For the checked-in organisations each is its own publisher.)
  it.each(Object.keys(WRITES) as (keyof typeof WRITES)[])(
    "%s: lets each organisation and its publisher's data team write its data, and refuses other organisations and publishers, anonymous callers, read-only, expired, tampered and wrongly signed tokens",
    async (field) => {
      const write = WRITES[field];
      const organisations = graph.registry.organisations;
      for (const [i, { id, publisher }] of organisations.entries()) {
        const h = holdings.get(id)!;
        const mutation = write.mutation(id);
        const variables = write.variables(h, 0);
        const other = organisations[(i + 1) % organisations.length]!;
        expect(other.publisher, id).not.toBe(publisher);

        const writers: [string, string, Writer][] = [
          ["the owner's write token", await tokenFor(id, [Scope.WRITE]), 0],
          [
            `publisher ${publisher}'s data team token`,
            await dataTeamTokenFor(publisher, [Scope.PUBLISH]),
            1,
          ],
        ];
        for (const [who, token, writer] of writers) {
          const own = await post<
            Record<string, Record<string, { accepted?: number; published?: number }>>
          >(graph.gatewayUrl, mutation, write.variables(h, writer), token);
          const missing =
            write.needs === 'milestoneId'
              ? h.milestones.length === 0
              : write.needs === 'programmeId'
                ? h.programmes.length === 0
                : false;
          if (missing) {
            // Nothing of this organisation to write to: the writer gets past authorisation to the rule that names the missing record.
            expect(own.errors?.[0]?.extensions?.code, `${id}, ${who}`).toBe('BAD_USER_INPUT');
            expect(own.errors?.[0]?.message, `${id}, ${who}`).toMatch(
              new RegExp(`${write.needs} "no-such-[a-z]+" is not a [a-z]+ of ${id}`),
            );
          } else {
            expect(own.errors, `${id}, ${who}`).toBeUndefined();
            const answer = own.data![id]![field]!;
            expect(answer.accepted ?? answer.published, `${id}, ${who}`).toBe(1);
          }
        }

        const refusals: [string, string | undefined, string, string?][] = [
          [
            "another organisation's write token",
            await tokenFor(other.id, [Scope.WRITE, Scope.READ_DRAFTS]),
            'FORBIDDEN',
          ],
          [
            `another publisher's (${other.publisher}) data team token`,
            await dataTeamTokenFor(other.publisher, [Scope.PUBLISH, Scope.READ_DRAFTS]),
            'FORBIDDEN',
          ],
          [
            "its publisher's token without the publish scope",
            await dataTeamTokenFor(publisher, [Scope.WRITE, Scope.READ_DRAFTS]),
            'FORBIDDEN',
          ],
          ['no token', undefined, 'UNAUTHENTICATED'],
          [
            "the owner's read-only token",
            await tokenFor(id, [Scope.READ_PUBLISHED, Scope.READ_DRAFTS]),
            'FORBIDDEN',
          ],
          ...(await invalidTokens(auth, id)).map(
            ({ what, token, reason }): [string, string, string, string] => [
              what,
              token,
              'UNAUTHENTICATED',
              reason,
            ],
          ),
        ];
        for (const [who, token, code, reason] of refusals) {
          const refused = await post(graph.gatewayUrl, mutation, variables, token);
          expect(refused.data?.[id as never] ?? null, `${id}, ${who}`).toBeNull();
          expect(refused.errors?.[0]?.extensions, `${id}, ${who}`).toMatchObject({
            code,
            ...(reason ? { reason } : {}),
          });
        }
      }
    },
  );

  it("moves a milestone's forecast with a new return and shows the change, naming who made it only to the owner", async () => {
    const owner = await tokenFor('matrix', [Scope.WRITE, Scope.READ_DRAFTS]);
    const milestoneId = holdings.get('matrix')!.milestones.at(-1)!.id;
    const MILESTONES = `query ($key: String) {
      matrix {
        milestones { id forecast { label precision } forecastHistory { returnDate forecast { label } note } }
        changes(record: "milestone-return", key: $key) { record key previous current actor at }
      }
    }`;
    interface Read {
      matrix: {
        milestones: {
          id: string;
          forecast: { label: string; precision: string } | null;
          forecastHistory: {
            returnDate: string;
            forecast: { label: string };
            note: string | null;
          }[];
        }[];
        changes: {
          record: string;
          key: string;
          previous: string | null;
          current: string;
          actor: string | null;
          at: string;
        }[];
      };
    }
    const key = `${milestoneId}@2026-11-21`;
    const before = await post<Read>(graph.gatewayUrl, MILESTONES, { key });
    expect(before.errors).toBeUndefined();
    const history = before.data!.matrix.milestones.find(
      (m) => m.id === milestoneId,
    )!.forecastHistory;
    expect(before.data!.matrix.changes).toEqual([]);

    const recorded = await post(
      graph.gatewayUrl,
      'mutation ($returns: [MilestoneReturnInput!]!) { matrix { recordMilestoneReturns(returns: $returns) { accepted } } }',
      {
        returns: [
          {
            milestoneId,
            returnDate: '2026-11-21',
            forecast: '2030-03',
            note: 'Moved in the November return',
          },
        ],
      },
      owner,
    );
    expect(recorded).toEqual({ data: { matrix: { recordMilestoneReturns: { accepted: 1 } } } });

    const after = await post<Read>(graph.gatewayUrl, MILESTONES, { key }, owner);
    expect(after.errors).toBeUndefined();
    const milestone = after.data!.matrix.milestones.find((m) => m.id === milestoneId)!;
    expect(milestone.forecast).toEqual({ label: '2030-03', precision: 'MONTH' });
    expect(milestone.forecastHistory.map((s) => s.returnDate)).toEqual([
      ...history.map((s) => s.returnDate),
      '2026-11-21',
    ]);
    const [change, ...rest] = after.data!.matrix.changes;
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      record: 'milestone-return',
      key,
      previous: null,
      actor: 'matrix-officer',
    });
    expect(JSON.parse(change!.current)).toMatchObject({
      milestoneId,
      returnDate: '2026-11-21',
      forecastDate: '2030-03-01',
      forecastPrecision: 'MONTH',
      note: 'Moved in the November return',
    });
    expect(Date.parse(change!.at)).not.toBeNaN();

    const anonymous = await post<Read>(graph.gatewayUrl, MILESTONES, { key });
    expect(anonymous.data!.matrix.changes.map((c) => [c.key, c.actor])).toEqual([[key, null]]);
  });
});
