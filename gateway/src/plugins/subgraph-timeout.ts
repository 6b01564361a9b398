import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  REQUEST_ID_HEADER,
  WANT_DATA_VERSION_HEADER,
  injectTraceHeaders,
  recordSharedCall,
  recordSubgraphCall,
} from '@crossgov/schema/server';
import type { GatewayContext } from './auth.ts';
import { CallFailed, type SubgraphAnswer, SubgraphCall } from './subgraph-client.ts';

type Options = GraphQLDataSourceProcessOptions<Partial<GatewayContext>>;

/**
 * A subgraph call with a deadline. Without one, a single hung publisher held every request
 * (docs/architecture.md, "Resilience"). A call that fails or runs out of time becomes an error that
 * names the publisher and every organisation the call was for, and nothing else (no URL, no body),
 * so the other publishers' organisations still answer.
 *
 * Identical reads in flight at once are sent once (docs/architecture.md, "Caching"): a query whose
 * text, variables and caller's token are those of a call already waiting for its answer waits on that
 * call. The token is in the key, so callers who may see different data (drafts) never share; anonymous
 * callers, who all see the same published figures, do. Each request parses the answer itself, because
 * the gateway merges later calls' answers into the objects it parsed. Mutations are never shared.
 * Under load this is what kept Hive Gateway's subgraphs at 5-13 ms of CPU a request against 45-92 ms
 * behind this gateway (issue 17).
 */
export class TimedDataSource implements GraphQLDataSource<Partial<GatewayContext>> {
  readonly url: URL;
  /** Calls waiting for their answer, by what makes two of them identical. */
  private readonly inFlight = new Map<string, SubgraphCall>();

  constructor(
    readonly subgraph: string,
    url: string,
    readonly timeoutMs: number,
  ) {
    this.url = new URL(url);
  }

  async process(options: Options): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    const response = await this.callOnce(options);
    const failure = response.errors?.find(
      (e) => e.extensions?.subgraph === this.subgraph,
    )?.extensions;
    recordSubgraphCall(this.subgraph, (performance.now() - started) / 1000, outcomeOf(failure));
    return response;
  }

  /**
   * The headers of a call: the caller's token (each subgraph verifies it again rather than trust the
   * gateway), the request's id, and the trace (`traceparent` of this call's gateway.fetch span, when
   * tracing is on), and whether the answer is to carry the subgraph's data version (for an ETag,
   * data-versions.ts). A shared call carries those of the request that sent it.
   */
  private headersFor(context: Partial<GatewayContext>): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (context.token) headers.authorization = `Bearer ${context.token}`;
    if (context.requestId) headers[REQUEST_ID_HEADER] = context.requestId;
    if (context.dataVersions) headers[WANT_DATA_VERSION_HEADER] = '1';
    injectTraceHeaders({ set: (name, value) => (headers[name] = value) });
    return headers;
  }

  /** The call this request waits on: one already in flight for an identical read, or a new one. */
  private callFor(options: Options): SubgraphCall {
    const { request, context } = options;
    if (!request.query) throw new Error('Missing query');
    const body = JSON.stringify({
      query: request.query,
      variables: request.variables,
      operationName: request.operationName,
      extensions: request.extensions,
    });
    const key = READ.test(request.query)
      ? `${context.token ?? ''}\n${context.dataVersions !== undefined}\n${body}`
      : undefined;
    const joined = key === undefined ? undefined : this.inFlight.get(key);
    if (joined?.open) {
      recordSharedCall(this.subgraph);
      return joined;
    }
    const call = new SubgraphCall(
      this.url,
      this.headersFor(context),
      body,
      this.timeoutMs,
      this.subgraph,
    );
    if (key !== undefined) {
      this.inFlight.set(key, call);
      const forget = () => this.inFlight.get(key) === call && this.inFlight.delete(key);
      call.answer.then(forget, forget);
    }
    return call;
  }

  private async callOnce(options: Options): Promise<GatewayGraphQLResponse> {
    const { context } = options;
    let answer: SubgraphAnswer | undefined;
    let failed: CallFailed | undefined;
    try {
      answer = await this.callFor(options).waitFor(context.signal);
    } catch (error) {
      if (!(error instanceof CallFailed)) throw error;
      failed = error;
    }
    // Overload, not a fault: this request's own deadline passed (or its caller went), or the
    // subgraph shed the call (503). The whole answer becomes a 503 (plugins/overload.ts), never a
    // partial one.
    if (context.signal?.aborted || (answer === undefined && !failed)) {
      const reason = context.pastDeadline?.() ? 'DEADLINE' : 'CALLER_GONE';
      return unavailable(
        `The request ended (${reason === 'DEADLINE' ? 'past its deadline' : 'its caller went away'}) before subgraph "${this.subgraph}" answered.`,
        {
          code: 'SERVICE_UNAVAILABLE',
          subgraph: this.subgraph,
          reason,
        },
      );
    }
    if (answer?.status === 503)
      return unavailable(`Subgraph "${this.subgraph}" is busy.`, {
        code: 'SERVICE_UNAVAILABLE',
        subgraph: this.subgraph,
        reason: 'SUBGRAPH_BUSY',
      });
    // The subgraph answered but refused the forwarded token (its secret differs from the gateway's).
    if (answer?.status === 401) {
      return unavailable(
        `Subgraph "${this.subgraph}" refused the caller's token; its fields are null in this answer.`,
        {
          code: 'UNAUTHENTICATED',
          subgraph: this.subgraph,
          reason: refusalReasonOf(answer.text),
        },
      );
    }
    const parsed =
      answer && answer.status >= 200 && answer.status < 300 ? parseAnswer(answer.text) : undefined;
    if (parsed) {
      context.dataVersions?.record(this.subgraph, answer!.dataVersion);
      return parsed;
    }
    const timedOut = failed?.timedOut ?? false;
    const reason = timedOut ? `did not answer within ${this.timeoutMs} ms` : 'could not be reached';
    const organisations = organisationsOf(options.request.variables);
    return unavailable(
      `Subgraph "${this.subgraph}" ${reason}; ${organisations.length > 0 ? `the fields it serves for ${listed(organisations)} are` : 'its fields are'} null in this answer.`,
      {
        code: 'SUBGRAPH_UNAVAILABLE',
        subgraph: this.subgraph,
        reason: timedOut ? 'TIMEOUT' : 'UNREACHABLE',
        ...(organisations.length > 0 && { organisations }),
      },
    );
  }
}

