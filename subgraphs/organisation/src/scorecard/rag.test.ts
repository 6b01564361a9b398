import { describe, expect, it } from 'vitest';
import { Polarity, Rag } from '@crossgov/schema';
import { rateRag } from './rag.ts';

const { BIGGER_IS_BETTER: BIGGER, SMALLER_IS_BETTER: SMALLER } = Polarity;

describe('RAG against target', () => {
  it('rates 10.4 against a target of 10 (smaller is better) Amber: 4% worse', () => {
    const rating = rateRag(10.4, 10, SMALLER);
    expect(rating.status).toBe(Rag.AMBER);
    expect(rating.shortfall).toBeCloseTo(0.04, 12);
    expect(rating.rule).toBe('AMBER: 10.4 is 4% worse than the target of 10, within the 5% tolerance (smaller is better)');
  });

  it('rates 10.5 against 10 (smaller is better) Amber: exactly 5% worse is still within tolerance', () => {
    expect(rateRag(10.5, 10, SMALLER).status).toBe(Rag.AMBER);
  });

  it('rates 10.51 against 10 (smaller is better) Red', () => {
    const rating = rateRag(10.51, 10, SMALLER);
    expect(rating.status).toBe(Rag.RED);
    expect(rating.rule).toContain('beyond the 5% tolerance');
  });

  it('rates a value equal to the target Green, whichever the polarity', () => {
    expect(rateRag(80, 80, BIGGER).status).toBe(Rag.GREEN);
    expect(rateRag(80, 80, SMALLER).status).toBe(Rag.GREEN);
  });

  it('uses 5% of the target, not 5 percentage points: 76 against 80 (bigger is better) is Amber, 75.9 is Red', () => {
    // 80 x 0.95 = 76; percentage points would wrongly allow down to 75.
    expect(rateRag(76, 80, BIGGER).status).toBe(Rag.AMBER);
    expect(rateRag(75.9, 80, BIGGER).status).toBe(Rag.RED);
  });

  it("rates Norfolk's first line fix, 21.6 against 28 (bigger is better), Red at 22.9% short", () => {
    const rating = rateRag(21.6, 28, BIGGER);
    expect(rating.status).toBe(Rag.RED);
    expect(rating.shortfall).toBeCloseTo(6.4 / 28, 12);
  });

  it('rates anything better than target Green with no shortfall', () => {
    expect(rateRag(84, 80, BIGGER)).toMatchObject({ status: Rag.GREEN, shortfall: 0 });
    expect(rateRag(0.8, 1.5, SMALLER)).toMatchObject({ status: Rag.GREEN, shortfall: 0 });
  });

  it('treats any value worse than a target of zero as Red, and zero itself as Green', () => {
    expect(rateRag(0.1, 0, SMALLER)).toMatchObject({ status: Rag.RED, shortfall: null });
    expect(rateRag(0, 0, SMALLER).status).toBe(Rag.GREEN);
    expect(rateRag(-1, 0, BIGGER).status).toBe(Rag.RED);
  });

  it('measures shortfall against the size of a negative target (Net Promoter Score)', () => {
    // Target -10, value -10.4: 0.4 worse, 4% of |-10|.
    expect(rateRag(-10.4, -10, BIGGER).status).toBe(Rag.AMBER);
    expect(rateRag(-11, -10, BIGGER).status).toBe(Rag.RED);
  });

  it('honours a tolerance set for the indicator', () => {
    expect(rateRag(90, 100, BIGGER, 0.1).status).toBe(Rag.AMBER);
    expect(rateRag(90, 100, BIGGER, 0.05).status).toBe(Rag.RED);
    expect(rateRag(99.9, 100, BIGGER, 0).status).toBe(Rag.RED);
  });
});
