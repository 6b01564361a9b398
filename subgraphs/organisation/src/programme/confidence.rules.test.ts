import { describe, expect, it } from 'vitest';
import {
  type Assessment,
  Assessor,
  DcaChange,
  DcaRating,
  DcaScale,
  checkAssessment,
  latestConfidence,
  ordinal,
  scaleOn,
} from './confidence.rules.ts';

const { FIVE_POINT: FIVE, THREE_POINT: THREE } = DcaScale;
const ipa = (scale: DcaScale, rating: DcaRating, assessedOn: string): Assessment => ({
  assessor: Assessor.IPA,
  scale,
  rating,
  assessedOn,
});
const sro = (scale: DcaScale, rating: DcaRating, assessedOn: string): Assessment => ({
  assessor: Assessor.SRO,
  scale,
  rating,
  assessedOn,
});

describe('delivery confidence scales', () => {
  it('used the five-point scale until the end of 2020 and the three-point one from 1 January 2021', () => {
    expect(scaleOn('2020-12-31')).toBe(FIVE);
    expect(scaleOn('2021-01-01')).toBe(THREE);
    expect(scaleOn('2019-01-01')).toBe(FIVE);
  });

  it('places the five-point ratings at 1 to 5 from Green to Red', () => {
    const ratings = [
      DcaRating.GREEN,
      DcaRating.AMBER_GREEN,
      DcaRating.AMBER,
      DcaRating.AMBER_RED,
      DcaRating.RED,
    ];
    expect(ratings.map((rating) => ordinal({ scale: FIVE, rating }))).toEqual([1, 2, 3, 4, 5]);
  });

  it('places three-point Green, Amber and Red at 1, 3 and 5, where the five-point ones sit', () => {
    expect(
      [DcaRating.GREEN, DcaRating.AMBER, DcaRating.RED].map((rating) =>
        ordinal({ scale: THREE, rating }),
      ),
    ).toEqual([1, 3, 5]);
  });

  it('gives EXEMPT, RESET and a rating the scale lacks no place on the axis', () => {
    expect(ordinal({ scale: THREE, rating: DcaRating.EXEMPT })).toBeNull();
    expect(ordinal({ scale: FIVE, rating: DcaRating.RESET })).toBeNull();
    expect(ordinal({ scale: THREE, rating: DcaRating.AMBER_GREEN })).toBeNull();
  });
});

describe('checking an assessment', () => {
  it('rejects AMBER_GREEN on the three-point scale, naming the field, the value and the rule', () => {
    expect(checkAssessment(ipa(THREE, DcaRating.AMBER_GREEN, '2023-01-01'))).toEqual([
      {
        field: 'rating',
        value: 'AMBER_GREEN',
        rule: 'is not on the three-point scale (GREEN, AMBER, RED): AMBER_GREEN and AMBER_RED exist only on the five-point scale',
      },
    ]);
  });

  it('rejects AMBER_RED on the three-point scale too, but accepts both on the five-point one', () => {
    expect(
      checkAssessment(ipa(THREE, DcaRating.AMBER_RED, '2023-01-01')).map((p) => p.field),
    ).toEqual(['rating']);
    expect(checkAssessment(ipa(FIVE, DcaRating.AMBER_GREEN, '2019-01-01'))).toEqual([]);
    expect(checkAssessment(ipa(FIVE, DcaRating.AMBER_RED, '2019-01-01'))).toEqual([]);
  });

  it('accepts EXEMPT and RESET, which occur in published data, on either scale', () => {
    expect(checkAssessment(sro(THREE, DcaRating.EXEMPT, '2023-01-01'))).toEqual([]);
    expect(checkAssessment(ipa(FIVE, DcaRating.RESET, '2019-01-01'))).toEqual([]);
  });

  it('rejects values from outside the enums and a date that is not a calendar day, as rows read from storage may carry', () => {
    const bad = {
      assessor: 'NAO',
      scale: 'TEN_POINT',
      rating: 'PURPLE',
      assessedOn: '2023',
    } as unknown as Assessment;
    expect(checkAssessment(bad).map((p) => [p.field, p.value])).toEqual([
      ['assessor', 'NAO'],
      ['scale', 'TEN_POINT'],
      ['rating', 'PURPLE'],
      ['assessedOn', '2023'],
    ]);
    expect(checkAssessment(ipa(THREE, DcaRating.GREEN, '2023-02-30'))).toEqual([
      {
        field: 'assessedOn',
        value: '2023-02-30',
        rule: 'must be a calendar day written YYYY-MM-DD',
      },
    ]);
  });
});