/** A subgraph operation that only reads: what may be shared between requests. */
const READ = /^\s*(?:query\b|\{)/;

const unavailable = (message: string, extensions: Record<string, unknown>) =>
  ({ errors: [{ message, extensions }] }) as GatewayGraphQLResponse;

/** A GraphQL answer, or undefined when the body is not one (a proxy's error page, a cut-off body). */
function parseAnswer(text: string): GatewayGraphQLResponse | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    return body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as GatewayGraphQLResponse)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The subgraph's own reason for refusing a token (`errors[0].extensions.reason` of its 401). */
function refusalReasonOf(text: string): string | undefined {
  const reason = (parseAnswer(text)?.errors?.[0]?.extensions as { reason?: unknown } | undefined)
    ?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** A call's outcome for the metrics, from the error this data source made of it (none: ok). */
function outcomeOf(
  failure: Record<string, unknown> | undefined,
): 'ok' | 'TIMEOUT' | 'UNREACHABLE' | 'BUSY' | 'REFUSED' | 'ENDED' {
  if (!failure) return 'ok';
  if (failure.code === 'UNAUTHENTICATED') return 'REFUSED';
  if (failure.reason === 'SUBGRAPH_BUSY') return 'BUSY';
  if (failure.reason === 'DEADLINE' || failure.reason === 'CALLER_GONE') return 'ENDED';
  return failure.reason === 'TIMEOUT' ? 'TIMEOUT' : 'UNREACHABLE';
}

/** The organisations an `_entities` call was for: the ids of its representations, in order, once each. */
function organisationsOf(variables: Record<string, unknown> | undefined): string[] {
  const representations = variables?.representations;
  if (!Array.isArray(representations)) return [];
  const ids = representations
    .map((r: { id?: unknown }) => r?.id)
    .filter((id): id is string => typeof id === 'string');
  return [...new Set(ids)];
}

/** A list a person reads: every name up to 50, then how many more (extensions.organisations has them all). */
function listed(ids: readonly string[]): string {
  const shown = ids.slice(0, 50).join(', ');
  return ids.length > 50 ? `${shown} and ${ids.length - 50} more` : shown;
}
