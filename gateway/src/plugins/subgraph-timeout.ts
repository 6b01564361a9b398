import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { REQUEST_ID_HEADER, injectTraceHeaders, recordSubgraphCall } from '@crossgov/schema';
import type { GatewayContext } from './auth.ts';

/**
 * A subgraph call with a deadline. Without one, a single hung publisher held every request
 * (docs/architecture.md, "Resilience"). A call that fails or runs out of time becomes an error that
 * names the publisher and every organisation the call was for, and nothing else (no URL, no body),
 * so the other publishers' organisations still answer.
 */
export class TimedDataSource extends RemoteGraphQLDataSource<Partial<GatewayContext>> {
  /** The signal of the request whose call is being sent (see the constructor). */
  private callSignal: AbortSignal | undefined;

  constructor(
    readonly subgraph: string,
    url: string,
    readonly timeoutMs: number,
  ) {
    super({ url });
    // Each call ends at this subgraph's deadline, or at once when the request it is for is past its
    // own deadline or its caller has gone (GatewayContext.signal), which closes the connection, so
    // the subgraph stops too. RemoteGraphQLDataSource's (private) sendRequest runs synchronously up
    // to its fetcher call, so wrapping it hands the request's signal to the fetcher without
    // AsyncLocalStorage on every call.
    this.fetcher = ((input: string, init: RequestInit) => {
      // A timer of our own, not AbortSignal.timeout(): AbortSignal.any holds its sources weakly, as
      // the timeout signal's own timer does, so a garbage collection during the call took the
      // deadline away and the call waited as long as the subgraph did (Node 20; bench:faults saw 1
      // answer in 20 wait 4 s behind a 2 s timeout). This timer holds the controller until it fires.
      const timeout = new AbortController();
      setTimeout(() => timeout.abort(new DOMException(`subgraph "${subgraph}" did not answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs).unref();
      const signal = this.callSignal ? AbortSignal.any([timeout.signal, this.callSignal]) : timeout.signal;
      return fetch(input, { ...init, headers: plainHeaders(init.headers), signal });
    }) as never;
    const self = this as unknown as { sendRequest: (request: unknown, context: Partial<GatewayContext>) => Promise<unknown> };
    const send = self.sendRequest.bind(this);
    self.sendRequest = (request, context) => {
      this.callSignal = context.signal;
      try {
        return send(request, context);
      } finally {
        this.callSignal = undefined;
      }
    };
  }

  /**
   * Forwards the caller's token (each subgraph verifies it again rather than trust the gateway), the
   * request's id, and the trace (`traceparent` of this call's gateway.fetch span, when tracing is on).
   */
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    if (context.token) headers.set('authorization', `Bearer ${context.token}`);
    if (context.requestId) headers.set(REQUEST_ID_HEADER, context.requestId);
    injectTraceHeaders(headers);
  }

  override async process(options: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    const response = await this.callOnce(options);
    const failure = response.errors?.find((e) => e.extensions?.subgraph === this.subgraph)?.extensions;
    recordSubgraphCall(this.subgraph, (performance.now() - started) / 1000, outcomeOf(failure));
    return response;
  }

  private async callOnce(options: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      // The subgraph answered but refused the forwarded token (its secret differs from the gateway's).
      // Checked by shape: the gateway loads graphql as CommonJS, so instanceof against the ESM class fails.
      const refused = refusalOf(error);
      if (refused) {
        return {
          errors: [
            {
              message: `Subgraph "${this.subgraph}" refused the caller's token; its fields are null in this answer.`,
              extensions: { code: 'UNAUTHENTICATED', subgraph: this.subgraph, reason: refused.reason },
            },
          ],
        } as GatewayGraphQLResponse;
      }
      // Overload, not a fault: the subgraph shed the call (503), or this request's own deadline
      // passed. The whole answer becomes a 503 (plugins/overload.ts), never a partial one.
      const signal = options.context.signal;
      if (signal?.aborted || httpStatusOf(error) === 503) {
        const reason = signal?.aborted ? (options.context.pastDeadline?.() ? 'DEADLINE' : 'CALLER_GONE') : 'SUBGRAPH_BUSY';
        return {
          errors: [
            {
              message:
                reason === 'SUBGRAPH_BUSY'
                  ? `Subgraph "${this.subgraph}" is busy.`
                  : `The request ended (${reason === 'DEADLINE' ? 'past its deadline' : 'its caller went away'}) before subgraph "${this.subgraph}" answered.`,
              extensions: { code: 'SERVICE_UNAVAILABLE', subgraph: this.subgraph, reason },
            },
          ],
        } as GatewayGraphQLResponse;
      }
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const reason = timedOut ? `did not answer within ${this.timeoutMs} ms` : 'could not be reached';
      const organisations = organisationsOf(options.request.variables);
      return {
        errors: [
          {
            message: `Subgraph "${this.subgraph}" ${reason}; ${organisations.length > 0 ? `the fields it serves for ${listed(organisations)} are` : 'its fields are'} null in this answer.`,
            extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.subgraph, reason: timedOut ? 'TIMEOUT' : 'UNREACHABLE', ...(organisations.length > 0 && { organisations }) },
          },
        ],
      } as GatewayGraphQLResponse;
    }
  }
}

