import { describe, expect, it } from 'vitest';
import { type SpcChartInput, type SpcChartPoint, spcChart } from './spc-chart.ts';

type Variation = SpcChartPoint['variation'];

function point(
  period: string,
  value: number | null,
  variation: Variation = 'COMMON_CAUSE',
  signal: string | null = null,
): SpcChartPoint {
  return {
    period,
    value,
    variation,
    signal: signal ?? (variation === 'COMMON_CAUSE' ? 'COMMON_CAUSE' : null),
    mean: 87.7,
    upperLimit: 95.3,
    lowerLimit: 80.1,
  };
}

function chart(points: SpcChartPoint[], overrides: Partial<SpcChartInput> = {}): string {
  return spcChart({
    id: 'calls',
    title: 'Calls answered',
    unit: 'PERCENT',
    points,
    target: null,
    ...overrides,
  });
}

const count = (svg: string, pattern: RegExp) =>
  svg.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
const descOf = (svg: string) => /<desc id="[^"]*">([^<]*)<\/desc>/.exec(svg)?.[1];

const series = [
  point('2025-01', 86),
  point('2025-02', 91.5, 'IMPROVEMENT', 'SHIFT'),
  point('2025-03', 88),
  point('2025-04', 79, 'CONCERN', 'OUTSIDE_LIMITS'),
  point('2025-05', 87.5),
];

describe('an SPC chart', () => {
  it('is an image labelled by its title and described by its summary', () => {
    const svg = chart(series);
    expect(svg).toMatch(
      /^<svg [^>]*role="img" aria-labelledby="calls-title calls-desc" viewBox="0 0 \d+ \d+" width="100%"/,
    );
    expect(svg).toContain('font-family="GDS Transport, arial, sans-serif"');
    expect(svg).toContain('<title id="calls-title">Calls answered</title>');
  });

  it('draws a grey circle for common cause, a blue square for improvement and a red triangle for concern', () => {
    const svg = chart(series);
    expect(count(svg, /<circle class="spc-point spc-point--common-cause" fill="#505a5f"/)).toBe(3);
    expect(count(svg, /<rect class="spc-point spc-point--improvement" fill="#1d70b8"/)).toBe(1);
    expect(count(svg, /<polygon class="spc-point spc-point--concern" fill="#d4351c"/)).toBe(1);
  });

  it('draws a hollow marker for a point reported before there were enough figures to judge its variation', () => {
    const svg = chart([point('2025-01', 86, null), ...series.slice(1)]);
    expect(
      count(svg, /<circle class="spc-point spc-point--unassessed" fill="#ffffff" stroke="#505a5f"/),
    ).toBe(1);
    expect(svg).toContain('>Not assessed</text>');
  });

  it('draws a special cause with no better direction (an indicator closest to target, without one) as a purple diamond, named in the key and the summary', () => {
    const svg = chart([...series.slice(0, 4), point('2025-05', 99, 'NEITHER', 'OUTSIDE_LIMITS')], {
      unit: 'COUNT',
    });
    expect(count(svg, /<polygon class="spc-point spc-point--neither" fill="#4c2c92"/)).toBe(1);
    expect(svg).toContain('>Special cause, neither better nor worse</text>');
    expect(svg).toContain(
      '<title>2025-05: 99. Special cause, neither better nor worse: a point outside the process limits.</title>',
    );
    expect(descOf(svg)).toContain('1 point shows a special cause with no better direction.');
  });

  it('draws a variation it does not know hollow, as not assessed, rather than failing', () => {
    const svg = chart([...series.slice(0, 4), point('2025-05', 88, 'SOMETHING_NEW' as Variation)]);
    expect(count(svg, /class="spc-point spc-point--unassessed"/)).toBe(1);
  });

  it('breaks the data line at a period with no figure, and gives that period no marker', () => {
    const svg = chart([
      point('2025-01', 86),
      point('2025-02', 88),
      point('2025-03', null, null),
      point('2025-04', 89),
      point('2025-05', 87),
    ]);
    expect(count(svg, /<path class="spc-line"/)).toBe(2);
    expect(count(svg, /class="spc-point /)).toBe(4);
  });

  it('summarises the series in words: length, latest figure, limits, signals and target', () => {
    expect(descOf(chart(series, { target: 90 }))).toBe(
      '5 periods from 2025-01 to 2025-05. Latest 2025-05: 87.5%. Process limits 80.1% to 95.3% around a mean of 87.7%. 1 point shows concern and 1 improvement. Target 90.0%.',
    );
  });

  it('says when no point shows a signal and counts the periods with no figure', () => {
    const svg = chart([point('Q1', 10), point('Q2', null, null), point('Q3', 12)], {
      unit: 'COUNT',
      target: null,
    });
    expect(descOf(svg)).toBe(
      '3 periods from Q1 to Q3, 1 with no figure. Latest Q3: 12. Process limits 80.1 to 95.3 around a mean of 87.7. No points show improvement or concern.',
    );
  });

  it('gives each point a tooltip with its period, value and signal', () => {
    const svg = chart(series);
    expect(svg).toContain(
      '<title>2025-04: 79.0%. Concern: a point outside the process limits.</title>',
    );
    expect(svg).toContain('<title>2025-03: 88.0%. Common cause variation.</title>');
  });

  it('draws the target as a labelled line only when there is a target', () => {
    const withTarget = chart(series, { target: 90 });
    expect(withTarget).toContain('class="spc-target"');
    expect(withTarget).toMatch(/<text [^>]*>Target<\/text><\/g>/);
    const without = chart(series);
    expect(without).not.toContain('class="spc-target"');
    expect(without).not.toContain('>Target<');
  });

  it('names every kind of marker and line in the legend', () => {
    const svg = chart(series, { target: 90 });
    for (const label of [
      'Common cause',
      'Improvement',
      'Concern',
      'Mean',
      'Process limits',
      'Target',
    ])
      expect(svg).toContain(`>${label}</text>`);
  });

  it('leaves the mean and process limits out of the legend while there are none to draw', () => {
    const svg = chart(
      series.map((p) => ({
        ...p,
        mean: null,
        upperLimit: null,
        lowerLimit: null,
        variation: null,
      })),
    );
    expect(svg).not.toContain('spc-limit');
    expect(svg).not.toContain('>Mean</text>');
    expect(svg).not.toContain('>Process limits</text>');
  });

  it('steps the process limits where they were rebased', () => {
    const rebased = series.map((p, i) =>
      i >= 3 ? { ...p, upperLimit: 92, lowerLimit: 84, mean: 88 } : p,
    );
    const paths = [...chart(rebased).matchAll(/<path class="spc-limit" d="([^"]+)"/g)].map(
      (m) => m[1] ?? '',
    );
    expect(paths).toHaveLength(2);
    for (const d of paths) expect(d).toMatch(/ V[\d.]+ H/);
    const flat = [...chart(series).matchAll(/<path class="spc-limit" d="([^"]+)"/g)].map(
      (m) => m[1] ?? '',
    );
    for (const d of flat) expect(d).not.toContain('V');
  });

  it('draws a higher value higher up the chart', () => {
    const ys = [...chart(series).matchAll(/class="spc-point [^"]*"[^>]*?(?:cy|y)="([\d.]+)"/g)].map(
      (m) => Number(m[1]),
    );
    // 2025-03 (88) sits above 2025-01 (86).
    expect(ys[2]).toBeLessThan(ys[0] ?? 0);
  });

  it('labels at most 8 periods however long the series, always including the latest', () => {
    const long = Array.from({ length: 60 }, (_, i) =>
      point(`P${String(i + 1).padStart(2, '0')}`, 80 + (i % 7)),
    );
    const svg = chart(long);
    const labels = [...svg.matchAll(/<text [^>]*text-anchor="middle">(P\d+)<\/text>/g)].map(
      (m) => m[1],
    );
    expect(labels.length).toBeLessThanOrEqual(8);
    expect(labels.length).toBeGreaterThanOrEqual(4);
    expect(labels[labels.length - 1]).toBe('P60');
  });

  it('escapes the title, the periods and the signals', () => {
    const svg = chart([point('<b>1</b>', 5, 'CONCERN', '<script>')], { title: 'A < B & "C"' });
    expect(svg).toContain('<title id="calls-title">A &lt; B &amp; &quot;C&quot;</title>');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<script>');
  });

  it('says no figures were reported rather than throwing when there is nothing to draw', () => {
    for (const points of [[], [point('2025-01', null, null)]]) {
      const svg = chart(points);
      expect(descOf(svg)).toBe('No figures reported.');
      expect(svg).toContain('role="img"');
      expect(svg).not.toContain('spc-point');
    }
  });
});

