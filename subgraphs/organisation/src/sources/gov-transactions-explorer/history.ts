// The figures each (service, indicator, twelve months) key had when last emitted, so a version's
// figure is emitted only when it is new or changed. A service's keys are slots (the twelve months'
// index x 3 + the indicator's), kept in typed arrays: the 12 versions offer some 400,000 figures.

/** What offering a key's figures found: the same as last emitted, the key's first figures, or a revision. */
export type Offered = 'same' | 'first' | 'revised';

/** One service's figures as last emitted, and the last version that had each. */
export class FigureHistory {
  private a = new Float64Array(96);
  private b = new Float64Array(96);
  private seenIn = new Int16Array(96).fill(-1);

  /** Records figures `a` and `b` of a slot as seen in version `version`; says whether to emit them. */
  offer(slot: number, a: number, b: number, version: number): Offered {
    if (slot >= this.seenIn.length) this.grow(slot);
    const seen = this.seenIn[slot]!;
    this.seenIn[slot] = version;
    if (seen >= 0 && this.a[slot] === a && this.b[slot] === b) return 'same';
    this.a[slot] = a;
    this.b[slot] = b;
    return seen >= 0 ? 'revised' : 'first';
  }

  /** Keys with figures, and of those the ones no version from `version` on had. */
  count(version: number): { keys: number; notSince: number } {
    let keys = 0;
    let notSince = 0;
    for (const seen of this.seenIn) {
      if (seen < 0) continue;
      keys++;
      if (seen < version) notSince++;
    }
    return { keys, notSince };
  }

  private grow(slot: number): void {
    const size = Math.max(slot + 1, this.seenIn.length * 2);
    const a = new Float64Array(size);
    const b = new Float64Array(size);
    const seenIn = new Int16Array(size).fill(-1);
    a.set(this.a);
    b.set(this.b);
    seenIn.set(this.seenIn);
    Object.assign(this, { a, b, seenIn });
  }
}
