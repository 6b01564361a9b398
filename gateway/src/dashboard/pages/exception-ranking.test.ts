import { describe, expect, it } from 'vitest';
import { type RankedException, rankExceptions, ruleRank } from './exception-ranking.ts';

const exception = (
  organisation: string,
  indicator: string,
  rules: string[],
  shortfall: number | null | undefined,
  stale = false,
): RankedException => ({
  organisation,
  indicator,
  rules,
  stale,
  rag: shortfall === undefined ? null : { shortfall },
});
const order = (list: RankedException[]) =>
  rankExceptions(list).map((e) => `${e.organisation} ${e.indicator}`);

describe('the ranking of exceptions', () => {
  it('puts a latest Red first, then three deteriorations, then three Ambers, whatever order they came in', () => {
    expect(
      order([
        exception('Defence', 'Payroll accuracy', ['THREE_AMBER'], 0.01),
        exception('Matrix', 'Net Promoter Score', ['LATEST_RED'], 0.35),
        exception('Unity', 'Invoices paid', ['THREE_DETERIORATIONS'], 0.02),
      ]),
    ).toEqual(['Matrix Net Promoter Score', 'Unity Invoices paid', 'Defence Payroll accuracy']);
  });

  it('ranks an indicator by its most severe rule: Red with three deteriorations is a Red', () => {
    expect(
      order([
        exception('Alpha', 'A', ['THREE_DETERIORATIONS'], 0.5),
        exception('Zulu', 'Z', ['THREE_DETERIORATIONS', 'LATEST_RED'], 0.06),
      ]),
    ).toEqual(['Zulu Z', 'Alpha A']);
  });

  it('within a rule puts the furthest from target first: 35% short before 6% short', () => {
    // Matrix: 13 against a target of 20 is 35% short; Unity: 83.3% against 88.6% is about 6% short.
    expect(
      order([
        exception('Unity', 'Invoices', ['LATEST_RED'], 0.06),
        exception('Matrix', 'NPS', ['LATEST_RED'], 0.35),
      ]),
    ).toEqual(['Matrix NPS', 'Unity Invoices']);
  });

  it('counts a figure worse than a target of 0 (no relative shortfall) as the furthest, and one without a target as the nearest', () => {
    expect(
      order([
        exception('B', 'no target', ['THREE_DETERIORATIONS'], undefined),
        exception('C', 'short', ['THREE_DETERIORATIONS'], 0.1),
        exception('D', 'target of 0', ['THREE_DETERIORATIONS'], null),
      ]),
    ).toEqual(['D target of 0', 'C short', 'B no target']);
  });

  it('puts current figures before stale ones within a rule, however far a stale one is from its target', () => {
    // Norfolk's 2019 Red is 50% short but stale; Interoperability's current Red is 10% short.
    expect(
      order([
        exception('Norfolk County Council', 'First line fix', ['LATEST_RED'], 0.5, true),
        exception('Interoperability', 'Programmes', ['LATEST_RED'], 0.1),
      ]),
    ).toEqual(['Interoperability Programmes', 'Norfolk County Council First line fix']);
    // A stale Red still outranks a current decline.
    expect(
      order([
        exception('Unity', 'Invoices', ['THREE_DETERIORATIONS'], 0.06),
        exception('Norfolk', 'Accounts', ['LATEST_RED'], 0.2, true),
      ]),
    ).toEqual(['Norfolk Accounts', 'Unity Invoices']);
  });

  it('breaks ties by organisation, then indicator, so the same data always lists the same way', () => {
    expect(
      order([
        exception('Unity', 'Payroll', ['THREE_AMBER'], 0.02),
        exception('Overseas', 'Payroll', ['THREE_AMBER'], 0.02),
        exception('Overseas', 'Invoices', ['THREE_AMBER'], 0.02),
      ]),
    ).toEqual(['Overseas Invoices', 'Overseas Payroll', 'Unity Payroll']);
  });

  it('puts a rule it does not know after the known ones, and leaves the list it was given as it was', () => {
    const given = [
      exception('A', 'new rule', ['SOMETHING_NEW'], 0.9),
      exception('B', 'amber', ['THREE_AMBER'], 0.01),
    ];
    expect(order(given)).toEqual(['B amber', 'A new rule']);
    expect(given.map((e) => e.organisation)).toEqual(['A', 'B']);
  });
});

describe('the severity of one rule', () => {
  it('is 0 for a latest Red, 1 for three deteriorations, 2 for three Ambers, and after them all for a rule the page does not know', () => {
    expect(
      ['LATEST_RED', 'THREE_DETERIORATIONS', 'THREE_AMBER', 'SOMETHING_NEW'].map(ruleRank),
    ).toEqual([0, 1, 2, 3]);
  });
});
