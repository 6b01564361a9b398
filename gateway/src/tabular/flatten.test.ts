import { describe, expect, it } from 'vitest';
import { FlattenError, flatten } from './flatten.ts';

describe('flattening a GraphQL result into a table', () => {
  it('makes one row per element of a nested list, carrying its parents and dotting nested names', () => {
    const data = {
      organisations: [
        {
          name: 'Synergy',
          scorecard: [
            { indicator: 'a', latest: { value: 1, rag: { status: 'GREEN' } } },
            { indicator: 'b', latest: null },
          ],
        },
        { name: 'Matrix', scorecard: [{ indicator: 'a', latest: { value: 2, rag: null } }] },
      ],
    };
    expect(flatten(data)).toEqual({
      columns: [
        'organisations.name',
        'organisations.scorecard.indicator',
        'organisations.scorecard.latest.value',
        'organisations.scorecard.latest.rag.status',
        'organisations.scorecard.latest',
        'organisations.scorecard.latest.rag',
      ],
      rows: [
        {
          'organisations.name': 'Synergy',
          'organisations.scorecard.indicator': 'a',
          'organisations.scorecard.latest.value': 1,
          'organisations.scorecard.latest.rag.status': 'GREEN',
        },
        {
          'organisations.name': 'Synergy',
          'organisations.scorecard.indicator': 'b',
          'organisations.scorecard.latest': null,
        },
        {
          'organisations.name': 'Matrix',
          'organisations.scorecard.indicator': 'a',
          'organisations.scorecard.latest.value': 2,
          'organisations.scorecard.latest.rag': null,
        },
      ],
    });
  });

  it('keeps a parent with an empty list as one row with that column blank, and joins a list of scalars with semicolons', () => {
    expect(flatten({ organisations: [{ id: 'x', tags: ['a', 'b'], services: [] }] }).rows).toEqual([
      { 'organisations.id': 'x', 'organisations.tags': 'a;b', 'organisations.services': '' },
    ]);
  });

  it('refuses two sibling lists, which would multiply into every combination', () => {
    const data = {
      organisation: { services: [{ id: 1 }, { id: 2 }], milestones: [{ id: 3 }, { id: 4 }] },
    };
    expect(() => flatten(data)).toThrow(FlattenError);
    expect(() => flatten(data)).toThrow(
      'organisation.services and organisation.milestones are both lists at the same level',
    );
  });
});
