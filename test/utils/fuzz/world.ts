import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadRegistry } from '@crossgov/schema';
import { type AuthConfig, Scope } from '@crossgov/schema/auth';
import { ROOT } from '@crossgov/scripts';
import type { GraphProcess } from '../child-graph.ts';
import { UNIFORM_QUERY } from '../graph.ts';
import { publisherTokenFor, tampered, tokenFor } from '../tokens.ts';
import type { Random } from './random.ts';

/** Who sends a request: its headers, and whether it may write the organisation it is aimed at. */
export interface Caller {
  what: string;
  headers: Record<string, string>;
  /** It may write there, so what it sends must be refused by the rules, not by its token. */
  mayWrite: boolean;
}

/** What the generators know of the running graph: where it is, what it holds, who may call it. */
export interface World {
  gateway: string;
  /** Each subgraph's base URL (ending in "/"), by name. */
  subgraphs: Record<string, string>;
  organisations: string[];
  /** Each organisation's indicators, services, milestones and programmes, as the graph says. */
  held: Map<
    string,
    {
      indicators: { code: string; unit: string; frequency: string }[];
      services: string[];
      milestones: string[];
      programmes: string[];
    }
  >;
  /** Real documents to mutate: the uniform query, the README's, the registered operations'. */
  documents: { name: string; query: string }[];
  operations: { id: string; variables: string[] }[];
  /** A caller for a request about `organisation` (its writer most often). */
  caller(random: Random, organisation: string): Caller;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Reads the graph's organisations and signs every kind of token the fuzz sends. */
export async function readWorld(graph: GraphProcess, auth: AuthConfig): Promise<World> {
  const registry = loadRegistry();
  const organisations = registry.organisations.map((o) => o.id);
  const response = await fetch(graph.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query:
        '{ organisations { id indicators { code unit frequency } services { id } milestones { id } programmes { id } } }',
    }),
  });
  const { data } = (await response.json()) as {
    data: {
      organisations: {
        id: string;
        indicators: { code: string; unit: string; frequency: string }[] | null;
        services: { id: string }[] | null;
        milestones: { id: string }[] | null;
        programmes: { id: string }[] | null;
      }[];
    };
  };
  const held: World['held'] = new Map(
    data.organisations.map((o) => [
      o.id,
      {
        indicators: o.indicators ?? [],
        services: (o.services ?? []).map((s) => s.id),
        milestones: (o.milestones ?? []).map((m) => m.id),
        programmes: (o.programmes ?? []).map((p) => p.id),
      },
    ]),
  );
  const publisherOf = new Map(registry.organisations.map((o) => [o.id, o.publisher]));
  const tokens = new Map<string, Record<string, string>>();
  for (const id of organisations) {
    tokens.set(id, {
      writer: await tokenFor(auth, id, [Scope.WRITE, Scope.READ_DRAFTS]),
      reader: await tokenFor(auth, id, [Scope.READ_DRAFTS]),
      expired: await tokenFor(auth, id, [Scope.WRITE], '-5m'),
      tampered: tampered(await tokenFor(auth, id, [Scope.READ_PUBLISHED])),
      foreign: await tokenFor({ secret: 'not-the-graph-secret-'.padEnd(48, 'z') }, id, [
        Scope.WRITE,
      ]),
      team: await publisherTokenFor(auth, publisherOf.get(id)!, [Scope.PUBLISH, Scope.READ_DRAFTS]),
    });
  }
  const admin = await tokenFor(auth, null, [Scope.ADMIN, Scope.WRITE]);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const operationsDir = join(ROOT, 'gateway', 'operations');
  const operationFiles = readdirSync(operationsDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort();
  return {
    gateway: graph.baseUrl,
    subgraphs: Object.fromEntries(
      Object.entries(graph.subgraphUrls).map(([name, url]) => [name, new URL('.', url).href]),
    ),
    organisations,
    held,
    documents: [
      { name: 'uniform query', query: UNIFORM_QUERY },
      ...[...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match, i) => ({
        name: `README block ${i + 1}`,
        query: match[1]!,
      })),
      ...operationFiles.map((file) => ({
        name: `operation ${file}`,
        query: readFileSync(join(operationsDir, file), 'utf8'),
      })),
      {
        name: 'directory query',
        query: '{ departments { code name memberships { from to } } publishers { id } }',
      },
      {
        name: 'organisation query',
        query: '{ hmrc { indicators { code latest { period value } } services { id name } } }',
      },
      {
        name: 'league query',
        query:
          '{ government { league(indicator: "ss-invoices-paid-5-days") { period reported rows { rank value } } } }',
      },
      { name: 'changes query', query: '{ norfolk { changes(limit: 5) { key } } }' },
    ],
    operations: operationFiles.map((file) => {
      const text = readFileSync(join(operationsDir, file), 'utf8');
      return {
        id: file.replace(/\.graphql$/, ''),
        variables: [...text.matchAll(/\$(\w+):/g)].map((m) => m[1]!),
      };
    }),
    caller: (random, organisation) => {
      const own = tokens.get(organisation) ?? tokens.get('hmrc')!;
      const other = tokens.get(random.pick(organisations.filter((o) => o !== organisation)))!;
      return random.weighted<() => Caller>([
        [46, () => ({ what: 'its writer', headers: bearer(own.writer!), mayWrite: true })],
        [
          5,
          () => ({
            what: 'its writer, as x-api-key',
            headers: { 'x-api-key': own.writer! },
            mayWrite: true,
          }),
        ],
        [
          4,
          () => ({ what: "its publisher's data team", headers: bearer(own.team!), mayWrite: true }),
        ],
        [2, () => ({ what: 'an administrator', headers: bearer(admin), mayWrite: true })],
        [14, () => ({ what: 'anonymous', headers: {}, mayWrite: false })],
        [
          10,
          () => ({
            what: "another organisation's writer",
            headers: bearer(other.writer!),
            mayWrite: false,
          }),
        ],
        [5, () => ({ what: 'its reader', headers: bearer(own.reader!), mayWrite: false })],
        [4, () => ({ what: 'an expired token', headers: bearer(own.expired!), mayWrite: false })],
        [3, () => ({ what: 'a tampered token', headers: bearer(own.tampered!), mayWrite: false })],
        [
          3,
          () => ({
            what: 'a token signed with another secret',
            headers: bearer(own.foreign!),
            mayWrite: false,
          }),
        ],
        [
          2,
          () => ({
            what: 'a malformed authorization header',
            headers: {
              authorization: random.pick([
                'Bearer',
                'Bearer ',
                'Basic dXNlcjpwYXNz',
                'Bearer a.b.c',
                `Bearer ${own.writer!.slice(0, -3)}`,
                'Bearer \u00ff\u00fe',
              ]),
            },
            mayWrite: false,
          }),
        ],
      ])();
    },
  };
}
