import { seededRandom } from '../../../subgraphs/organisation/src/seed/random.ts';

/**
 * A deterministic source of choices (the seed's mulberry32): each fuzz input draws from its own,
 * seeded with the run's seed and the input's number, so any one input can be made again alone.
 */
export class Random {
  private readonly next: () => number;

  constructor(seed: string) {
    this.next = seededRandom(seed);
  }

  /** A number in [0, 1). */
  float(): number {
    return this.next();
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A whole number from 0 to `max`, small ones far likelier: sizes that are mostly small, sometimes large. */
  size(max: number): number {
    return Math.floor((max + 1) ** this.next()) - 1;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One of the choices, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [weight]) => sum + weight, 0);
    let at = this.next() * total;
    for (const [weight, value] of choices) {
      at -= weight;
      if (at < 0) return value;
    }
    return choices[choices.length - 1]![1];
  }

  /** `count` items made by `make`. */
  many<T>(count: number, make: (i: number) => T): T[] {
    return Array.from({ length: count }, (_, i) => make(i));
  }
}
