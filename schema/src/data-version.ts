import type { ApolloServerPlugin } from '@apollo/server';

/**
 * How the gateway learns what an answer was computed from, for the ETag of its GET answers (facts,
 * registered operations, dashboard pages; gateway/src/plugins/data-versions.ts): it sends
 * `crossgov-want-data-version: 1` on each subgraph call of such a request, and the subgraph answers
 * with `crossgov-data-version`, a token that changes whenever anything its answers are computed from
 * changes (a publisher's data, the date its statuses are judged on). Read before the operation runs,
 * so an answer is never older than the version it is labelled with: a write
 * committed while it runs gives the next request a new version, never an old answer a new label.
 */
export const WANT_DATA_VERSION_HEADER = 'crossgov-want-data-version';
export const DATA_VERSION_HEADER = 'crossgov-data-version';

/** Answers a call that asks for it with the subgraph's data version, read by `read` as the request starts. */
export function dataVersionPlugin<C extends object>(
  read: () => Promise<string> | string,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ request }) {
      if (!request.http?.headers.get(WANT_DATA_VERSION_HEADER)) return;
      const version = await read();
      return {
        async willSendResponse({ response }) {
          response.http.headers.set(DATA_VERSION_HEADER, version);
        },
      };
    },
  };
}