describe('latest delivery confidence', () => {
  it('is null when the assessor has made no assessment, even if the other assessor has', () => {
    expect(latestConfidence([ipa(THREE, DcaRating.RED, '2023-01-01')], Assessor.SRO)).toBeNull();
    expect(latestConfidence([], Assessor.IPA)).toBeNull();
  });

  it('calls a lone assessment FIRST, with no previous one', () => {
    const only = ipa(FIVE, DcaRating.RED, '2023-01-01');
    expect(latestConfidence([only], Assessor.IPA)).toEqual({
      latest: only,
      previous: null,
      change: DcaChange.FIRST,
      rule: "FIRST: the IPA's first assessment, RED (five-point) on 2023-01-01",
    });
  });

  it('sees AMBER to GREEN on the three-point scale as IMPROVED', () => {
    const result = latestConfidence(
      [ipa(THREE, DcaRating.AMBER, '2022-01-01'), ipa(THREE, DcaRating.GREEN, '2023-01-01')],
      Assessor.IPA,
    )!;
    expect(result.change).toBe(DcaChange.IMPROVED);
    expect(result.rule).toBe(
      "IMPROVED: the IPA's AMBER (three-point) on 2022-01-01 -> GREEN (three-point) on 2023-01-01: 3 -> 1 on the common 1 (Green) to 5 (Red) axis",
    );
  });

  it('sees AMBER_GREEN to AMBER_RED on the five-point scale as WORSENED, and the same rating twice as UNCHANGED', () => {
    expect(
      latestConfidence(
        [
          ipa(FIVE, DcaRating.AMBER_GREEN, '2018-01-01'),
          ipa(FIVE, DcaRating.AMBER_RED, '2019-01-01'),
        ],
        Assessor.IPA,
      )!.change,
    ).toBe(DcaChange.WORSENED);
    expect(
      latestConfidence(
        [ipa(FIVE, DcaRating.AMBER, '2018-01-01'), ipa(FIVE, DcaRating.AMBER, '2019-01-01')],
        Assessor.IPA,
      )!.change,
    ).toBe(DcaChange.UNCHANGED);
  });

  it('compares five-point AMBER_RED in 2020 with three-point RED in 2023 on the common axis: WORSENED, 4 -> 5', () => {
    const result = latestConfidence(
      [ipa(FIVE, DcaRating.AMBER_RED, '2020-01-01'), ipa(THREE, DcaRating.RED, '2023-01-01')],
      Assessor.IPA,
    )!;
    expect(result.change).toBe(DcaChange.WORSENED);
    expect(result.rule).toBe(
      "WORSENED: the IPA's AMBER_RED (five-point) on 2020-01-01 -> RED (three-point) on 2023-01-01: 4 -> 5 on the common 1 (Green) to 5 (Red) axis, across the change from the five-point to the three-point scale",
    );
  });

  it('counts five-point AMBER then three-point AMBER as UNCHANGED across the change of scale', () => {
    expect(
      latestConfidence(
        [ipa(FIVE, DcaRating.AMBER, '2020-06-01'), ipa(THREE, DcaRating.AMBER, '2021-06-01')],
        Assessor.IPA,
      )!.change,
    ).toBe(DcaChange.UNCHANGED);
  });

  it('calls a change to or from EXEMPT or RESET NOT_COMPARABLE and says which rating has no place', () => {
    const toExempt = latestConfidence(
      [ipa(THREE, DcaRating.AMBER, '2022-01-01'), ipa(THREE, DcaRating.EXEMPT, '2023-01-01')],
      Assessor.IPA,
    )!;
    expect(toExempt.change).toBe(DcaChange.NOT_COMPARABLE);
    expect(toExempt.rule).toBe(
      "NOT_COMPARABLE: the IPA's AMBER (three-point) on 2022-01-01 -> EXEMPT (three-point) on 2023-01-01; EXEMPT (three-point) has no place on the Green-Red scale",
    );
    const fromReset = latestConfidence(
      [sro(THREE, DcaRating.RESET, '2022-01-01'), sro(THREE, DcaRating.GREEN, '2023-01-01')],
      Assessor.SRO,
    )!;
    expect(fromReset.change).toBe(DcaChange.NOT_COMPARABLE);
    expect(fromReset.rule).toContain('RESET (three-point) has no place');
  });

  it('sorts unsorted input by date and compares the latest with the one just before it', () => {
    const history = [
      ipa(THREE, DcaRating.RED, '2024-01-01'),
      ipa(FIVE, DcaRating.GREEN, '2019-01-01'),
      ipa(THREE, DcaRating.AMBER, '2022-01-01'),
    ];
    const result = latestConfidence(history, Assessor.IPA)!;
    expect(result.latest.assessedOn).toBe('2024-01-01');
    expect(result.previous!.assessedOn).toBe('2022-01-01');
    expect(result.change).toBe(DcaChange.WORSENED);
  });

  it("never compares one assessor's rating with the other's", () => {
    const history = [
      ipa(THREE, DcaRating.RED, '2023-01-01'),
      sro(THREE, DcaRating.GREEN, '2023-06-01'),
      ipa(THREE, DcaRating.RED, '2024-01-01'),
      sro(THREE, DcaRating.AMBER, '2024-06-01'),
    ];
    expect(latestConfidence(history, Assessor.IPA)).toMatchObject({
      change: DcaChange.UNCHANGED,
      previous: { rating: DcaRating.RED },
    });
    expect(latestConfidence(history, Assessor.SRO)).toMatchObject({
      change: DcaChange.WORSENED,
      previous: { rating: DcaRating.GREEN },
    });
  });
});
