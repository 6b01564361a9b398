import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Registry, parseRegistry } from '@crossgov/schema';
import { ANONYMOUS, Scope, issueToken } from '@crossgov/schema/auth';
import {
  STORAGE,
  TEST_DATABASE_URL,
  dropSchemas,
  freshSchemaName,
} from '@crossgov/testing/database';
import { type DirectoryDatabase, openDirectoryDatabase } from './db/client.ts';
import { syncDirectory } from './seed/sync.ts';
import { createDirectoryServer } from './server.ts';
import { startDirectorySubgraph } from './start.ts';

// A cluster whose membership changed on a day (BEIS split on 2023-02-07), and a department that
// reports as an organisation of its own.
const MATRIX = {
  id: 'matrix',
  name: 'Matrix',
  kind: 'CLUSTER',
  lead: 'DSIT',
  members: [
    { department: 'CO', from: '2021-03-01' },
    { department: 'BEIS', from: '2021-03-01', to: '2023-02-06' },
    { department: 'DSIT', from: '2023-02-07' },
  ],
  subgraph: { url: 'http://127.0.0.1:4101/graphql' },
};
const HMRC = {
  id: 'hmrc',
  name: 'HM Revenue and Customs',
  kind: 'DEPARTMENT',
  lead: 'HMRC',
  subgraph: { url: 'http://127.0.0.1:4102/graphql' },
};
const registryOf = (...organisations: object[]): Registry =>
  parseRegistry({
    directory: { url: 'http://127.0.0.1:4001/graphql' },
    insights: { url: 'http://127.0.0.1:4002/graphql' },
    organisations,
  });

const registry = registryOf(MATRIX, HMRC);
const auth = { secret: 'directory-unit-secret-'.padEnd(40, 'd') };
const TODAY = '2024-06-01';

type Result<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};
type Members = { members: { departmentCode: string; from: string; to: string | null }[] };

