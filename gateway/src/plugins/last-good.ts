import type { ApolloServerPlugin } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from './auth.ts';

/**
 * The last good answer a subgraph gave to each query the gateway sent it, to answer from while that
 * subgraph is down. Used for the directory: it is on every cross-organisation path and changes
 * rarely (organisations, clusters, publishers), so an answer minutes old is far better than every
 * cross-organisation page failing. Answers are public (the directory has no drafts), only query
 * answers without errors are kept, and the memory is bounded by size (least recently used goes).
 * See docs/architecture.md, "Resilience".
 */
export interface Remembered<T> {
  answer: T;
  /** When the subgraph gave it (ISO). */
  asOf: string;
}

export class LastGoodAnswers<T extends object> {
  // Kept as JSON: the gateway merges later fetches into the objects a subgraph answered, so a kept
  // object would change under us; and a JSON string of ASCII is what it costs in memory (V8 keeps
  // it one byte a character), where the parsed objects cost several times their JSON.
  private readonly cache: LRUCache<string, { json: string; asOf: string }>;

  constructor(options: { maxBytes: number }) {
    this.cache = new LRUCache<string, { json: string; asOf: string }>({
      maxSize: options.maxBytes,
      sizeCalculation: (value, key) => Math.max(1, key.length + value.json.length),
    });
  }

  /** The key of a subgraph request: its document and variables (not the caller: the answers are public). */
  static keyOf(
    query: string | undefined,
    variables: Record<string, unknown> | undefined,
  ): string | null {
    if (!query || !/^\s*(query\b|\{)/.test(query)) return null; // never a mutation
    return JSON.stringify([query, variables ?? {}]);
  }

  /** Keeps a copy of the answer; one bigger than the whole bound is not kept (and forgets the older one). */
  remember(key: string, answer: T, at = new Date()): void {
    this.cache.set(key, { json: JSON.stringify(answer), asOf: at.toISOString() });
  }

  /** A fresh copy of the answer, each time: the caller may change it. */
  recall(key: string): Remembered<T> | undefined {
    const kept = this.cache.get(key);
    return kept && { answer: JSON.parse(kept.json) as T, asOf: kept.asOf };
  }

  get size(): number {
    return this.cache.size;
  }

  /** What the kept answers measure, as the bound counts them. */
  get bytes(): number {
    return this.cache.calculatedSize;
  }
}

/** One subgraph a response was partly answered from memory for: `extensions.stale` lists them. */
export interface StaleAnswer {
  subgraph: string;
  /** When the oldest answer used was given (ISO). */
  asOf: string;
  message: string;
}

// By the request's context object: GatewayContext is the auth plugin's, and this is another concern.
const staleByContext = new WeakMap<object, Map<string, StaleAnswer>>();

/** Notes on the request that a subgraph's fields came from its last good answer given at `asOf`. */
export function markStale(context: object, subgraph: string, asOf: string): void {
  let marks = staleByContext.get(context);
  if (!marks) staleByContext.set(context, (marks = new Map()));
  const earlier = marks.get(subgraph);
  if (earlier && earlier.asOf <= asOf) return;
  marks.set(subgraph, {
    subgraph,
    asOf,
    message: `Subgraph "${subgraph}" did not answer; its fields in this answer are from its last good answer, given at ${asOf}.`,
  });
}

/** The subgraphs this request was answered from memory for, oldest answer first; empty when none. */
export function staleAnswersOf(context: object): StaleAnswer[] {
  return [...(staleByContext.get(context)?.values() ?? [])].sort((a, b) =>
    a.asOf.localeCompare(b.asOf),
  );
}

/**
 * Says so in the response when any part of it came from a subgraph's last good answers:
 * `extensions.stale` names each subgraph and when its answer was given. The status stays 200 and
 * nothing is added to `errors`: the answer is whole, only older than usual.
 */
export function staleAnswersPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const stale = staleAnswersOf(contextValue);
          if (stale.length === 0 || response.body.kind !== 'single') return;
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            stale,
          };
        },
      };
    },
  };
}
