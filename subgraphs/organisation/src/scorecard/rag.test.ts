import { describe, expect, it } from 'vitest';
import { Polarity, Rag } from '@crossgov/schema';
import { rateClosest, rateRag } from './rag.ts';

const {
  BIGGER_IS_BETTER: BIGGER,
  SMALLER_IS_BETTER: SMALLER,
  CLOSEST_TO_TARGET: CLOSEST,
} = Polarity;

describe('RAG against target', () => {
  it('rates 10.4 against a target of 10 (smaller is better) Amber: 4% worse', () => {
    const rating = rateRag(10.4, 10, SMALLER);
    expect(rating.status).toBe(Rag.AMBER);
    expect(rating.shortfall).toBeCloseTo(0.04, 12);
    expect(rating.rule).toBe(
      'AMBER: 10.4 is 4% worse than the target of 10, within the 5% tolerance (smaller is better)',
    );
  });

  it('writes its figures in the unit as the dashboard does: 83.266% against 85% is 83.3% against 85.0%, 2% worse', () => {
    expect(rateRag(83.266, 85, BIGGER, 0.05, 'PERCENT').rule).toBe(
      'AMBER: 83.3% is 2% worse than the target of 85.0%, within the 5% tolerance (bigger is better)',
    );
    expect(rateRag(1095.4, 1000, SMALLER, 0.05, 'CURRENCY').rule).toBe(
      'RED: £1,095 is 9.5% worse than the target of £1,000, beyond the 5% tolerance (smaller is better)',
    );
    expect(rateClosest(1.04, 1, 0.05, 'RATIO').rule).toBe(
      'GREEN: 1.04 is 4% above the target of 1, within the 5% band (closest to the target is best)',
    );
  });

  it('never writes a value that missed its target as the target itself: 84.96% against 85% is 84.96% against 85.00%', () => {
    expect(rateRag(84.96, 85, BIGGER, 0.05, 'PERCENT').rule).toBe(
      'AMBER: 84.96% is less than 0.1% worse than the target of 85.00%, within the 5% tolerance (bigger is better)',
    );
    expect(rateRag(0.1, 0, SMALLER, 0.05, 'PERCENT').rule).toBe(
      'RED: 0.1% is worse than a target of 0.0%, which has no relative tolerance (smaller is better)',
    );
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

describe('RAG closest to target', () => {
  it('rates a value exactly on the target Green with no shortfall', () => {
    const rating = rateRag(10, 10, CLOSEST);
    expect(rating).toMatchObject({ status: Rag.GREEN, shortfall: 0, target: 10, tolerance: 0.05 });
    expect(rating.rule).toBe('GREEN: 10 is on the target of 10 (closest to the target is best)');
  });

  it('rates 10.4 against a target of 10 Green: 4% above, within the 5% band', () => {
    const rating = rateClosest(10.4, 10, 0.05);
    expect(rating).toMatchObject({ status: Rag.GREEN, shortfall: 0 });
    expect(rating.rule).toBe(
      'GREEN: 10.4 is 4% above the target of 10, within the 5% band (closest to the target is best)',
    );
  });

  it('rates 9.6 against a target of 10 Green: 4% below, within the 5% band', () => {
    expect(rateClosest(9.6, 10).rule).toBe(
      'GREEN: 9.6 is 4% below the target of 10, within the 5% band (closest to the target is best)',
    );
  });

  it('rates 10.5 and 9.5 against 10 Green: exactly on the edge of the 5% band is within it', () => {
    expect(rateClosest(10.5, 10)).toMatchObject({ status: Rag.GREEN, shortfall: 0 });
    expect(rateClosest(9.5, 10)).toMatchObject({ status: Rag.GREEN, shortfall: 0 });
  });

  it('rates 1.05 against 1 Green although 1.05 - 1 is 0.050000000000000044 in binary', () => {
    expect(rateClosest(1.05, 1).status).toBe(Rag.GREEN);
  });

  it('rates 11 against 10 Amber: 10% above is beyond the 5% band but within twice it, 5% short of the band', () => {
    const rating = rateClosest(11, 10);
    expect(rating.status).toBe(Rag.AMBER);
    // distance 1 / 10 = 10%, minus the 5% band = 5%
    expect(rating.shortfall).toBeCloseTo(0.05, 12);
    expect(rating.rule).toBe(
      'AMBER: 11 is 10% above the target of 10, beyond the 5% band but within twice it (closest to the target is best)',
    );
  });

  it('rates 9.2 against 10 Amber: 8% below, 3% short of the band', () => {
    const rating = rateClosest(9.2, 10);
    expect(rating.status).toBe(Rag.AMBER);
    expect(rating.shortfall).toBeCloseTo(0.03, 12);
    expect(rating.rule).toBe(
      'AMBER: 9.2 is 8% below the target of 10, beyond the 5% band but within twice it (closest to the target is best)',
    );
  });

  it('rates 1.1 against 1 Amber: exactly twice the band, despite binary rounding', () => {
    expect(rateClosest(1.1, 1).status).toBe(Rag.AMBER);
  });

  it('rates 11.01 against 10 Red: 10.1% above is beyond twice the 5% band, 5.1% short of the band', () => {
    const rating = rateClosest(11.01, 10);
    expect(rating.status).toBe(Rag.RED);
    expect(rating.shortfall).toBeCloseTo(0.051, 12);
    expect(rating.rule).toBe(
      'RED: 11.01 is 10.1% above the target of 10, beyond twice the 5% band (closest to the target is best)',
    );
  });

  it('rates 8 against 10 Red: 20% below, 15% short of the band', () => {
    const rating = rateClosest(8, 10);
    expect(rating.status).toBe(Rag.RED);
    expect(rating.shortfall).toBeCloseTo(0.15, 12);
    expect(rating.rule).toBe(
      'RED: 8 is 20% below the target of 10, beyond twice the 5% band (closest to the target is best)',
    );
  });

  it('rates closest to target through rateRag with the same answer as rateClosest', () => {
    expect([
      rateRag(10.4, 10, CLOSEST).status,
      rateRag(11, 10, CLOSEST).status,
      rateRag(12, 10, CLOSEST).status,
    ]).toEqual([Rag.GREEN, Rag.AMBER, Rag.RED]);
    expect(rateRag(9.2, 10, CLOSEST).rule).toBe(
      'AMBER: 9.2 is 8% below the target of 10, beyond the 5% band but within twice it (closest to the target is best)',
    );
  });

  it('treats a target of 0 as having no band: only 0 is Green, anything else Red with no shortfall', () => {
    expect(rateClosest(0, 0)).toMatchObject({ status: Rag.GREEN, shortfall: 0 });
    const above = rateClosest(0.1, 0);
    expect(above).toMatchObject({ status: Rag.RED, shortfall: null });
    expect(above.rule).toBe(
      'RED: 0.1 is off a target of 0, which has no relative band (closest to the target is best)',
    );
    expect(rateClosest(-0.001, 0)).toMatchObject({ status: Rag.RED, shortfall: null });
  });

  it('measures the band against the size of a negative target', () => {
    // Target -10: the band is 0.5 either side, twice it 1.
    expect(rateClosest(-10.4, -10).rule).toBe(
      'GREEN: -10.4 is 4% below the target of -10, within the 5% band (closest to the target is best)',
    );
    expect(rateClosest(-9, -10).rule).toBe(
      'AMBER: -9 is 10% above the target of -10, beyond the 5% band but within twice it (closest to the target is best)',
    );
    expect(rateClosest(-12, -10).status).toBe(Rag.RED);
  });

  it('honours a tolerance set for the indicator: a 10% band is Green to 11, Amber to 12, Red beyond', () => {
    expect(rateClosest(11, 10, 0.1).status).toBe(Rag.GREEN);
    expect(rateClosest(12, 10, 0.1)).toMatchObject({
      status: Rag.AMBER,
      shortfall: expect.closeTo(0.1, 12),
    });
    expect(rateClosest(12.01, 10, 0.1).status).toBe(Rag.RED);
    expect(rateClosest(12.01, 10, 0.1).rule).toBe(
      'RED: 12.01 is 20.1% above the target of 10, beyond twice the 10% band (closest to the target is best)',
    );
  });

  it('with a tolerance of 0 rates only the target itself Green', () => {
    expect(rateClosest(10, 10, 0).status).toBe(Rag.GREEN);
    expect(rateClosest(10.001, 10, 0)).toMatchObject({
      status: Rag.RED,
      shortfall: expect.closeTo(0.0001, 12),
    });
  });
});

describe('the rule sentence of a rating', () => {
  it('is the same string as before it was written lazily, for every branch of bigger and smaller', () => {
    const sentences: [ReturnType<typeof rateRag>, string][] = [
      [
        rateRag(84, 80, BIGGER),
        'GREEN: 84 is equal to or better than the target of 80 (bigger is better)',
      ],
      [
        rateRag(0.1, 0, SMALLER),
        'RED: 0.1 is worse than a target of 0, which has no relative tolerance (smaller is better)',
      ],
      [
        rateRag(76, 80, BIGGER),
        'AMBER: 76 is 5% worse than the target of 80, within the 5% tolerance (bigger is better)',
      ],
      [
        rateRag(10.51, 10, SMALLER),
        'RED: 10.51 is 5.1% worse than the target of 10, beyond the 5% tolerance (smaller is better)',
      ],
    ];
    for (const [rating, sentence] of sentences) {
      expect(typeof rating.rule).toBe('string');
      expect(rating.rule).toBe(sentence);
    }
  });

  it('gives the same string when read twice', () => {
    const bigger = rateRag(21.6, 28, BIGGER);
    const first = bigger.rule;
    expect(bigger.rule).toBe(first);
    expect(first).toBe(
      'RED: 21.6 is 22.9% worse than the target of 28, beyond the 5% tolerance (bigger is better)',
    );
    const closest = rateRag(11, 10, CLOSEST);
    expect(closest.rule).toBe(closest.rule);
  });

  it('is an ordinary enumerable field: a copy, a JSON answer and a deep comparison all carry it', () => {
    const rating = rateRag(10.4, 10, SMALLER);
    const sentence =
      'AMBER: 10.4 is 4% worse than the target of 10, within the 5% tolerance (smaller is better)';
    expect(Object.keys(rating)).toContain('rule');
    expect({ ...rating }.rule).toBe(sentence);
    expect(JSON.parse(JSON.stringify(rating)).rule).toBe(sentence);
    expect(rating).toEqual({
      status: Rag.AMBER,
      target: 10,
      tolerance: 0.05,
      shortfall: expect.closeTo(0.04, 12),
      rule: sentence,
    });
  });
});
