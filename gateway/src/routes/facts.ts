import {
  type ErrorCode,
  OrganisationKind,
  RequestError,
  badRequestInput,
  isRefusal,
} from '@crossgov/schema';
import {
  type Express,
  type Request,
  type Response,
  sendError,
  sendRefusal,
} from '@crossgov/schema/server';
import type { Logger } from 'pino';
import { csvLines } from '../tabular/csv.ts';
import type { FlatRow } from '../tabular/flatten.ts';
import { withoutDeadline } from '../plugins/auth.ts';
import { type QueryResult, type QueryRunner, wantsCsv } from './run-query.ts';

/** The columns of a fact, in order: who, what, when, the figure, how it is judged, its state. */
export const FACT_COLUMNS = [
  'organisationId',
  'organisationName',
  'kind',
  'clusterId',
  'cluster',
  'indicatorCode',
  'indicatorName',
  'unit',
  'polarity',
  'serviceId',
  'serviceName',
  'department',
  'period',
  'periodType',
  'periodStart',
  'periodEnd',
  'value',
  'numerator',
  'denominator',
  'target',
  'rag',
  'spcSignal',
  'status',
  'synthetic',
  'updatedAt',
] as const;

const SUBGRAPH_FIELDS = FACT_COLUMNS.slice(5).join(' ');
const PARAMETERS = [
  'organisations',
  'kinds',
  'indicators',
  'from',
  'to',
  'updatedSince',
  'breakdown',
  'pageSize',
  'cursor',
  'all',
  'format',
];
const DEFAULT_PAGE = 1000;
const MAX_PAGE = 10_000;
/** Rows asked of a subgraph at a time when streaming everything: bounds the gateway's memory. */
const STREAM_CHUNK = 5000;

interface Organisation {
  id: string;
  name: string;
  kind: string;
  clusterId: string | null;
  cluster: string | null;
}

interface FactsRequest {
  organisations: Organisation[];
  variables: Record<string, unknown>;
  pageSize: number;
  cursor: { organisation: string; after: string | null } | null;
  all: boolean;
}

const list = (value: unknown): string[] | null =>
  typeof value === 'string' && value.trim() !== ''
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : null;
const one = (req: Request, name: string): string | undefined => {
  const value = req.query[name];
  if (Array.isArray(value)) throw badRequestInput(name, value, 'must be given once');
  return typeof value === 'string' ? value : undefined;
};

const DIRECTORY =
  '{ organisations { id name kind lead { code } members { department { code } } } }';

interface DirectoryEntry {
  id: string;
  name: string;
  kind: string;
  lead: { code: string } | null;
  members: { department: { code: string } }[];
}

/** Each organisation with its cluster: a cluster is its own; a department's is the cluster its lead code is a member of today. */
function withClusters(entries: DirectoryEntry[]): Organisation[] {
  const clusters = entries.filter((e) => e.kind === OrganisationKind.CLUSTER);
  return entries.map((e) => {
    const cluster =
      e.kind === OrganisationKind.CLUSTER
        ? e
        : e.kind === OrganisationKind.DEPARTMENT && e.lead
          ? clusters.find((c) => c.members.some((m) => m.department.code === e.lead!.code))
          : undefined;
    return {
      id: e.id,
      name: e.name,
      kind: e.kind,
      clusterId: cluster?.id ?? null,
      cluster: cluster?.name ?? null,
    };
  });
}

async function readRequest(req: Request, run: QueryRunner): Promise<FactsRequest> {
  for (const name of Object.keys(req.query)) {
    if (!PARAMETERS.includes(name))
      throw badRequestInput(
        'parameter',
        name,
        `is not a facts parameter; the parameters are ${PARAMETERS.join(', ')}`,
      );
  }
  const directory = await run(req, DIRECTORY);
  if (!directory.data)
    throw graphFailed(directory, 'the directory did not answer', (message) => message);
  let organisations = withClusters(directory.data.organisations as DirectoryEntry[]);
  const ids = list(one(req, 'organisations'));
  if (ids) {
    const unknown = ids.filter((id) => !organisations.some((o) => o.id === id));
    if (unknown.length > 0)
      throw badRequestInput(
        'organisations',
        unknown.join(','),
        `names no organisation in this graph; the organisations are ${organisations.map((o) => o.id).join(', ')}`,
      );
    organisations = organisations.filter((o) => ids.includes(o.id));
  }
  const kinds = list(one(req, 'kinds'))?.map((k) => k.toUpperCase());
  if (kinds) {
    const valid = Object.values(OrganisationKind) as string[];
    const bad = kinds.filter((k) => !valid.includes(k));
    if (bad.length > 0)
      throw badRequestInput('kinds', bad.join(','), `must be among ${valid.join(', ')}`);
    organisations = organisations.filter((o) => kinds.includes(o.kind));
  }
  const pageText = one(req, 'pageSize');
  const pageSize = pageText === undefined ? DEFAULT_PAGE : Number(pageText);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE)
    throw badRequestInput('pageSize', pageText, `must be a whole number from 1 to ${MAX_PAGE}`);
  const breakdown = (one(req, 'breakdown') ?? 'organisation').toUpperCase();
  if (breakdown !== 'ORGANISATION' && breakdown !== 'ALL')
    throw badRequestInput('breakdown', one(req, 'breakdown'), 'must be organisation or all');
  const allText = one(req, 'all');
  if (allText !== undefined && allText !== 'true' && allText !== 'false')
    throw badRequestInput('all', allText, 'must be true or false');
  const cursorText = one(req, 'cursor');
  let cursor: FactsRequest['cursor'] = null;
  if (cursorText) {
    cursor = decodeCursor(cursorText);
    if (!cursor || !organisations.some((o) => o.id === cursor!.organisation))
      throw badRequestInput(
        'cursor',
        cursorText,
        'must be the cursor of the previous page, with the same filters',
      );
  }
  return {
    organisations,
    variables: {
      indicators: list(one(req, 'indicators')),
      from: one(req, 'from') ?? null,
      to: one(req, 'to') ?? null,
      updatedSince: one(req, 'updatedSince') ?? null,
      breakdown,
    },
    pageSize,
    cursor,
    all: allText === 'true',
  };
}

