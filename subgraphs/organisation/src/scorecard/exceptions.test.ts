import { describe, expect, it } from 'vitest';
import { ExceptionRule, Polarity, Rag } from '@crossgov/schema';
import { type ExceptionPoint, findExceptions } from './exceptions.ts';

const points = (values: (number | null)[], rags: (Rag | null)[] = []): ExceptionPoint[] =>
  values.map((value, i) => ({
    period: `2019-${String(i + 1).padStart(2, '0')}`,
    value,
    rag: rags[i] ?? null,
  }));
const rules = (list: ReturnType<typeof findExceptions>) => list.map((e) => e.rule);

describe('exceptions', () => {
  it('reports a Red latest value', () => {
    expect(
      rules(findExceptions(points([5, 6], [Rag.GREEN, Rag.RED]), Polarity.BIGGER_IS_BETTER)),
    ).toEqual([ExceptionRule.LATEST_RED]);
  });

  it('reports three deteriorations in a row (bigger is better: 10, 9, 8, 7)', () => {
    const found = findExceptions(points([10, 9, 8, 7]), Polarity.BIGGER_IS_BETTER);
    expect(rules(found)).toEqual([ExceptionRule.THREE_DETERIORATIONS]);
    expect(found[0]!.description).toContain(
      '10 (2019-01) -> 9 (2019-02) -> 8 (2019-03) -> 7 (2019-04)',
    );
  });

  it('reads deterioration by polarity: a rise is a deterioration when smaller is better', () => {
    expect(rules(findExceptions(points([7, 8, 9, 10]), Polarity.SMALLER_IS_BETTER))).toEqual([
      ExceptionRule.THREE_DETERIORATIONS,
    ]);
    expect(findExceptions(points([7, 8, 9, 10]), Polarity.BIGGER_IS_BETTER)).toEqual([]);
  });

  it('needs four figures for three changes, and an unchanged period breaks the run', () => {
    expect(findExceptions(points([9, 8, 7]), Polarity.BIGGER_IS_BETTER)).toEqual([]);
    expect(findExceptions(points([10, 9, 9, 8]), Polarity.BIGGER_IS_BETTER)).toEqual([]);
  });

  it('does not bridge a missing period', () => {
    expect(findExceptions(points([10, 9, null, 8, 7]), Polarity.BIGGER_IS_BETTER)).toEqual([]);
  });

  it('reports three Amber periods in a row, but not two', () => {
    expect(
      rules(
        findExceptions(
          points([1, 2, 3], [Rag.AMBER, Rag.AMBER, Rag.AMBER]),
          Polarity.BIGGER_IS_BETTER,
        ),
      ),
    ).toEqual([ExceptionRule.THREE_AMBER]);
    expect(
      findExceptions(
        points([1, 2, 3], [Rag.GREEN, Rag.AMBER, Rag.AMBER]),
        Polarity.BIGGER_IS_BETTER,
      ),
    ).toEqual([]);
  });

  it('reports every rule that holds at once', () => {
    const found = findExceptions(
      points([10, 9, 8, 7], [Rag.AMBER, Rag.AMBER, Rag.AMBER, Rag.RED]),
      Polarity.BIGGER_IS_BETTER,
    );
    expect(rules(found)).toEqual([ExceptionRule.LATEST_RED, ExceptionRule.THREE_DETERIORATIONS]);
  });

  it('reports nothing when the latest period has no figure', () => {
    expect(
      findExceptions(
        points([10, 9, 8, null], [Rag.RED, Rag.RED, Rag.RED, null]),
        Polarity.BIGGER_IS_BETTER,
      ),
    ).toEqual([]);
  });

  it("writes a ratio's figures in the indicator's unit as the dashboard's table does, not in full binary expansion", () => {
    const found = findExceptions(
      points(
        [86.51926415452967, 85.71499184196, 85.36943552088814, 83.2660023341413],
        [Rag.AMBER, Rag.AMBER, Rag.RED, Rag.RED],
      ),
      Polarity.BIGGER_IS_BETTER,
      'PERCENT',
    );
    expect(found.map((e) => e.description)).toEqual([
      'The latest value (83.3% in 2019-04) is Red.',
      'Worse in each of the latest three periods: 86.5% (2019-01) -> 85.7% (2019-02) -> 85.4% (2019-03) -> 83.3% (2019-04).',
    ]);
    expect(
      findExceptions(points([1234.5], [Rag.RED]), Polarity.SMALLER_IS_BETTER, 'CURRENCY')[0]!
        .description,
    ).toBe('The latest value (£1,235 in 2019-01) is Red.');
    // Without a unit, a plain number to at most two decimals.
    expect(
      findExceptions(points([83.2660023341413], [Rag.RED]), Polarity.BIGGER_IS_BETTER)[0]!
        .description,
    ).toBe('The latest value (83.27 in 2019-01) is Red.');
  });

  it('writes a run of deteriorations with enough decimals that each figure reads worse than the one before', () => {
    // 86.54, 86.53, 86.52, 86.51 would all read 86.5%.
    const found = findExceptions(
      points([86.54, 86.53, 86.52, 86.51]),
      Polarity.BIGGER_IS_BETTER,
      'PERCENT',
    );
    expect(found[0]!.description).toBe(
      'Worse in each of the latest three periods: 86.54% (2019-01) -> 86.53% (2019-02) -> 86.52% (2019-03) -> 86.51% (2019-04).',
    );
  });
});