/** A call's outcome for the metrics, from the error this data source made of it (none: ok). */
function outcomeOf(failure: Record<string, unknown> | undefined): 'ok' | 'TIMEOUT' | 'UNREACHABLE' | 'BUSY' | 'REFUSED' | 'ENDED' {
  if (!failure) return 'ok';
  if (failure.code === 'UNAUTHENTICATED') return 'REFUSED';
  if (failure.reason === 'SUBGRAPH_BUSY') return 'BUSY';
  if (failure.reason === 'DEADLINE' || failure.reason === 'CALLER_GONE') return 'ENDED';
  return failure.reason === 'TIMEOUT' ? 'TIMEOUT' : 'UNREACHABLE';
}

/** The gateway hands over node-fetch style headers; Node's own fetch wants a plain record. */
function plainHeaders(headers: unknown): Record<string, string> | undefined {
  if (!headers) return undefined;
  const withRaw = headers as { raw?: () => Record<string, string[]> };
  if (typeof withRaw.raw === 'function') {
    return Object.fromEntries(Object.entries(withRaw.raw()).map(([name, values]) => [name, values.join(', ')]));
  }
  return headers as Record<string, string>;
}

/** The HTTP status of a subgraph's non-2xx answer (RemoteGraphQLDataSource's errorFromResponse). */
function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { extensions?: { response?: { status?: unknown } } } | null)?.extensions?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A 401 from the subgraph (RemoteGraphQLDataSource's errorFromResponse) and the subgraph's own reason. */
function refusalOf(error: unknown): { reason: string | undefined } | null {
  const extensions = (error as { extensions?: { code?: unknown; response?: { body?: unknown } } } | null)?.extensions;
  if (extensions?.code !== 'UNAUTHENTICATED') return null;
  const body = extensions.response?.body as { errors?: { extensions?: { reason?: unknown } }[] } | undefined;
  const reason = body?.errors?.[0]?.extensions?.reason;
  return { reason: typeof reason === 'string' ? reason : undefined };
}

/** The organisations an `_entities` call was for: the ids of its representations, in order, once each. */
function organisationsOf(variables: Record<string, unknown> | undefined): string[] {
  const representations = variables?.representations;
  if (!Array.isArray(representations)) return [];
  const ids = representations.map((r: { id?: unknown }) => r?.id).filter((id): id is string => typeof id === 'string');
  return [...new Set(ids)];
}

/** A list a person reads: every name up to 50, then how many more (extensions.organisations has them all). */
function listed(ids: readonly string[]): string {
  const shown = ids.slice(0, 50).join(', ');
  return ids.length > 50 ? `${shown} and ${ids.length - 50} more` : shown;
}
