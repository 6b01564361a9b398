import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import type { GatewayContext } from './auth.ts';
import { LastGoodAnswers, markStale } from './last-good.ts';
import { TimedDataSource } from './subgraph-timeout.ts';

export interface LastGoodOptions {
  /**
   * Most memory the remembered answers take, measured as their JSON (keys included). A
   * cross-organisation answer from the directory is about 100 bytes an organisation (its type, id,
   * name and kind: about 100 KiB at a thousand organisations), an organisation page's a few
   * hundred bytes: this keeps hundreds of the first or thousands of the second, under a tenth of what
   * the gateway itself takes at that scale (266 to 422 MiB RSS, scripts/bench/RESULTS.md).
   * @default 33554432 (32 MiB)
   */
  maxBytes: number;
  /**
   * Calls in the breaker's 10 s window before it may open; it opens when more than half of them
   * failed. Few, so that against a hung subgraph only the first few callers wait out the deadline.
   * @default 3
   */
  breakerMinCalls: number;
  /**
   * How long the breaker stays open before it lets one call through to see whether the subgraph is
   * back: fresh answers resume at most this long after it is. While the subgraph is hung, that one
   * caller waits out the deadline (then gets the last good answer), so it is no shorter than the
   * default deadline.
   * @default 5000
   */
  breakerResetMs: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
  /**
   * Where the answers are kept: given by the gateway, so they outlive the data source, which
   * @apollo/gateway builds again each time the supergraph file is reloaded.
   * @default a memory of `maxBytes` of its own
   */
  answers?: LastGoodAnswers<GatewayGraphQLResponse>;
}

export const LAST_GOOD_DEFAULTS: LastGoodOptions = {
  maxBytes: 32 * 1024 * 1024,
  breakerMinCalls: 3,
  breakerResetMs: 5000,
};

/**
 * A subgraph that is not there to answer: unreachable or out of time (a fault), or shedding load
 * (a 503). Not a call cut short by its own request (past the request's deadline, or the caller
 * gone): that says nothing of the subgraph, and the request's answer is a 503 anyway (overload.ts).
 */
function downError(response: GatewayGraphQLResponse) {
  return response.errors?.find(
    (e) =>
      e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' ||
      (e.extensions?.code === 'SERVICE_UNAVAILABLE' && e.extensions.reason === 'SUBGRAPH_BUSY'),
  );
}

type Options = GraphQLDataSourceProcessOptions<Partial<GatewayContext>>;

/** Carries an unavailable answer through the breaker, which counts a rejection as a failure. */
class Unavailable extends Error {
  constructor(readonly response: GatewayGraphQLResponse) {
    super('subgraph unavailable');
  }
}

/**
 * A subgraph call (with its deadline) that remembers each error-free query answer and, while the
 * subgraph is down or busy, answers from the last good one and marks the request stale (last-good.ts). A
 * breaker (opossum) stops calling a subgraph that keeps failing, so callers get the last good
 * answer at once rather than each waiting out the deadline; after `breakerResetMs` one call goes
 * through, and its success closes the breaker. A query never answered before gets the usual
 * error (SUBGRAPH_UNAVAILABLE, or SERVICE_UNAVAILABLE when busy): nothing is made up.
 */
export class LastGoodDataSource extends TimedDataSource {
  readonly answers: LastGoodAnswers<GatewayGraphQLResponse>;
  readonly breaker: CircuitBreaker<[Options], GatewayGraphQLResponse>;
  private readonly resetMs: number;
  /** How the last failed call failed, for the error of a call the open breaker did not make. */
  private lastFailure: { code: unknown; reason: unknown } = {
    code: 'SUBGRAPH_UNAVAILABLE',
    reason: 'UNREACHABLE',
  };

  constructor(
    subgraph: string,
    url: string,
    timeoutMs: number,
    options: Partial<LastGoodOptions> = {},
  ) {
    super(subgraph, url, timeoutMs);
    const settings = { ...LAST_GOOD_DEFAULTS, ...options };
    this.resetMs = settings.breakerResetMs;
    this.answers = settings.answers ?? new LastGoodAnswers({ maxBytes: settings.maxBytes });
    this.breaker = new CircuitBreaker((call: Options) => this.call(call), {
      name: subgraph,
      timeout: false, // the data source's own deadline (SUBGRAPH_TIMEOUT_MS) applies
      errorThresholdPercentage: 50,
      volumeThreshold: settings.breakerMinCalls,
      resetTimeout: settings.breakerResetMs,
      rollingCountTimeout: 10_000,
      // Neither is read; without them the breaker's only timer is its window's, which holds nothing of this.
      enableSnapshots: false,
      rollingPercentilesEnabled: false,
    });
    const logger = settings.logger;
    this.breaker.on('open', () =>
      logger?.warn(
        { subgraph },
        `subgraph "${subgraph}" keeps failing: answering from its last good answers, trying it again in ${this.resetMs} ms`,
      ),
    );
    this.breaker.on('close', () =>
      logger?.info({ subgraph }, `subgraph "${subgraph}" answers again`),
    );
  }

  override async process(options: Options): Promise<GatewayGraphQLResponse> {
    const key = LastGoodAnswers.keyOf(options.request.query, options.request.variables);
    let response: GatewayGraphQLResponse;
    try {
      response = await this.breaker.fire(options);
    } catch (error) {
      if (error instanceof Unavailable) response = error.response;
      else if ((error as { code?: unknown }).code === 'EOPENBREAKER') response = this.notCalled();
      else throw error;
    }
    if (!downError(response)) {
      if (key && response.data && !response.errors?.length)
        this.answers.remember(key, { data: response.data });
      return response;
    }
    const remembered = key ? this.answers.recall(key) : undefined;
    if (!remembered) return response;
    markStale(options.context, this.subgraph, remembered.asOf);
    return remembered.answer;
  }

  /** One call to the subgraph; an unavailable answer rejects, so the breaker counts it. */
  private async call(options: Options): Promise<GatewayGraphQLResponse> {
    const response = await super.process(options);
    const down = downError(response);
    if (!down) return response;
    this.lastFailure = { code: down.extensions?.code, reason: down.extensions?.reason };
    throw new Unavailable(response);
  }

  /**
   * The answer to a call the open breaker did not make: the error of the last failed call, so a
   * busy subgraph still makes the answer a 503 (overload.ts) and one that is down a partial answer.
   */
  private notCalled(): GatewayGraphQLResponse {
    const { code, reason } = this.lastFailure;
    const said = code === 'SERVICE_UNAVAILABLE' ? 'is busy' : 'is not answering';
    return {
      errors: [
        {
          message: `Subgraph "${this.subgraph}" ${said} (its last calls failed; it is tried again every ${this.resetMs} ms); its fields are null in this answer.`,
          extensions: { code, subgraph: this.subgraph, reason },
        },
      ],
    } as GatewayGraphQLResponse;
  }
}
