import { describe, expect, it } from 'vitest';
import {
  type TimelineInput,
  type TimelineMilestone,
  milestoneTimeline,
} from './milestone-timeline.ts';

function milestone(
  title: string,
  dates: Partial<Pick<TimelineMilestone, 'baseline' | 'forecast' | 'actual'>>,
  status = 'ON_TRACK',
): TimelineMilestone {
  return {
    title,
    baseline: null,
    forecast: null,
    actual: null,
    status,
    slippageDescription: null,
    ...dates,
  };
}

const milestones = [
  milestone('Discovery complete', { baseline: '2024-09-30', actual: '2024-10-15' }, 'COMPLETE'),
  milestone('Business case approved', { baseline: '2025-03-01', forecast: '2025-06-29' }, 'LATE'),
  milestone('Go live', { baseline: '2025-11-01', forecast: '2025-10-01' }),
  milestone('Decommission legacy', { baseline: '2026-04-01', forecast: '2026-04-01' }),
];

function timeline(overrides: Partial<TimelineInput> = {}): string {
  return milestoneTimeline({
    id: 'ms',
    title: 'Milestones',
    today: '2025-06-10',
    milestones,
    ...overrides,
  });
}

const count = (svg: string, pattern: RegExp) =>
  svg.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
const descOf = (svg: string) => /<desc id="[^"]*">([^<]*)<\/desc>/.exec(svg)?.[1];
/** The centre x of each marker of a kind, in row order. */
function xs(svg: string, kind: 'baseline' | 'forecast' | 'actual'): number[] {
  return [
    ...svg.matchAll(
      new RegExp(
        `class="timeline-marker timeline-marker--${kind}"[^>]*?(?:cx="|x="|points="[\\d.]+,[\\d.]+ )([\\d.]+)`,
        'g',
      ),
    ),
  ].map((m) => Number(m[1]));
}