function encodeCursor(cursor: { organisation: string; after: string | null }): string {
  return Buffer.from(JSON.stringify([cursor.organisation, cursor.after])).toString('base64url');
}

function decodeCursor(text: string): { organisation: string; after: string | null } | null {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (
      !Array.isArray(value) ||
      value.length !== 2 ||
      typeof value[0] !== 'string' ||
      (value[1] !== null && typeof value[1] !== 'string')
    )
      return null;
    return { organisation: value[0], after: value[1] };
  } catch {
    return null;
  }
}

const pageQuery = (
  organisation: string,
) => `query Facts($first: Int!, $after: String, $indicators: [String!], $from: String, $to: String, $updatedSince: String, $breakdown: FactBreakdown!) {
  page: ${organisation} { facts(first: $first, after: $after, indicators: $indicators, from: $from, to: $to, updatedSince: $updatedSince, breakdown: $breakdown) { rows { ${SUBGRAPH_FIELDS} } nextCursor } }
}`;

/**
 * Reads facts organisation by organisation from a cursor until `limit` rows are had, and says where
 * the next page starts. A subgraph that fails fails the page, naming the organisation: a BI refresh
 * that silently lost an organisation would be worse than one that stops.
 */
async function readPage(
  req: Request,
  run: QueryRunner,
  request: FactsRequest,
  from: FactsRequest['cursor'],
  limit: number,
) {
  const rows: FlatRow[] = [];
  let start = from ? request.organisations.findIndex((o) => o.id === from.organisation) : 0;
  let after = from?.after ?? null;
  for (; start < request.organisations.length; start += 1, after = null) {
    const organisation = request.organisations[start]!;
    const result = await run(req, pageQuery(organisation.id), {
      ...request.variables,
      first: limit - rows.length,
      after,
    });
    const facts = (
      result.data?.page as {
        facts: { rows: Record<string, unknown>[]; nextCursor: string | null } | null;
      } | null
    )?.facts;
    // A bad filter is the caller's, the same for every organisation; anything else names the one that failed.
    if (!facts)
      throw graphFailed(result, 'no facts', (message, code) =>
        code === 'BAD_USER_INPUT' ? message : `${organisation.id}: ${message}`,
      );
    const { id, name, kind, clusterId, cluster } = organisation;
    for (const fact of facts.rows)
      rows.push({
        organisationId: id,
        organisationName: name,
        kind,
        clusterId,
        cluster,
        ...(fact as FlatRow),
      });
    if (facts.nextCursor)
      return { rows, next: { organisation: organisation.id, after: facts.nextCursor } };
    if (rows.length >= limit) {
      const following = request.organisations[start + 1];
      return { rows, next: following ? { organisation: following.id, after: null } : null };
    }
  }
  return { rows, next: null };
}

/** Codes a failed read passes on as they are: the caller's refusal, or the graph saying it is busy or down. */
const PASSED_ON = new Set<unknown>([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'SERVICE_UNAVAILABLE',
  'SUBGRAPH_UNAVAILABLE',
]);
/** What of the first error's extensions goes with the refusal: which subgraph and why, or a bad input's field, value and rule. */
const KEPT = ['subgraph', 'reason', 'field', 'value', 'rule'];

/**
 * The refusal for a query of the graph that brought no answer: its first error when it is one of
 * those passed on (with its reason, and Retry-After when the graph said when to try again), and
 * otherwise SUBGRAPH_UNAVAILABLE for whatever failed behind the gateway. `said` words the message.
 */
