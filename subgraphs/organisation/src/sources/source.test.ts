import { describe, expect, it } from 'vitest';
import { SOURCES, sourceOf } from './index.ts';
import { Origins, hasPublicData, publicDataDir } from './source.ts';

describe('the published data sets', () => {
  // Each adapter's tests read the real files and are skipped, by name, where the files are not; this
  // one fails instead, so a checkout without them (CI, a fresh clone beside ../shared) cannot pass unseen.
  it(`are where the tests read them: ${publicDataDir()} (or CROSSGOV_PUBLIC_DATA)`, () => {
    expect(hasPublicData(), `no README.md in ${publicDataDir()}`).toBe(true);
  });

  it('are each read by one adapter, named by its folder, for a sector publisher', () => {
    expect(Object.keys(SOURCES)).toEqual([
      'gmpp-ipa-annual',
      'gov-transactions-explorer',
      'nhs-ae-attendances',
      'scotland-lgbf',
    ]);
    for (const [id, source] of Object.entries(SOURCES)) expect(source.id).toBe(id);
    expect(new Set(Object.values(SOURCES).map((s) => s.publisher.id))).toEqual(
      new Set(['cabinet-office', 'nhs-england', 'improvement-service']),
    );
    expect(() => sourceOf('nhs-ae-monthly')).toThrow(
      '"nhs-ae-monthly" is not a published data set the hub reads (known: gmpp-ipa-annual, gov-transactions-explorer, nhs-ae-attendances, scotland-lgbf)',
    );
  });

  it('name a record by its file and line, whatever row number the batch gives it', () => {
    const origins = new Origins();
    const first = origins.add('raw/uk_2014.csv', 12);
    const second = origins.add('raw/uk_2015.csv', 3);
    expect([first, second, origins.size]).toEqual([1, 2, 2]);
    expect(
      origins.locate({
        row: second,
        field: 'Department',
        value: 'XYZ',
        rule: 'is not a department',
        context: 'programme p',
      }),
    ).toEqual({
      row: 2,
      field: 'Department',
      value: 'XYZ',
      rule: 'is not a department',
      file: 'raw/uk_2015.csv',
      line: 3,
      context: 'raw/uk_2015.csv line 3, programme p',
    });
    expect(origins.locate({ row: 9, field: 'file', value: null, rule: 'x' })).toEqual({
      row: 9,
      field: 'file',
      value: null,
      rule: 'x',
    });
  });
});