describe('a milestone timeline', () => {
  it('is an image labelled by its title and described by its summary', () => {
    expect(timeline()).toMatch(
      /^<svg [^>]*role="img" aria-labelledby="ms-title ms-desc" viewBox="0 0 \d+ \d+" width="100%"/,
    );
  });

  it('draws a hollow diamond for each baseline, a circle for each forecast and a green square for each actual', () => {
    const svg = timeline();
    expect(
      count(
        svg,
        /<polygon class="timeline-marker timeline-marker--baseline" fill="#ffffff" stroke="#505a5f"/,
      ),
    ).toBe(4);
    expect(
      count(svg, /<circle class="timeline-marker timeline-marker--forecast" fill="#1d70b8"/),
    ).toBe(3);
    expect(count(svg, /<rect class="timeline-marker timeline-marker--actual" fill="#00703c"/)).toBe(
      1,
    );
  });

  it('places a later date further right', () => {
    const baselines = xs(timeline(), 'baseline');
    expect(baselines).toHaveLength(4);
    expect([...baselines].sort((a, b) => a - b)).toEqual(baselines);
    expect(new Set(baselines).size).toBe(4);
    // Forecasts: row 2 (later than its baseline) and row 3 (earlier); row 1 has none.
    const [late, early] = xs(timeline(), 'forecast');
    expect(late).toBeGreaterThan(baselines[1] ?? Infinity);
    expect(early).toBeLessThan(baselines[2] ?? -Infinity);
  });

  it('draws slippage in red when the forecast or actual is later than baseline, grey when earlier, and nothing when on the day', () => {
    const svg = timeline();
    expect(
      count(svg, /<line class="timeline-slippage timeline-slippage--late"[^>]*stroke="#d4351c"/),
    ).toBe(2);
    expect(
      count(svg, /<line class="timeline-slippage timeline-slippage--early"[^>]*stroke="#505a5f"/),
    ).toBe(1);
  });

  it('draws a line for today between the dates either side of it', () => {
    const svg = timeline();
    const today = Number(/<g class="timeline-today"><line x1="([\d.]+)"/.exec(svg)?.[1]);
    const baselines = xs(svg, 'baseline');
    expect(today).toBeGreaterThan(baselines[1] ?? Infinity);
    expect(today).toBeLessThan(baselines[2] ?? -Infinity);
    expect(svg).toContain('>Today</text></g>');
  });

  it('marks quarters as well as years when the span is under 3 years, and only years when it is longer', () => {
    const short = timeline();
    expect(short).toContain('>2025</text>');
    expect(short).toContain('>Apr</text>');
    const long = timeline({
      milestones: [
        milestone('Start', { baseline: '2020-01-15' }),
        milestone('End', { baseline: '2029-06-01' }),
      ],
    });
    expect(long).toContain('>2020</text>');
    expect(long).not.toContain('>Apr</text>');
  });

  it('summarises how many are done and slipped, and the largest slippage', () => {
    expect(descOf(timeline())).toBe(
      '4 milestones, 1 done. 2 have slipped against baseline; the most, Business case approved, by about 4 months (from 1 March 2025 to 29 June 2025).',
    );
    expect(
      descOf(
        timeline({
          milestones: [milestone('Go live', { baseline: '2025-01-01', forecast: '2025-01-01' })],
        }),
      ),
    ).toBe('1 milestone, 0 done. None has slipped against its baseline.');
  });

  it('wraps a long title onto two lines, cuts it short with an ellipsis and keeps the full title, escaped, in a tooltip', () => {
    const title =
      'Full business case approved by the investment committee & HM Treasury <after> spending review';
    const svg = timeline({ milestones: [milestone(title, { baseline: '2025-03-01' }, 'AT_RISK')] });
    const label = /<text class="timeline-label">(.*?)<\/text>/.exec(svg)?.[1] ?? '';
    expect(count(label, /<tspan /)).toBe(2);
    expect(label).toContain('…</tspan>');
    expect(label).toContain(
      '<title>Full business case approved by the investment committee &amp; HM Treasury &lt;after&gt; spending review. Status: at risk.</title>',
    );
  });

  it('ignores dates it cannot read rather than throwing', () => {
    const svg = timeline({
      today: 'soon',
      milestones: [
        milestone('Odd', { baseline: '2025-13-45', forecast: 'next year' }),
        milestone('Fine', { baseline: '2025-05-01' }),
      ],
    });
    expect(count(svg, /class="timeline-marker /)).toBe(1);
    expect(svg).not.toContain('timeline-today');
    expect(svg).not.toContain('NaN');
  });

  it('says there are no milestones rather than drawing an empty axis', () => {
    const svg = timeline({ milestones: [] });
    expect(descOf(svg)).toBe('No milestones.');
    expect(svg).not.toContain('timeline-marker');
  });
});

describe('a milestone timeline over any span of dates', () => {
  const ticks = (svg: string) => count(svg, /<line x1="[\d.]+" y1="2[06]" x2="[\d.]+" y2="36"/);

  it('draws at most about sixty ticks for dates from the year 100 to 9999', () => {
    const svg = timeline({
      today: '2025-06-10',
      milestones: [milestone('Far', { baseline: '0100-01-01', forecast: '9999-12-31' })],
    });
    expect(ticks(svg)).toBeGreaterThan(5);
    expect(ticks(svg)).toBeLessThanOrEqual(62);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('keeps a tick every year over a span of decades', () => {
    const svg = timeline({
      today: '2025-06-10',
      milestones: [milestone('Long', { baseline: '2000-01-01', forecast: '2040-01-01' })],
    });
    expect(count(svg, />20(00|01|02|39|40)</g)).toBeGreaterThan(0);
    expect(ticks(svg)).toBeGreaterThanOrEqual(40);
  });

  it('draws dates a milestone return could never give (year 100, month 13) without looping', () => {
    const svg = timeline({
      today: 'not a date',
      milestones: [
        milestone('Odd', { baseline: '0100-02-29', forecast: '2025-13-45', actual: '0999-12-31' }),
      ],
    });
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });
});
