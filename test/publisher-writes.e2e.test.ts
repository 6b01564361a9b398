import { type AuthConfig, Scope, issueToken } from '@crossgov/schema/auth';
import { generateGovernment } from '@crossgov/scripts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { type TestGraph, postGraphQL, startTestGraph } from '@crossgov/testing/graph';
import { snapshotTables } from '@crossgov/testing/snapshot';
import { invalidTokens, tokenFor } from '@crossgov/testing/tokens';

// Ownership inside publishers (docs/architecture.md, "Publishers"): an organisation's token writes
// its own rows only, whoever publishes them; a publisher's data team (`pub` claim, `publish` scope)
// writes for every organisation its publisher serves and no other. Tested through the gateway, for
// an organisation that is its own publisher (synergy) and one of a sector body's (nhs-england-001).

const auth: AuthConfig = { secret: 'publisher-writes-e2e-secret-'.padEnd(48, 'p') };
const registry = generateGovernment({
  withRegistry: true,
  singles: 0,
  sectors: [
    { id: 'nhs-england', name: 'NHS England', typeName: 'NhsTrust', kind: 'NHS_TRUST', count: 3 },
    {
      id: 'improvement-service',
      name: 'Improvement Service',
      typeName: 'ScottishCouncil',
      kind: 'LOCAL_AUTHORITY',
      count: 2,
    },
  ],
});

const publisherToken = (publisher: string, scopes: Scope[]) =>
  issueToken(auth, {
    subject: `${publisher}-data-team`,
    organisation: null,
    publisher,
    scopes,
    expiresIn: '1h',
  });

const post = postGraphQL;

/** The two organisations written to: one its own publisher, one of a sector body's, with a figure each may send. */
const TARGETS = {
  synergy: {
    mutation:
      'mutation ($m: [MeasurementInput!]!) { synergy { submitMeasurements(measurements: $m) { accepted } } }',
    figure: {
      indicatorCode: 'ss-invoices-paid-5-days',
      period: '2026-10',
      numerator: 900,
      denominator: 1000,
    },
    history:
      '{ synergy { indicators { code history(period: "2026-10") { status value actor } } } }',
    read: (data: Record<string, unknown>) =>
      (data.synergy as { indicators: { code: string; history: { actor: string }[] }[] }).indicators,
  },
  'nhs-england-001': {
    mutation:
      'mutation ($m: [MeasurementInput!]!) { nhsEngland(organisation: "nhs-england-001") { submitMeasurements(measurements: $m) { accepted } } }',
    figure: {
      indicatorCode: 'gds-user-satisfaction',
      period: '2026-10',
      numerator: 412,
      denominator: 500,
    },
    history:
      '{ nhsEngland(id: "nhs-england-001") { indicators { code history(period: "2026-10") { status value actor } } } }',
    read: (data: Record<string, unknown>) =>
      (data.nhsEngland as { indicators: { code: string; history: { actor: string }[] }[] })
        .indicators,
  },
} as const;
type Target = keyof typeof TARGETS;

interface Case {
  who: string;
  token: () => Promise<string | undefined>;
  /** What each target answers: the code of the refusal, or null when the write goes through. */
  expect: Record<Target, string | null>;
  subject?: string;
}

const CASES: Case[] = [
  {
    who: "synergy's own token",
    token: () => tokenFor(auth, 'synergy', [Scope.WRITE]),
    expect: { synergy: null, 'nhs-england-001': 'FORBIDDEN' },
    subject: 'synergy-officer',
  },
  {
    who: "the trust's own token",
    token: () => tokenFor(auth, 'nhs-england-001', [Scope.WRITE]),
    expect: { synergy: 'FORBIDDEN', 'nhs-england-001': null },
    subject: 'nhs-england-001-officer',
  },
  {
    who: 'another trust of the same publisher',
    token: () => tokenFor(auth, 'nhs-england-002', [Scope.WRITE]),
    expect: { synergy: 'FORBIDDEN', 'nhs-england-001': 'FORBIDDEN' },
  },
  {
    who: "NHS England's data team",
    token: () => publisherToken('nhs-england', [Scope.PUBLISH]),
    expect: { synergy: 'FORBIDDEN', 'nhs-england-001': null },
    subject: 'nhs-england-data-team',
  },
  {
    who: "NHS England's token without the publish scope",
    token: () => publisherToken('nhs-england', [Scope.READ_DRAFTS]),
    expect: { synergy: 'FORBIDDEN', 'nhs-england-001': 'FORBIDDEN' },
  },
  {
    who: "another publisher's data team",
    token: () => publisherToken('improvement-service', [Scope.PUBLISH]),
    expect: { synergy: 'FORBIDDEN', 'nhs-england-001': 'FORBIDDEN' },
  },
  {
    who: "Synergy's own publisher token",
    token: () => publisherToken('synergy', [Scope.PUBLISH]),
    expect: { synergy: null, 'nhs-england-001': 'FORBIDDEN' },
    subject: 'synergy-data-team',
  },
  {
    who: 'a read-only token of the organisation',
    token: () => tokenFor(auth, 'nhs-england-001', [Scope.READ_DRAFTS]),
    expect: { synergy: 'FORBIDDEN', 'nhs-england-001': 'FORBIDDEN' },
  },
  {
    who: 'an anonymous caller',
    token: async () => undefined,
    expect: { synergy: 'UNAUTHENTICATED', 'nhs-england-001': 'UNAUTHENTICATED' },
  },
];

