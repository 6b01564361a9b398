import { describe, expect, it } from 'vitest';
import { type FunnelPlotInput, type FunnelPlotRow, MAX_LABELS, funnelPlot } from './funnel-plot.ts';

const OVERALL = 91.2;

// Binomial limits around the overall rate, as the caller would supply them: they widen without bound towards zero volume.
function limits(volume: number) {
  const sd =
    Math.sqrt(((OVERALL / 100) * (1 - OVERALL / 100)) / volume) * 100 || Number.POSITIVE_INFINITY;
  return {
    lower95: OVERALL - 1.96 * sd,
    upper95: OVERALL + 1.96 * sd,
    lower998: OVERALL - 3.09 * sd,
    upper998: OVERALL + 3.09 * sd,
  };
}

const rows: FunnelPlotRow[] = [
  { name: 'Synergy', value: 92, volume: 4200, position: 'WITHIN' },
  { name: 'Matrix', value: 85.1, volume: 1200, position: 'BELOW_998' },
  { name: 'Unity', value: 94.4, volume: 800, position: 'ABOVE_95' },
  { name: 'Norfolk', value: 90.5, volume: 5900, position: 'WITHIN' },
  { name: 'HMRC', value: 91, volume: 300, position: 'WITHIN' },
];

function plot(overrides: Partial<FunnelPlotInput> = {}): string {
  return funnelPlot({
    id: 'answered',
    title: 'Calls answered by volume',
    unit: 'PERCENT',
    overall: OVERALL,
    rows,
    limits,
    ...overrides,
  });
}

const count = (svg: string, pattern: RegExp) =>
  svg.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
const descOf = (svg: string) => /<desc id="[^"]*">([^<]*)<\/desc>/.exec(svg)?.[1];

