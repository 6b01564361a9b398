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
  readonly #entries = new Map<string, { value: unknown; weight: number }>();
  /** The entries' weights summed: what the bound applies to. */
  #weight = 0;
  hits = 0;
  misses = 0;

  /**
   * @param maxEntries at most this many entries, counting a large entry as several (see `set`).
   * @default 20000 (JUDGEMENT_CACHE_ENTRIES)
   */
  constructor(readonly maxEntries = DEFAULT_CACHE_ENTRIES) {}

  /** The entry for `key`, or undefined; a hit counts as a use. */
  peek<T>(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    // Moved to the end: a Map keeps insertion order, so the first key is the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.hits += 1;
    return entry.value as T;
  }

  /**
   * Keeps `value` under `key`. `weight` is how many entries it counts as against the bound: 1 for a
   * list or a scorecard, more for a page of facts, which can hold thousands of rows.
   */
  set(key: string, value: unknown, weight = 1): void {
    this.#drop(key);
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    while (this.#weight > this.maxEntries && this.#entries.size > 1)
      this.#drop(this.#entries.keys().next().value!);
  }

  /** The entry for `key`, or what `compute` makes of it, kept for next time (weighing `weigh` of it). */
  async get<T>(
    key: string,
    compute: () => Promise<T> | T,
    weigh?: (value: T) => number,
  ): Promise<T> {
    const found = this.peek<T>(key);
    if (found !== undefined) return found;
    const value = await compute();
    this.set(key, value, weigh ? Math.max(1, Math.ceil(weigh(value))) : 1);
    return value;
  }

  /** Entries kept, each counted once. */
  get size(): number {
    return this.#entries.size;
  }

  /** Entries kept, a large one counted as several: what `maxEntries` bounds. */
  get weight(): number {
    return this.#weight;
  }

  #drop(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }
}

/**
 * The key of one organisation's answer to one question at one data version, as a caller who does
 * or does not see drafts: `scorecard|rj1|42|published|{"periods":12}`.
 */
export function versionedKey(
  kind: string,
  organisationId: string,
  version: number,
  drafts: boolean,
  args: unknown = null,
): string {
  return `${kind}|${organisationId}|${version}|${drafts ? 'drafts' : 'published'}|${JSON.stringify(args)}`;
}
