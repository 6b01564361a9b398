import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  formatNumber,
  formatTick,
  lineRuns,
  marker,
  niceScale,
  svgDocument,
} from './svg.ts';

describe('escaping text for SVG', () => {
  it('escapes ampersands, angle brackets and both kinds of quote', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });
});

describe('formatting figures for people', () => {
  it('shows a percentage to one decimal place with a percent sign', () => {
    expect(formatNumber(87.54, 'PERCENT')).toBe('87.5%');
    expect(formatNumber(90, 'PERCENT')).toBe('90.0%');
  });

  it('never shows minus zero when a small negative rounds away', () => {
    expect(formatNumber(-0.04, 'PERCENT')).toBe('0.0%');
  });

  it('shows money in pounds, in whole pounds from £100 and with pence below', () => {
    expect(formatNumber(1234567.4, 'CURRENCY')).toBe('£1,234,567');
    expect(formatNumber(99.5, 'CURRENCY')).toBe('£99.50');
    expect(formatNumber(-12345, 'CURRENCY')).toBe('-£12,345');
  });

  it('separates thousands in counts and shows ratios and scores to at most 2 decimals', () => {
    expect(formatNumber(1234567, 'COUNT')).toBe('1,234,567');
    expect(formatNumber(1.23456, 'RATIO')).toBe('1.23');
    expect(formatNumber(3, 'SCORE')).toBe('3');
    expect(formatNumber(2.5)).toBe('2.5');
  });

  it('says n/a rather than NaN or Infinity', () => {
    expect(formatNumber(Number.NaN, 'COUNT')).toBe('n/a');
    expect(formatNumber(Number.POSITIVE_INFINITY, 'PERCENT')).toBe('n/a');
  });

  it('labels axis ticks with only as many decimals as the step needs', () => {
    expect(formatTick(85, 'PERCENT', 5)).toBe('85%');
    expect(formatTick(82.5, 'PERCENT', 2.5)).toBe('82.5%');
    expect(formatTick(1500, 'CURRENCY', 500)).toBe('£1,500');
    expect(formatTick(0.25, 'RATIO', 0.25)).toBe('0.25');
  });
});