describe('a funnel plot', () => {
  it('is an image labelled by its title and described by its summary', () => {
    expect(plot()).toMatch(
      /^<svg [^>]*role="img" aria-labelledby="answered-title answered-desc" viewBox="0 0 \d+ \d+" width="100%"/,
    );
  });

  it('tells the points apart by shape and fill, not by colour: filled circles within, open diamonds beyond 95%, filled diamonds beyond 99.8%', () => {
    const svg = plot();
    expect(
      count(svg, /<circle class="funnel-point funnel-point--within" [^>]*fill="#1d70b8"/),
    ).toBe(3);
    expect(svg).toMatch(
      /<polygon class="funnel-point funnel-point--above-95" [^>]*fill="#ffffff" stroke="#0b0c0c"/,
    );
    expect(svg).toMatch(
      /<polygon class="funnel-point funnel-point--below-998" [^>]*fill="#0b0c0c"/,
    );
  });

  it('names in its legend the shape of each kind of point and the line of each limit', () => {
    const labels = [
      ...plot().matchAll(/<g class="chart-legend__item">.*?<text [^>]*>([^<]+)<\/text><\/g>/g),
    ].map((m) => m[1]);
    expect(labels).toEqual([
      'Within limits (filled circle)',
      'Outside 95% limits (open diamond)',
      'Outside 99.8% limits (filled diamond)',
      'Overall rate (solid line)',
      '95% limits (dashed)',
      '99.8% limits (dotted)',
    ]);
    // The legend's swatches are the markers drawn on the plot: an open diamond for 95%, a filled one for 99.8%.
    expect(plot()).toMatch(/<polygon class="chart-legend__swatch" [^>]*fill="#ffffff"/);
    expect(plot()).toMatch(/<polygon class="chart-legend__swatch" [^>]*fill="#0b0c0c"/);
  });

  it('titles both axes: the volume with what it counts, the rate with its unit', () => {
    const titles = (svg: string) =>
      [...svg.matchAll(/<text class="funnel-axis-title" [^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(titles(plot({ volumeName: 'invoices paid' }))).toEqual([
      'Volume (invoices paid)',
      'Rate (%)',
    ]);
    expect(titles(plot())).toEqual(['Volume (denominator)', 'Rate (%)']);
    expect(plot()).toMatch(
      /<text class="funnel-axis-title" [^>]*transform="rotate\(-90\)"[^>]*>Rate \(%\)<\/text>/,
    );
  });

  it('names every organisation next to its point and in its tooltip', () => {
    const svg = plot();
    for (const row of rows)
      expect(svg).toMatch(new RegExp(`<text class="funnel-label"[^>]*>${row.name}</text>`));
    expect(svg).toContain(
      '<title>Matrix: 85.1% from a volume of 1,200. Below the 99.8% limit.</title>',
    );
  });

  it('anchors a name at its end when the point is too near the right edge for the name to fit after it', () => {
    const svg = plot();
    expect(svg).toMatch(/<text class="funnel-label" [^>]*text-anchor="end">Norfolk<\/text>/);
    expect(svg).toMatch(/<text class="funnel-label" [^>]*text-anchor="start">HMRC<\/text>/);
  });

  it('places a larger volume further right and a higher rate higher up', () => {
    const at = (name: string) => {
      const match = new RegExp(`cx="([\\d.]+)" cy="([\\d.]+)" r="5"><title>${name}:`).exec(plot());
      return { x: Number(match?.[1]), y: Number(match?.[2]) };
    };
    expect(at('Norfolk').x).toBeGreaterThan(at('Synergy').x);
    expect(at('Synergy').y).toBeLessThan(at('HMRC').y);
  });

  it('summarises the organisations and which lie outside which limits in words', () => {
    expect(descOf(plot())).toBe(
      '5 organisations. Overall rate 91.2%. Outside the 99.8% limits: Matrix (below). Outside the 95% limits only: Unity (above). Within: Synergy, Norfolk, HMRC.',
    );
    const calm = rows.map((r) => ({ ...r, position: 'WITHIN' as const }));
    expect(descOf(plot({ rows: calm }))).toBe(
      '5 organisations. Overall rate 91.2%. All within the 95% limits.',
    );
  });

  it('draws the overall rate and each of the four limit curves sampled at about 60 volumes, clipped to the plot', () => {
    const svg = plot();
    expect(count(svg, /class="funnel-overall"/)).toBe(1);
    const curves = [
      ...svg.matchAll(
        /<path class="funnel-limit funnel-limit--(95|998)" d="([^"]+)"[^>]*stroke-dasharray="([^"]+)"/g,
      ),
    ];
    expect(curves.map((m) => m[1])).toEqual(['95', '95', '998', '998']);
    expect(new Set(curves.filter((m) => m[1] === '95').map((m) => m[3])).size).toBe(1);
    expect(curves[0]?.[3]).not.toBe(curves[2]?.[3]);
    for (const m of curves) expect((m[2] ?? '').split('L')).toHaveLength(60);
    expect(svg).toContain('<g clip-path="url(#answered-plot)">');
  });

  it('starts the limit curves away from zero volume so the axis is not stretched by limits that explode there', () => {
    const svg = plot();
    const yTicks = [...svg.matchAll(/text-anchor="end">([\d.]+)%<\/text>/g)].map((m) =>
      Number(m[1]),
    );
    expect(Math.max(...yTicks)).toBeLessThanOrEqual(100);
    expect(Math.min(...yTicks)).toBeGreaterThanOrEqual(80);
    const firstX = Number(/class="funnel-limit[^"]*" d="M([\d.]+)/.exec(svg)?.[1]);
    const zeroX = Number(
      /<line x1="([\d.]+)" y1="\d+" x2="[\d.]+" y2="\d+" stroke="#505a5f"\/><text [^>]*>0<\/text>/.exec(
        svg,
      )?.[1],
    );
    expect(firstX).toBeGreaterThan(zeroX);
  });

  it('names only the organisations furthest from the overall rate when there are too many to label, and counts the rest in its summary', () => {
    // 200 organisations of 1,000 cases each, evenly from 80% to 99.9%: at one volume the furthest from 91.2% are the lowest twelve.
    const many: FunnelPlotRow[] = Array.from({ length: 200 }, (_, i) => {
      const value = 80 + i / 10;
      const z =
        (value - OVERALL) / (Math.sqrt(((OVERALL / 100) * (1 - OVERALL / 100)) / 1000) * 100);
      const position =
        Math.abs(z) > 3.09
          ? z > 0
            ? 'ABOVE_998'
            : 'BELOW_998'
          : Math.abs(z) > 1.96
            ? z > 0
              ? 'ABOVE_95'
              : 'BELOW_95'
            : 'WITHIN';
      return { name: `Trust ${i}`, value, volume: 1000, position };
    });
    const svg = plot({ rows: many });
    expect(count(svg, /class="funnel-point /)).toBe(200);
    const labels = [...svg.matchAll(/<text class="funnel-label"[^>]*>([^<]+)<\/text>/g)].map(
      (m) => m[1],
    );
    // The lowest twelve are the candidates; those whose names would overprint another's are left unlabelled.
    expect(labels.length).toBeGreaterThan(2);
    expect(labels.length).toBeLessThanOrEqual(MAX_LABELS);
    for (const label of labels)
      expect(Number(label!.replace('Trust ', ''))).toBeLessThan(MAX_LABELS);
    const desc = descOf(svg)!;
    expect(desc).toMatch(
      /^200 organisations\. Overall rate 91\.2%\. Outside the 99\.8% limits: \d+ \(\d+ above, \d+ below\)\. Outside the 95% limits only: \d+ \(\d+ above, \d+ below\)\. Within the limits: \d+\. Labelled, \d+ of the furthest from the overall rate: Trust \d+ \(\d+\.\d%\)/,
    );
    expect(desc).not.toContain('Trust 100 ');
  });

  it('escapes organisation names', () => {
    const svg = plot({
      rows: [{ name: 'Smith & <Jones>', value: 90, volume: 100, position: 'WITHIN' }],
    });
    expect(svg).toContain('>Smith &amp; &lt;Jones&gt;</text>');
    expect(svg).not.toContain('<Jones>');
  });

  it('says no organisation reported rather than drawing empty axes', () => {
    const svg = plot({ rows: [] });
    expect(descOf(svg)).toBe('No organisation reported this indicator for the period.');
    expect(svg).not.toContain('funnel-point');
  });
});

describe('a funnel plot of figures no rule would accept today', () => {
  it.each([
    [
      'a volume of 1e308',
      [{ name: 'Huge', value: 50, volume: 1e308, position: 'WITHIN' as const }],
    ],
    [
      'a rate of 1.7e308',
      [{ name: 'Huge', value: 1.7e308, volume: 100, position: 'ABOVE_998' as const }],
    ],
    [
      'NaN and Infinity beside an ordinary row',
      [
        {
          name: 'Bad',
          value: Number.NaN,
          volume: Number.POSITIVE_INFINITY,
          position: 'WITHIN' as const,
        },
        rows[0]!,
      ],
    ],
    ['a zero volume', [{ name: 'Empty', value: 90, volume: 0, position: 'WITHIN' as const }]],
  ])('draws %s with finite coordinates inside the chart', (_, extremeRows) => {
    const svg = plot({ rows: extremeRows });
    expect(svg).not.toMatch(/NaN|undefined|Infinity|e\+/);
    for (const m of svg.matchAll(/\b(?:x|y|x1|x2|y1|y2|cx|cy)="(-?[\d.]+)"/g))
      expect(Math.abs(Number(m[1]))).toBeLessThan(2000);
  });

  it('draws no overall line, and no limits, for an overall rate that is not a number', () => {
    const svg = plot({
      overall: Number.NaN,
      limits: () => ({
        lower95: Number.NaN,
        upper95: Number.NaN,
        lower998: Number.NaN,
        upper998: Number.NaN,
      }),
    });
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(svg).not.toContain('class="funnel-overall"');
  });
});
