import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/**
 * A subgraph call with a deadline. Without one, a single hung organisation held every request
 * (ARCHITECTURE section 6). A call that fails or runs out of time becomes an error that names the
 * organisation and nothing else (no URL, no body), so the other organisations still answer.
 */
export class TimedDataSource extends RemoteGraphQLDataSource {
  constructor(
    readonly subgraph: string,
    url: string,
    readonly timeoutMs: number,
  ) {
    super({
      url,
      fetcher: ((input: string, init: RequestInit) =>
        fetch(input, { ...init, headers: plainHeaders(init.headers), signal: AbortSignal.timeout(timeoutMs) })) as never,
    });
  }

  override async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const reason = timedOut ? `did not answer within ${this.timeoutMs} ms` : 'could not be reached';
      return {
        errors: [
          {
            message: `Subgraph "${this.subgraph}" ${reason}; its fields are null in this answer.`,
            extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.subgraph, reason: timedOut ? 'TIMEOUT' : 'UNREACHABLE' },
          },
        ],
      } as GatewayGraphQLResponse;
    }
  }
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