function graphFailed(
  result: QueryResult,
  silent: string,
  said: (message: string, code: unknown) => string,
): RequestError {
  const error = result.errors[0];
  const code = error?.extensions?.code;
  const extensions = Object.fromEntries(
    Object.entries(error?.extensions ?? {}).filter(([name]) => KEPT.includes(name)),
  );
  const headers = result.retryAfter ? { 'retry-after': result.retryAfter } : undefined;
  return new RequestError(
    PASSED_ON.has(code) ? (code as ErrorCode) : 'SUBGRAPH_UNAVAILABLE',
    said(error?.message ?? silent, code),
    extensions,
    { headers },
  );
}

/**
 * The next page's address. Its origin is the gateway's configured public URL, never the request's
 * `Host` header: a spoofed Host would otherwise become the link a BI tool follows next (with the
 * caller's token). Without a public URL the link is relative to the gateway.
 */
function nextUrl(req: Request, cursor: string, publicUrl: string | undefined): string {
  const url = new URL(req.originalUrl, 'http://gateway.invalid');
  url.searchParams.set('cursor', cursor);
  const path = `${url.pathname}${url.search}`;
  return publicUrl
    ? new URL(
        path.replace(/^\//, ''),
        publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`,
      ).toString()
    : path;
}

export interface FactsRouteOptions {
  run: QueryRunner;
  logger: Pick<Logger, 'warn'>;
  /** Where callers reach the gateway (PUBLIC_URL), for `next` links; read per request, as it is known only once listening. */
  publicUrl?: () => string | undefined;
}

/**
 * `GET /facts`: flat facts for BI tools, JSON or CSV, a page at a time with a `next` link (also in
 * the `Link` header), or `all=true` to stream every row in one response with bounded memory.
 */
export function factsRoute(options: FactsRouteOptions) {
  return (app: Express) => {
    app.get('/facts', async (req, res) => {
      const csv = wantsCsv(req);
      // Every row in one answer streams for as long as the client reads: no deadline, only its caller.
      if (req.query.all === 'true') withoutDeadline(req);
      let request: FactsRequest;
      try {
        request = await readRequest(req, options.run);
      } catch (error) {
        fail(res, error, options.logger);
        return;
      }
      if (request.all) {
        await stream(req, res, request, csv, options);
        return;
      }
      try {
        const page = await readPage(req, options.run, request, request.cursor, request.pageSize);
        const cursor = page.next ? encodeCursor(page.next) : null;
        const next = cursor ? nextUrl(req, cursor, options.publicUrl?.()) : null;
        if (next) res.setHeader('link', `<${next}>; rel="next"`);
        if (csv) {
          res.type('text/csv; charset=utf-8').send(csvLines(FACT_COLUMNS, page.rows, true));
        } else {
          res.json({ data: page.rows, next, nextCursor: cursor });
        }
      } catch (error) {
        fail(res, error, options.logger);
      }
    });
  };
}

/** Every row in one response, written as each chunk arrives. */
async function stream(
  req: Request,
  res: Response,
  request: FactsRequest,
  csv: boolean,
  options: FactsRouteOptions,
): Promise<void> {
  let closed = false;
  res.on('close', () => (closed = true));
  let cursor = request.cursor;
  let started = false;
  let written = 0;
  try {
    do {
      const page = await readPage(req, options.run, request, cursor, STREAM_CHUNK);
      if (!started) {
        res.status(200).type(csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
        res.write(csv ? csvLines(FACT_COLUMNS, [], true) : '{"data":[');
        started = true;
      }
      const text = csv
        ? csvLines(FACT_COLUMNS, page.rows, false)
        : page.rows.map((row) => `${written++ > 0 ? ',' : ''}${JSON.stringify(row)}`).join('');
      // Respect back-pressure: a slow client slows the export rather than filling memory.
      if (text && !res.write(text)) await new Promise((resolve) => res.once('drain', resolve));
      cursor = page.next;
    } while (cursor && !closed);
    if (!csv) res.write('],"next":null,"nextCursor":null}');
    res.end();
  } catch (error) {
    if (!started) {
      fail(res, error, options.logger);
      return;
    }
    // Headers are gone: end the body visibly broken (a tool then reports an error) rather than short.
    options.logger.warn({ err: error }, 'facts export failed part way');
    res.end(
      csv
        ? `\r\nERROR: ${(error as Error).message}\r\n`
        : `],"error":${JSON.stringify((error as Error).message)}`,
    );
  }
}

function fail(res: Response, error: unknown, logger: Pick<Logger, 'warn'>): void {
  // A refused token, a bad parameter, the graph busy or down: each raised on purpose, sent as it is.
  if (isRefusal(error)) {
    sendRefusal(res, error);
    return;
  }
  logger.warn({ err: error }, 'facts failed');
  sendError(res, 'INTERNAL_SERVER_ERROR', 'the facts could not be read');
}
