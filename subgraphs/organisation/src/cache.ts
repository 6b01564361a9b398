/**
 * What a publisher keeps of each organisation between requests: its lists (services, indicators,
 * programmes, milestones, returns, latest figures) and the judgements computed from its figures
 * (scorecards, comparison figures). Every entry is keyed by the organisation's data version
 * (docs/architecture.md, "Data"): every write to its data moves the version on in the same
 * transaction (database triggers), so an entry of an older version is never read again, by this
 * process or any other process of the same publisher, and the next request reads or computes the
 * new answer. Entries for callers who see drafts are kept apart from those for everyone else.
 * Bounded: the least recently used entry goes first.
 */
/**
 * Entries kept by default: one per organisation and question (a list, a scorecard with its
 * arguments), so room for about 40 questions of each of the real government's 405 organisations
 * with drafts apart; scripts/bench/RESULTS.md has the memory it comes to.
 */
export const DEFAULT_CACHE_ENTRIES = 20_000;

export class VersionedCache {
  readonly #entries = new Map<string, unknown>();
  hits = 0;
  misses = 0;

  /** @param maxEntries at most this many entries (one per organisation and question). @default 20000 (JUDGEMENT_CACHE_ENTRIES) */
  constructor(readonly maxEntries = DEFAULT_CACHE_ENTRIES) {}

  /** The entry for `key`, or undefined; a hit counts as a use. */
  peek<T>(key: string): T | undefined {
    if (!this.#entries.has(key)) {
      this.misses += 1;
      return undefined;
    }
    const value = this.#entries.get(key) as T;
    // Moved to the end: a Map keeps insertion order, so the first key is the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.hits += 1;
    return value;
  }

  set(key: string, value: unknown): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** The entry for `key`, or what `compute` makes of it, kept for next time. */
  async get<T>(key: string, compute: () => Promise<T> | T): Promise<T> {
    const found = this.peek<T>(key);
    if (found !== undefined) return found;
    const value = await compute();
    this.set(key, value);
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * The key of one organisation's answer to one question at one data version, as a caller who does
 * or does not see drafts: `scorecard|rj1|42|published|{"periods":12}`.
 */
export function versionedKey(kind: string, organisationId: string, version: number, drafts: boolean, args: unknown = null): string {
  return `${kind}|${organisationId}|${version}|${drafts ? 'drafts' : 'published'}|${JSON.stringify(args)}`;
}
