import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './auth.ts';

/**
 * An answer that overload cut short is a 503, never a partial answer. When a subgraph shed a call
 * (503) or the request's deadline passed before every call answered, the plan's other fields may
 * have data, but a reader cannot tell a figure missing for overload from one missing for cause; so
 * the whole answer is `503` with `Retry-After` and one SERVICE_UNAVAILABLE error saying why. A
 * subgraph that is down or times out is a fault, not overload: that answer stays partial and names
 * the organisations it lacks (plugins/subgraph-timeout.ts). See docs/architecture.md, "Resilience".
 */
export function overloadPlugin(options: {
  deadlineMs: number;
  retryAfterSeconds?: number;
}): ApolloServerPlugin<GatewayContext> {
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const busy = (response.body.singleResult.errors ?? []).filter(
            (e) => e.extensions?.code === 'SERVICE_UNAVAILABLE',
          );
          if (busy.length === 0) return;
          const reason = busy.some((e) => e.extensions?.reason === 'DEADLINE')
            ? 'DEADLINE'
            : String(busy[0]!.extensions?.reason ?? 'SUBGRAPH_BUSY');
          const subgraphs = [
            ...new Set(
              busy
                .map((e) => e.extensions?.subgraph)
                .filter((s): s is string => typeof s === 'string'),
            ),
          ];
          const why =
            reason === 'DEADLINE'
              ? `could not be completed within its deadline of ${options.deadlineMs} ms`
              : `could not be completed: ${subgraphs.join(', ')} ${subgraphs.length === 1 ? 'is' : 'are'} busy`;
          response.http.status = 503;
          response.http.headers.set('retry-after', retryAfter);
          response.body.singleResult = {
            errors: [
              {
                message: `The answer ${why}; nothing partial is given. Try again in ${retryAfter} s.`,
                extensions: {
                  code: 'SERVICE_UNAVAILABLE',
                  reason,
                  subgraphs,
                  retryAfterSeconds: Number(retryAfter),
                },
              },
            ],
          };
        },
      };
    },
  };
}