describe(`the directory subgraph on ${STORAGE}`, () => {
  const schema = freshSchemaName('directory');
  let database: DirectoryDatabase;
  let directory: Awaited<ReturnType<typeof createDirectoryServer>>;
  const run = async <T>(query: string): Promise<Result<T>> => {
    const response = await directory.server.executeOperation(
      { query },
      { contextValue: await directory.context() },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult as Result<T>;
  };
  const data = async <T>(query: string): Promise<T> => {
    const { data, errors } = await run<T>(query);
    if (errors) throw new Error(JSON.stringify(errors));
    return data!;
  };

  beforeAll(async () => {
    database = await openDirectoryDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
    await syncDirectory(database.db, registry);
    directory = await createDirectoryServer({ registry, database, auth, today: () => TODAY });
    await directory.server.start();
  });
  afterAll(async () => {
    await directory?.server.stop();
    await database?.close();
    await dropSchemas(schema);
  });

  it('answers every organisation in the registry it synced, of one kind when asked, with its publisher and lead', async () => {
    const all = await data<{
      organisations: {
        id: string;
        name: string;
        kind: string;
        publisher: { id: string; typeName: string; own: boolean };
        lead: { code: string } | null;
      }[];
    }>('{ organisations { id name kind publisher { id typeName own } lead { code } } }');
    expect(all.organisations).toEqual([
      {
        id: 'matrix',
        name: 'Matrix',
        kind: 'CLUSTER',
        publisher: { id: 'matrix', typeName: 'MatrixCluster', own: true },
        lead: { code: 'DSIT' },
      },
      {
        id: 'hmrc',
        name: 'HM Revenue and Customs',
        kind: 'DEPARTMENT',
        publisher: { id: 'hmrc', typeName: 'HmrcDepartment', own: true },
        lead: { code: 'HMRC' },
      },
    ]);
    const clusters = await data<{ organisations: { id: string }[] }>(
      '{ organisations(kind: CLUSTER) { id } }',
    );
    expect(clusters.organisations).toEqual([{ id: 'matrix' }]);
  });

  it('answers departments, former ones included, each with its memberships and its own organisation', async () => {
    const { departments } = await data<{ departments: { code: string; name: string }[] }>(
      '{ departments { code name } }',
    );
    expect(departments.map((d) => d.code)).toEqual(
      expect.arrayContaining(['CO', 'BEIS', 'DSIT', 'HMRC']),
    );
    expect(departments.find((d) => d.code === 'BEIS')!.name).toBe(
      'Department for Business, Energy and Industrial Strategy',
    );

    const { beis, hmrc } = await data<{
      beis: {
        memberships: { organisationId: string; organisationName: string; to: string | null }[];
      };
      hmrc: { organisationId: string | null };
    }>(
      '{ beis: department(code: "beis") { memberships { organisationId organisationName to } } hmrc: department(code: "HMRC") { organisationId } }',
    );
    expect(beis.memberships).toEqual([
      { organisationId: 'matrix', organisationName: 'Matrix', to: '2023-02-06' },
    ]);
    expect(hmrc.organisationId).toBe('hmrc');
  });

  it("answers a cluster's members on the day asked for, today's by default, and its whole history", async () => {
    const query = (args: string) =>
      `{ organisation(id: "matrix") { ... on MatrixCluster { members${args} { departmentCode from to } } } }`;
    const codes = async (args: string) =>
      (await data<{ organisation: Members }>(query(args))).organisation.members
        .map((m) => m.departmentCode)
        .sort();
    expect(await codes('(asOf: "2022-06-01")')).toEqual(['BEIS', 'CO']);
    // BEIS's last day, then DSIT's first.
    expect(await codes('(asOf: "2023-02-06")')).toEqual(['BEIS', 'CO']);
    expect(await codes('(asOf: "2023-02-07")')).toEqual(['CO', 'DSIT']);
    expect(await codes('')).toEqual(['CO', 'DSIT']);
    const history = await data<{
      organisation: { membershipHistory: { departmentCode: string }[] };
    }>(
      '{ organisation(id: "matrix") { ... on MatrixCluster { membershipHistory { departmentCode } } } }',
    );
    expect(history.organisation.membershipHistory.map((m) => m.departmentCode).sort()).toEqual([
      'BEIS',
      'CO',
      'DSIT',
    ]);
  });

  it('refuses a membership day that is not a full date as bad input, naming the argument', async () => {
    const { errors } = await run(
      '{ organisation(id: "matrix") { ... on MatrixCluster { members(asOf: "2023-02") { departmentCode } } } }',
    );
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
  });

  // Null, as the schema promises ("null when there is none"), not a NOT_FOUND error; an entity
  // asked for under another publisher's type is none of that type's.
  it('answers null for an unknown organisation, department or entity', async () => {
    const unknown = await data<{
      organisation: null;
      department: null;
      _entities: ({ id: string } | null)[];
    }>(
      '{ organisation(id: "nowhere") { id } department(code: "XYZ") { code } _entities(representations: [{ __typename: "MatrixCluster", id: "nowhere" }, { __typename: "MatrixCluster", id: "hmrc" }, { __typename: "MatrixCluster", id: "matrix" }]) { ... on MatrixCluster { id } } }',
    );
    expect(unknown).toEqual({
      organisation: null,
      department: null,
      _entities: [null, null, { id: 'matrix' }],
    });
  });

  it("puts the caller it verified itself in the context: anonymous without a token, the token's organisation and scopes with one", async () => {
    expect((await directory.context()).principal).toBe(ANONYMOUS);
    const token = await issueToken(auth, {
      subject: 'ana',
      organisation: 'matrix',
      scopes: [Scope.WRITE],
      expiresIn: '5m',
    });
    const { principal } = await directory.context({
      req: { headers: { authorization: `Bearer ${token}` } },
    });
    expect(principal).toMatchObject({ subject: 'ana', organisation: 'matrix', anonymous: false });
    expect(principal.scopes.has(Scope.WRITE)).toBe(true);
    const forged = await issueToken(
      { secret: 'x'.repeat(40) },
      { subject: 'ana', organisation: 'matrix', scopes: [], expiresIn: '5m' },
    );
    await expect(
      directory.context({ req: { headers: { authorization: `Bearer ${forged}` } } }),
    ).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' } });
  });
});

describe(`the directory served on loopback on ${STORAGE}`, () => {
  const schema = freshSchemaName('directory');
  afterAll(async () => {
    await dropSchemas(schema);
  });

  const post = async (url: string, query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as Result<{ organisations: { id: string }[] }>;
  };

  it('serves the registry it synced as it started, refuses a forged token, and agrees with a changed registry when started again', async () => {
    const options = { databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, port: 0, auth };
    const first = await startDirectorySubgraph({ ...options, registry });
    try {
      expect((await post(first.url, '{ organisations { id } }')).data?.organisations).toEqual([
        { id: 'matrix' },
        { id: 'hmrc' },
      ]);
      const forged = await issueToken(
        { secret: 'x'.repeat(40) },
        { subject: 'ana', organisation: 'matrix', scopes: [], expiresIn: '5m' },
      );
      const refused = await post(first.url, '{ organisations { id } }', {
        authorization: `Bearer ${forged}`,
      });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      await first.stop();
    }
    // HMRC has left the registry: the sync on start removes it.
    const second = await startDirectorySubgraph({ ...options, registry: registryOf(MATRIX) });
    try {
      expect((await post(second.url, '{ organisations { id } }')).data?.organisations).toEqual([
        { id: 'matrix' },
      ]);
    } finally {
      await second.stop();
    }
  });
});
