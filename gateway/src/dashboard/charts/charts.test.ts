import { describe, expect, it } from 'vitest';
import { funnelPlot } from './funnel-plot.ts';
import { milestoneTimeline } from './milestone-timeline.ts';
import { spcChart } from './spc-chart.ts';

// WCAG 2.1 relative luminance and contrast ratio.
function luminance(hex: string): number {
  const channels = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const [r = 0, g = 0, b = 0] = channels;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrastWithWhite = (hex: string) => 1.05 / (luminance(hex) + 0.05);

const charts = {
  spc: spcChart({
    id: 's',
    title: 'S',
    unit: 'PERCENT',
    target: 90,
    points: (['COMMON_CAUSE', 'IMPROVEMENT', 'CONCERN', null] as const).map((variation, i) => ({
      period: `P${i}`,
      value: 85 + i,
      variation,
      signal: null,
      mean: 86,
      upperLimit: 92,
      lowerLimit: 80,
    })),
  }),
  funnel: funnelPlot({
    id: 'f',
    title: 'F',
    unit: 'PERCENT',
    overall: 90,
    rows: [
      { name: 'A', value: 90, volume: 100, position: 'WITHIN' },
      { name: 'B', value: 80, volume: 200, position: 'BELOW_998' },
      { name: 'C', value: 96, volume: 50, position: 'ABOVE_95' },
    ],
    limits: (n) => ({
      lower95: 90 - 60 / Math.sqrt(n),
      upper95: 90 + 60 / Math.sqrt(n),
      lower998: 90 - 90 / Math.sqrt(n),
      upper998: 90 + 90 / Math.sqrt(n),
    }),
  }),
  timeline: milestoneTimeline({
    id: 't',
    title: 'T',
    today: '2025-06-01',
    milestones: [
      {
        title: 'M',
        baseline: '2025-01-01',
        forecast: '2025-03-01',
        actual: '2025-04-01',
        status: 'COMPLETE',
        slippageDescription: null,
      },
    ],
  }),
};

describe.each(Object.entries(charts))('the %s chart', (_, svg) => {
  it('draws every line and marker in a colour with at least 3:1 contrast against white', () => {
    // White fills hollow markers; the pale grey only bands timeline rows and carries no meaning.
    const colours = new Set(
      [...svg.matchAll(/(?:fill|stroke)="(#[0-9a-f]{6})"/g)]
        .map((m) => m[1] ?? '')
        .filter((c) => c !== '#ffffff' && c !== '#f3f2f1'),
    );
    expect(colours.size).toBeGreaterThan(2);
    for (const colour of colours)
      expect(contrastWithWhite(colour), colour).toBeGreaterThanOrEqual(3);
  });

  it('sets no text smaller than 14px', () => {
    const sizes = [...svg.matchAll(/font-size="(\d+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
  });

  it('produces no NaN or undefined in its markup', () => {
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });
});