describe('choosing a nice scale', () => {
  it('widens a range to round ticks that include the data', () => {
    expect(niceScale(80.1, 95.3)).toEqual({
      min: 80,
      max: 100,
      step: 5,
      ticks: [80, 85, 90, 95, 100],
    });
  });

  it('uses steps of 2.5 where they fit best', () => {
    expect(niceScale(0, 9).ticks).toEqual([0, 2.5, 5, 7.5, 10]);
  });

  it('gives ticks free of floating-point noise for small steps', () => {
    expect(niceScale(0, 0.3).ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('pads a single value into a range around it, keeping zero as the floor', () => {
    expect(niceScale(50, 50).ticks).toEqual([45, 47.5, 50, 52.5, 55]);
    expect(niceScale(0, 0)).toMatchObject({ min: 0, max: 1 });
  });

  it('always steps by 1, 2, 2.5 or 5 times a power of ten and covers the data, whatever the range', () => {
    const ranges: Array<[number, number]> = [
      [-3.2, 7.7],
      [0.001, 0.0042],
      [12345, 98765],
      [-500, -20],
      [99.9, 100],
      [7, 3],
    ];
    for (const [a, b] of ranges) {
      const scale = niceScale(a, b);
      const mantissa = scale.step / 10 ** Math.floor(Math.log10(scale.step));
      expect([1, 2, 2.5, 5].some((m) => Math.abs(m - mantissa) < 1e-9)).toBe(true);
      expect(scale.min).toBeLessThanOrEqual(Math.min(a, b));
      expect(scale.max).toBeGreaterThanOrEqual(Math.max(a, b));
      expect(scale.ticks[0]).toBe(scale.min);
      expect(scale.ticks[scale.ticks.length - 1]).toBe(scale.max);
      expect(scale.ticks.length).toBeGreaterThanOrEqual(3);
      expect(scale.ticks.length).toBeLessThanOrEqual(8);
    }
  });
});

describe('drawing lines and markers', () => {
  it('breaks a line at each null and leaves a lone point to its marker', () => {
    expect(lineRuns([[0, 0], [10, 5], null, [20, 1], null, [30, 2], [40, 3]])).toEqual([
      'M0 0 L10 5',
      'M30 2 L40 3',
    ]);
  });

  it('gives a marker a tooltip with its title escaped', () => {
    expect(marker('square', 10, 10, 5, 'class="m"', 'a < b')).toBe(
      '<rect class="m" x="5" y="5" width="10" height="10"><title>a &lt; b</title></rect>',
    );
  });

  it('labels the root by its title and description for assistive technology', () => {
    const svg = svgDocument({
      id: 'x',
      title: 'T & U',
      desc: 'D',
      width: 100,
      height: 50,
      body: '',
      className: 'c',
    });
    expect(svg).toMatch(
      /^<svg [^>]*role="img" aria-labelledby="x-title x-desc" viewBox="0 0 100 50" width="100%"/,
    );
    expect(svg).toContain('<title id="x-title">T &amp; U</title><desc id="x-desc">D</desc>');
  });
});

describe('a scale for any numbers, whatever a publisher or old data sends', () => {
  const extremes: Array<[string, number, number]> = [
    ['a score of 1.7e308 beside zero', 0, 1.7e308],
    ['the largest double either side of zero', -Number.MAX_VALUE, Number.MAX_VALUE],
    ['two equal huge values', Number.MAX_VALUE, Number.MAX_VALUE],
    ['two equal tiny values', Number.MIN_VALUE, Number.MIN_VALUE],
    ['zero beside the smallest double', 0, Number.MIN_VALUE],
    ['tiny values a double can barely tell apart', 1e-300, 2e-300],
    ['a span too small to step across a large number', 1e17, 1e17 + 32],
    ['values one ulp apart', 1, 1 + Number.EPSILON],
    ['two equal negative values', -5, -5],
    ['NaN', Number.NaN, 5],
    ['Infinity on both sides', Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
    ['Infinity beside a figure', 24, Number.POSITIVE_INFINITY],
  ];

  it.each(extremes)('ends with a few finite ticks, rising from min to max, for %s', (_, a, b) => {
    const scale = niceScale(a, b);
    expect(scale.ticks.length).toBeGreaterThanOrEqual(2);
    expect(scale.ticks.length).toBeLessThanOrEqual(25);
    for (const n of [scale.min, scale.max, scale.step, ...scale.ticks])
      expect(Number.isFinite(n)).toBe(true);
    expect(scale.step).toBeGreaterThan(0);
    expect(scale.max).toBeGreaterThan(scale.min);
    expect(scale.ticks[0]).toBe(scale.min);
    expect(scale.ticks.at(-1)).toBe(scale.max);
  });

  it('still covers every finite value up to 1e300, the reach of an axis', () => {
    for (const [a, b] of [
      [0, 1e300],
      [-1e300, 3e299],
      [-7e299, -6e299],
    ] as const) {
      const scale = niceScale(a, b);
      expect(scale.min).toBeLessThanOrEqual(a);
      expect(scale.max).toBeGreaterThanOrEqual(b);
    }
  });

  it('asks for no more than a dozen ticks whatever it is asked for', () => {
    expect(niceScale(0, 100, 1e9).ticks.length).toBeLessThanOrEqual(25);
    expect(niceScale(0, 100, Number.NaN).ticks.length).toBeLessThanOrEqual(25);
    expect(niceScale(0, 100, -3).ticks.length).toBeGreaterThanOrEqual(2);
  });

  it('gives finite ticks for a thousand ranges of random magnitude and sign', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < 1000; i++) {
      const magnitude = () =>
        (random() < 0.5 ? -1 : 1) * random() * 10 ** Math.round(random() * 616 - 308);
      const scale = niceScale(magnitude(), magnitude());
      expect(scale.ticks.length).toBeLessThanOrEqual(25);
      expect(scale.ticks.every(Number.isFinite) && scale.max > scale.min).toBe(true);
    }
  });

  it('writes a figure past 1e15 in powers of ten, so no label runs to 309 digits', () => {
    expect(formatNumber(1.7e308, 'SCORE')).toBe('1.7e308');
    expect(formatNumber(-2.5e20, 'CURRENCY')).toBe('£-2.5e20');
    expect(formatNumber(1e16, 'PERCENT')).toBe('1e16%');
    expect(formatTick(1e300, 'COUNT', 5e299)).toBe('1e300');
  });
});