describe('exceptions closest to target', () => {
  const CLOSEST = Polarity.CLOSEST_TO_TARGET;
  /** Consecutive months from 2019-01, each with its own target (one target for all when a number). */
  const aimed = (
    values: number[],
    targets: number | (number | null | undefined)[],
  ): ExceptionPoint[] =>
    points(values).map((p, i) => ({
      ...p,
      target: typeof targets === 'number' ? targets : targets[i],
    }));

  it('reports three deteriorations when each change moves further from the target, either side (1.0, 1.1, 0.8, 1.3 against 1)', () => {
    // distances 0, 0.1, 0.2, 0.3
    const found = findExceptions(aimed([1.0, 1.1, 0.8, 1.3], 1), CLOSEST);
    expect(found).toEqual([
      {
        rule: ExceptionRule.THREE_DETERIORATIONS,
        description:
          'Worse in each of the latest three periods, further from the target each time: 1 (2019-01) -> 1.1 (2019-02) -> 0.8 (2019-03) -> 1.3 (2019-04).',
      },
    ]);
  });

  it('does not report a run whose last figure comes back towards the target (1.0, 1.1, 1.2, 0.95 against 1)', () => {
    // distances 0, 0.1, 0.2, 0.05
    expect(findExceptions(aimed([1.0, 1.1, 1.2, 0.95], 1), CLOSEST)).toEqual([]);
  });

  it('does not call a steady fall towards the target a deterioration (10, 9, 8, 7 against 5)', () => {
    expect(findExceptions(aimed([10, 9, 8, 7], 5), CLOSEST)).toEqual([]);
    // ... but the same figures are three deteriorations when bigger is better.
    expect(rules(findExceptions(aimed([10, 9, 8, 7], 5), Polarity.BIGGER_IS_BETTER))).toEqual([
      ExceptionRule.THREE_DETERIORATIONS,
    ]);
  });

  it("judges each figure against its own period's target", () => {
    // The figure never moves, the target rises away from it: distances 0, 1, 2, 3.
    expect(rules(findExceptions(aimed([10, 10, 10, 10], [10, 11, 12, 13]), CLOSEST))).toEqual([
      ExceptionRule.THREE_DETERIORATIONS,
    ]);
    // Rising figures that keep pace with a rising target: distances 1, 1, 1, 1.
    expect(findExceptions(aimed([11, 12, 13, 14], [10, 11, 12, 13]), CLOSEST)).toEqual([]);
  });

  it('does not report deteriorations when any of the four points has no target', () => {
    expect(findExceptions(aimed([1.0, 1.1, 0.8, 1.3], [1, 1, null, 1]), CLOSEST)).toEqual([]);
    expect(findExceptions(aimed([1.0, 1.1, 0.8, 1.3], [undefined, 1, 1, 1]), CLOSEST)).toEqual([]);
    expect(findExceptions(points([1.0, 1.1, 0.8, 1.3]), CLOSEST)).toEqual([]);
  });

  it('lets a period as far from the target as the one before break the run (10, 12, 8, 13 against 10)', () => {
    // distances 0, 2, 2, 3
    expect(findExceptions(aimed([10, 12, 8, 13], 10), CLOSEST)).toEqual([]);
  });

  it('does not count 1.1 after 0.9 against 1 as further from the target (1.0, 0.9, 1.1, 1.3)', () => {
    expect(findExceptions(aimed([1.0, 0.9, 1.1, 1.3], 1), CLOSEST)).toEqual([]);
  });

  it('still reports a Red latest value and three Ambers', () => {
    const found = findExceptions(
      points([1.0, 1.1, 0.8, 1.3], [Rag.AMBER, Rag.AMBER, Rag.AMBER, Rag.RED]).map((p) => ({
        ...p,
        target: 1,
      })),
      CLOSEST,
    );
    expect(rules(found)).toEqual([ExceptionRule.LATEST_RED, ExceptionRule.THREE_DETERIORATIONS]);
    expect(
      rules(findExceptions(points([9, 11, 9], [Rag.AMBER, Rag.AMBER, Rag.AMBER]), CLOSEST)),
    ).toEqual([ExceptionRule.THREE_AMBER]);
  });
});