describe(`writes to organisations of one and of many per publisher, through the gateway, on ${STORAGE}`, () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ registry, auth, serviceCount: 2 });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  for (const target of Object.keys(TARGETS) as Target[]) {
    it(`submitMeasurements for ${target}: the authorisation matrix, with every write recording who made it`, async () => {
      const { mutation, figure, history, read } = TARGETS[target];
      const database = graph.organisations.get(target)!.database;
      for (const c of CASES) {
        const before = await snapshotTables(database);
        const token = await c.token();
        const answer = await post<
          Record<string, { submitMeasurements: { accepted: number } } | null>
        >(graph.gatewayUrl, mutation, { m: [figure] }, token);
        const refusal = c.expect[target];
        if (refusal === null) {
          expect(answer.errors, `${c.who} writing ${target}`).toBeUndefined();
          const drafts = await post<Record<string, unknown>>(
            graph.gatewayUrl,
            history,
            {},
            await tokenFor(auth, target, [Scope.READ_DRAFTS]),
          );
          const figures = read(drafts.data!).find((i) => i.code === figure.indicatorCode)!.history;
          expect(figures.at(-1)!.actor, `${c.who} is recorded as the actor`).toBe(c.subject);
        } else {
          expect(answer.errors?.[0]?.extensions?.code, `${c.who} writing ${target}`).toBe(refusal);
          expect(await snapshotTables(database), `${c.who} wrote nothing to ${target}`).toEqual(
            before,
          );
        }
      }
      for (const invalid of await invalidTokens(auth, target)) {
        const answer = await post(graph.gatewayUrl, mutation, { m: [figure] }, invalid.token);
        expect(answer.errors?.[0]?.extensions, invalid.what).toMatchObject({
          code: 'UNAUTHENTICATED',
          reason: invalid.reason,
        });
      }
    });
  }

  it("lets NHS England's data team import one file for several of its trusts, and refuses a row of an organisation it does not serve", async () => {
    const base = new URL('.', graph.gatewayUrl).href;
    const send = async (body: string, token?: string) => {
      const response = await fetch(`${base}publishers/nhs-england/imports?publish=true`, {
        method: 'POST',
        headers: {
          'content-type': 'text/csv',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body,
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          data?: { organisations: string[]; measurements: number };
          errors?: {
            message: string;
            extensions: {
              code: string;
              problems?: { row: number; field: string; value: unknown; rule: string }[];
            };
          }[];
        },
      };
    };
    const rows = [
      'organisation,indicator_code,period,numerator,denominator',
      'nhs-england-002,gds-user-satisfaction,2026-10,400,500',
      'nhs-england-003,gds-user-satisfaction,2026-10,450,500',
    ];
    const team = await publisherToken('nhs-england', [Scope.PUBLISH]);
    const database = graph.publishers.get('nhs-england')!.database;

    const before = await snapshotTables(database);
    const foreign = await send(
      [...rows, 'improvement-service-001,gds-user-satisfaction,2026-10,1,2'].join('\n'),
      team,
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors![0]!.extensions.problems).toEqual([
      {
        row: 4,
        field: 'organisation',
        value: 'improvement-service-001',
        rule: expect.stringContaining('is not an organisation this publisher serves'),
      },
    ]);
    expect(await snapshotTables(database)).toEqual(before);

    // A trust's own token may not write its neighbour's rows through the publisher's import.
    const neighbour = await send(
      rows.join('\n'),
      await tokenFor(auth, 'nhs-england-002', [Scope.WRITE]),
    );
    expect(neighbour.status).toBe(403);
    expect(await snapshotTables(database)).toEqual(before);
    expect((await send(rows.join('\n'))).status).toBe(401);
    expect(
      (await send(rows.join('\n'), await publisherToken('improvement-service', [Scope.PUBLISH])))
        .status,
    ).toBe(403);

    const imported = await send(rows.join('\n'), team);
    expect(imported.status).toBe(200);
    expect(imported.body.data).toMatchObject({
      organisations: ['nhs-england-002', 'nhs-england-003'],
      measurements: 2,
    });
    const { data } = await graph.query<{
      organisations: {
        id: string;
        indicators: { code: string; measurements: { period: string; value: number }[] }[];
      }[];
    }>(
      '{ organisations(kind: NHS_TRUST) { id indicators { code measurements(from: "2026-10") { period value } } } }',
    );
    const satisfaction = (id: string) =>
      data!.organisations
        .find((o) => o.id === id)!
        .indicators.find((i) => i.code === 'gds-user-satisfaction')!.measurements;
    expect(satisfaction('nhs-england-002')).toEqual([{ period: '2026-10', value: 80 }]);
    expect(satisfaction('nhs-england-003')).toEqual([{ period: '2026-10', value: 90 }]);
  });

  it("shows a trust's drafts to its publisher's data team and to the trust, never to another trust", async () => {
    const query =
      '{ nhsEngland(id: "nhs-england-001") { indicators { code measurements(from: "2026-10") { period draft } } } }';
    const drafts = async (token?: string) => {
      const { data, errors } = await post<{
        nhsEngland: { indicators: { code: string; measurements: { draft: boolean }[] }[] };
      }>(graph.gatewayUrl, query, {}, token);
      expect(errors).toBeUndefined();
      return data!.nhsEngland.indicators
        .find((i) => i.code === 'gds-user-satisfaction')!
        .measurements.filter((m) => m.draft).length;
    };
    expect(await drafts(await tokenFor(auth, 'nhs-england-001', [Scope.READ_DRAFTS]))).toBe(1);
    expect(await drafts(await publisherToken('nhs-england', [Scope.READ_DRAFTS]))).toBe(1);
    expect(await drafts(await tokenFor(auth, 'nhs-england-002', [Scope.READ_DRAFTS]))).toBe(0);
    expect(await drafts(await publisherToken('improvement-service', [Scope.READ_DRAFTS]))).toBe(0);
    expect(await drafts()).toBe(0);
  });
});