describe('an SPC chart of figures no rule would accept today', () => {
  const extreme = (values: (number | null)[], limits: Partial<SpcChartPoint> = {}) =>
    chart(
      values.map((value, i) => ({
        ...point(`2025-${String(i + 1).padStart(2, '0')}`, value),
        ...limits,
      })),
      { unit: 'SCORE' },
    );

  it.each([
    ['a score of 1.7e308 among ordinary ones', [24, 1.7e308, 26], {}],
    ['the largest doubles of both signs', [Number.MAX_VALUE, -Number.MAX_VALUE], {}],
    ['equal huge values', [1e308, 1e308, 1e308], {}],
    ['equal tiny values', [Number.MIN_VALUE, Number.MIN_VALUE], {}],
    [
      'NaN and Infinity among the values and limits',
      [Number.NaN, 5, Number.POSITIVE_INFINITY, 7],
      {
        mean: Number.POSITIVE_INFINITY,
        upperLimit: Number.NaN,
        lowerLimit: Number.NEGATIVE_INFINITY,
      },
    ],
    [
      'limits that overflowed around a finite series',
      [1, 2, 3],
      { mean: 1e308, upperLimit: Number.MAX_VALUE, lowerLimit: -Number.MAX_VALUE },
    ],
  ] as const)('draws %s with finite coordinates inside the chart', (_, values, limits) => {
    const svg = extreme([...values], limits);
    expect(svg).not.toMatch(/NaN|undefined|Infinity|e\+/);
    const coordinates = [...svg.matchAll(/\b(?:x|y|x1|x2|y1|y2|cx|cy)="(-?[\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(coordinates.length).toBeGreaterThan(0);
    for (const c of coordinates) expect(Math.abs(c)).toBeLessThan(2000);
  });

  it('says a huge figure in powers of ten', () => {
    expect(descOf(extreme([24, 1.7e308]))).toContain('Latest 2025-02: 1.7e308.');
  });
});
