import {
  type ChartUnit,
  COLOURS,
  type LegendItem,
  emptyChart,
  escapeXml,
  extent,
  formatNumber,
  formatTick,
  legend,
  lineRuns,
  lineSwatch,
  marker,
  niceScale,
  px,
  svgDocument,
  textWidth,
  withinPlot,
} from './svg.ts';

export type FunnelPosition = 'WITHIN' | 'ABOVE_95' | 'ABOVE_998' | 'BELOW_95' | 'BELOW_998';

export interface FunnelPlotRow {
  name: string;
  value: number;
  volume: number;
  position: FunnelPosition;
}

export interface FunnelLimits {
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

export interface FunnelPlotInput {
  id: string;
  title: string;
  unit: ChartUnit;
  overall: number;
  rows: FunnelPlotRow[];
  /** Control limits as a function of volume, supplied by the caller. */
  limits: (volume: number) => FunnelLimits;
  /**
   * What the volume counts, for the horizontal axis's title: "Volume (invoices paid)".
   * @default "denominator"
   */
  volumeName?: string;
}

const WIDTH = 760;
const TOP = 16;
const PLOT_HEIGHT = 320;
const RIGHT = WIDTH - 16;
const SAMPLES = 60;
const LABEL_SIZE = 14;
const DASH_95 = '6 4';
const DOT_998 = '2 3';
const EMPTY = 'No organisation reported this indicator for the period.';
/** Beyond this many points the names would overprint one another: only the furthest from the overall rate are candidates for a label. */
export const MAX_LABELS = 12;
/** Beyond this many organisations the summary counts them rather than naming every one (the table beside the chart names them). */
const MAX_NAMED = 20;

const POSITION: Record<FunnelPosition, { modifier: string; words: string; outlier: 0 | 95 | 998 }> =
  {
    WITHIN: { modifier: 'within', words: 'Within the limits', outlier: 0 },
    ABOVE_95: { modifier: 'above-95', words: 'Above the 95% limit', outlier: 95 },
    ABOVE_998: { modifier: 'above-998', words: 'Above the 99.8% limit', outlier: 998 },
    BELOW_95: { modifier: 'below-95', words: 'Below the 95% limit', outlier: 95 },
    BELOW_998: { modifier: 'below-998', words: 'Below the 99.8% limit', outlier: 998 },
  };

// Each kind of point differs in shape or fill, not only in colour, so it is told apart in greyscale and by readers who
// cannot tell colours apart: within the limits a filled circle, outside the 95% limits an open diamond, outside the
// 99.8% limits a larger filled diamond. The legend names the shapes.
function markerFor(
  outlier: 0 | 95 | 998,
  x: number,
  y: number,
  className: string,
  title = '',
): string {
  if (outlier === 0)
    return marker('circle', x, y, 5, `class="${className}" fill="${COLOURS.blue}"`, title);
  if (outlier === 95)
    return marker(
      'diamond',
      x,
      y,
      6,
      `class="${className}" fill="${COLOURS.white}" stroke="${COLOURS.text}" stroke-width="2.5"`,
      title,
    );
  return marker(
    'diamond',
    x,
    y,
    7.5,
    `class="${className}" fill="${COLOURS.text}" stroke="${COLOURS.text}" stroke-width="2"`,
    title,
  );
}

/** The vertical axis's title: what the rates are in. */
const RATE_TITLE: Record<ChartUnit, string> = {
  PERCENT: 'Rate (%)',
  CURRENCY: 'Amount (£)',
  COUNT: 'Count',
  RATIO: 'Ratio',
  SCORE: 'Score',
};
/** Room left of the tick labels for the vertical axis's title, turned on its side. */
const Y_TITLE_ROOM = 28;

const LIMIT_KEYS = ['lower95', 'upper95', 'lower998', 'upper998'] as const;

/**
 * Samples the limit curves from the smallest volume (at least 5% of the axis) at which all four stay within a sensible
 * reach of the data, because control limits widen without bound as volume falls towards zero.
 */
function sampleLimits(
  input: FunnelPlotInput,
  rows: FunnelPlotRow[],
  maxVolume: number,
): Array<{ volume: number; limits: FunnelLimits }> {
  const values = rows
    .map((r) => r.value)
    .concat(input.overall)
    .filter(Number.isFinite);
  const [lo, hi] = extent(values);
  const reach = Math.max(hi - lo, Math.abs(input.overall) * 0.05, 1e-9);
  const sensible = (l: FunnelLimits) =>
    LIMIT_KEYS.every((k) => Number.isFinite(l[k]) && l[k] >= lo - reach && l[k] <= hi + reach);
  // Even steps in the square root of volume, since limits narrow with 1/sqrt(volume) and change fastest at small volume.
  const sweep = (from: number) =>
    Array.from({ length: SAMPLES }, (_, k) => {
      const volume =
        (Math.sqrt(from) + ((Math.sqrt(maxVolume) - Math.sqrt(from)) * k) / (SAMPLES - 1)) ** 2;
      return { volume, limits: input.limits(volume) };
    });
  const start = sweep(maxVolume * 0.05).find((s) => sensible(s.limits));
  return start ? sweep(start.volume) : [];
}

/** How far a point lies from the overall rate, in standard deviations at its volume (the 95% limit is 1.96 of them). */
function distance(input: FunnelPlotInput, row: FunnelPlotRow): number {
  const sd = (input.limits(row.volume).upper95 - input.overall) / 1.96;
  const gap = Math.abs(row.value - input.overall);
  return Number.isFinite(sd) && sd > 0 ? gap / sd : Number.isFinite(gap) ? gap : 0;
}

/** The organisations named beside their points: all of them, or the MAX_LABELS furthest from the overall rate. */
function labelled(input: FunnelPlotInput, rows: FunnelPlotRow[]): Set<FunnelPlotRow> {
  if (rows.length <= MAX_LABELS) return new Set(rows);
  return new Set(
    [...rows].sort((a, b) => distance(input, b) - distance(input, a)).slice(0, MAX_LABELS),
  );
}

function describe(
  input: FunnelPlotInput,
  rows: FunnelPlotRow[],
  named: Set<FunnelPlotRow>,
): string {
  const sentences = [
    `${rows.length} ${rows.length === 1 ? 'organisation' : 'organisations'}.`,
    `Overall rate ${formatNumber(input.overall, input.unit)}.`,
  ];
  const side = (r: FunnelPlotRow) => (r.position.startsWith('ABOVE') ? 'above' : 'below');
  const outer = rows.filter((r) => r.position === 'ABOVE_998' || r.position === 'BELOW_998');
  const inner = rows.filter((r) => r.position === 'ABOVE_95' || r.position === 'BELOW_95');
  const within = rows.filter((r) => r.position === 'WITHIN');
  if (rows.length > MAX_NAMED) {
    // Hundreds of names would be read out one by one: counts, then the organisations the chart labels.
    const split = (list: FunnelPlotRow[]) =>
      `${list.length} (${list.filter((r) => side(r) === 'above').length} above, ${list.filter((r) => side(r) === 'below').length} below)`;
    sentences.push(
      `Outside the 99.8% limits: ${split(outer)}.`,
      `Outside the 95% limits only: ${split(inner)}.`,
      `Within the limits: ${within.length}.`,
    );
    sentences.push(
      `Labelled, ${named.size} of the furthest from the overall rate: ${[...named].map((r) => `${r.name} (${formatNumber(r.value, input.unit)})`).join(', ')}.`,
    );
    return sentences.join(' ');
  }
  const names = (list: FunnelPlotRow[]) =>
    list.map((r) => (r.position === 'WITHIN' ? r.name : `${r.name} (${side(r)})`)).join(', ');
  if (outer.length > 0) sentences.push(`Outside the 99.8% limits: ${names(outer)}.`);
  if (inner.length > 0)
    sentences.push(`Outside the 95% limits${outer.length > 0 ? ' only' : ''}: ${names(inner)}.`);
  if (outer.length + inner.length === 0) sentences.push('All within the 95% limits.');
  else if (within.length > 0) sentences.push(`Within: ${names(within)}.`);
  return sentences.join(' ');
}

/**
 * A Spiegelhalter funnel plot: each organisation's rate against its volume, with the overall rate and the 95% (dashed)
 * and 99.8% (dotted) control limits, outliers drawn as open (95%) or filled (99.8%) diamonds, both axes titled, every
 * point named in its tooltip (and beside it, or beside the MAX_LABELS furthest from the overall rate when there are
 * more), and a summary in words.
 */
export function funnelPlot(input: FunnelPlotInput): string {
  const { id, title, unit, overall } = input;
  const rows = input.rows.filter(
    (r) => Number.isFinite(r.value) && Number.isFinite(r.volume) && r.volume >= 0,
  );
  if (rows.length === 0) return emptyChart(id, title, EMPTY, 'app-chart--funnel');

  const xScale = niceScale(0, extent(rows.map((r) => r.volume))[1]);
  const samples = sampleLimits(input, rows, xScale.max);
  const clampRate = (v: number) => (unit === 'PERCENT' ? Math.min(100, Math.max(0, v)) : v);
  const rates = [
    ...rows.map((r) => r.value),
    overall,
    ...samples.flatMap((s) => LIMIT_KEYS.map((k) => clampRate(s.limits[k]))),
  ].filter(Number.isFinite);
  const yScale = niceScale(...extent(rates));
  const yLabels = yScale.ticks.map((tick) => formatTick(tick, unit, yScale.step));
  // Labels are short (formatTick writes huge numbers in powers of ten); the cap keeps the plot wide whatever they say.
  const left = Math.min(
    WIDTH / 3,
    Y_TITLE_ROOM + 20 + Math.max(...yLabels.map((label) => textWidth(label))),
  );
  const bottom = TOP + PLOT_HEIGHT;
  const xAt = (v: number) =>
    withinPlot(left + ((RIGHT - left) * (v - xScale.min)) / (xScale.max - xScale.min), left, RIGHT);
  const yAt = (v: number) =>
    withinPlot(TOP + (PLOT_HEIGHT * (yScale.max - v)) / (yScale.max - yScale.min), TOP, bottom);

  const parts: string[] = [];
  parts.push(
    `<defs><clipPath id="${escapeXml(id)}-plot"><rect x="${px(left)}" y="${TOP}" width="${px(RIGHT - left)}" height="${PLOT_HEIGHT}"/></clipPath></defs>`,
  );
  parts.push(
    `<g class="funnel-axis" stroke="${COLOURS.grey}"><line x1="${px(left)}" y1="${TOP}" x2="${px(left)}" y2="${bottom}"/><line x1="${px(left)}" y1="${bottom}" x2="${RIGHT}" y2="${bottom}"/></g>`,
  );
  yScale.ticks.forEach((tick, i) => {
    const y = yAt(tick);
    parts.push(
      `<line x1="${px(left - 6)}" y1="${px(y)}" x2="${px(left)}" y2="${px(y)}" stroke="${COLOURS.grey}"/><text x="${px(left - 10)}" y="${px(y + 5)}" text-anchor="end">${escapeXml(yLabels[i] ?? '')}</text>`,
    );
  });
  xScale.ticks.forEach((tick, i) => {
    const x = px(xAt(tick));
    // The last tick sits on the right edge, so its label is anchored at its end to stay inside the chart.
    const anchor = i === xScale.ticks.length - 1 ? 'end' : 'middle';
    parts.push(
      `<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 6}" stroke="${COLOURS.grey}"/><text x="${x}" y="${bottom + 24}" text-anchor="${anchor}">${escapeXml(formatNumber(tick, 'COUNT'))}</text>`,
    );
  });
  parts.push(
    `<text class="funnel-axis-title" x="${px((left + RIGHT) / 2)}" y="${bottom + 48}" text-anchor="middle">${escapeXml(`Volume (${input.volumeName ?? 'denominator'})`)}</text>`,
  );
  parts.push(
    `<text class="funnel-axis-title" x="${px(-(TOP + PLOT_HEIGHT / 2))}" y="18" transform="rotate(-90)" text-anchor="middle">${escapeXml(RATE_TITLE[unit] ?? 'Value')}</text>`,
  );

  const curve = (key: (typeof LIMIT_KEYS)[number], dash: string, cls: string) =>
    lineRuns(
      samples.map((s) =>
        Number.isFinite(s.limits[key]) ? ([xAt(s.volume), yAt(s.limits[key])] as const) : null,
      ),
    )
      .map(
        (d) =>
          `<path class="${cls}" d="${d}" fill="none" stroke="${COLOURS.grey}" stroke-width="1.5" stroke-dasharray="${dash}"/>`,
      )
      .join('');
  parts.push(
    `<g clip-path="url(#${escapeXml(id)}-plot)">` +
      (Number.isFinite(overall)
        ? `<line class="funnel-overall" x1="${px(left)}" y1="${px(yAt(overall))}" x2="${RIGHT}" y2="${px(yAt(overall))}" stroke="${COLOURS.text}" stroke-width="2"/>`
        : '') +
      curve('lower95', DASH_95, 'funnel-limit funnel-limit--95') +
      curve('upper95', DASH_95, 'funnel-limit funnel-limit--95') +
      curve('lower998', DOT_998, 'funnel-limit funnel-limit--998') +
      curve('upper998', DOT_998, 'funnel-limit funnel-limit--998') +
      '</g>',
  );

  // Place labels top to bottom, nudging one down (then up) when it would overprint a label already placed or leave the
  // plot. A few are always placed, as before; of many, a label with no free place is left off (its point keeps its name).
  const candidates = labelled(input, rows);
  const named = new Set<FunnelPlotRow>();
  const placed: Array<{ x0: number; x1: number; y: number }> = [];
  const labels: string[] = [];
  const step = LABEL_SIZE + 2;
  for (const row of [...rows].sort((a, b) => b.value - a.value)) {
    const style = POSITION[row.position] ?? POSITION.WITHIN;
    const x = xAt(row.volume);
    const y = yAt(row.value);
    const readable = `${row.name}: ${formatNumber(row.value, unit)} from a volume of ${formatNumber(row.volume, 'COUNT')}. ${style.words}.`;
    parts.push(
      markerFor(style.outlier, x, y, `funnel-point funnel-point--${style.modifier}`, readable),
    );
    if (!candidates.has(row)) continue;
    const text = row.name.length > 28 ? `${row.name.slice(0, 27)}…` : row.name;
    const width = textWidth(text, LABEL_SIZE);
    const atEnd = x + 12 + width > RIGHT;
    const x0 = atEnd ? x - 12 - width : x + 12;
    const free = (ly: number) =>
      ly - LABEL_SIZE >= TOP - 4 &&
      ly <= bottom - 2 &&
      !placed.some((p) => p.x0 < x0 + width && x0 < p.x1 && Math.abs(p.y - ly) < step);
    const found = [0, 1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6]
      .map((n) => y + 5 + n * step)
      .find(free);
    const ly = found ?? (rows.length <= MAX_LABELS ? y + 5 + 6 * step : null);
    if (ly === null) continue;
    named.add(row);
    placed.push({ x0, x1: x0 + width, y: ly });
    labels.push(
      `<text class="funnel-label" x="${px(atEnd ? x - 12 : x + 12)}" y="${px(ly)}" text-anchor="${atEnd ? 'end' : 'start'}">${escapeXml(text)}</text>`,
    );
  }
  // A white halo keeps a name readable where it crosses a limit curve.
  parts.push(
    `<g font-size="${LABEL_SIZE}" stroke="${COLOURS.white}" stroke-width="4" stroke-linejoin="round" paint-order="stroke">${labels.join('')}</g>`,
  );

  const items: LegendItem[] = [
    {
      label: 'Within limits (filled circle)',
      swatch: (cx, cy) => markerFor(0, cx, cy, 'chart-legend__swatch'),
    },
    {
      label: 'Outside 95% limits (open diamond)',
      swatch: (cx, cy) => markerFor(95, cx, cy, 'chart-legend__swatch'),
    },
    {
      label: 'Outside 99.8% limits (filled diamond)',
      swatch: (cx, cy) => markerFor(998, cx, cy, 'chart-legend__swatch'),
    },
    { label: 'Overall rate (solid line)', swatch: lineSwatch(COLOURS.text, 2) },
    { label: '95% limits (dashed)', swatch: lineSwatch(COLOURS.grey, 1.5, DASH_95) },
    { label: '99.8% limits (dotted)', swatch: lineSwatch(COLOURS.grey, 1.5, DOT_998) },
  ];
  const key = legend(items, 0, bottom + 64, WIDTH);
  parts.push(key.svg);
  return svgDocument({
    id,
    title,
    desc: describe(input, rows, named),
    width: WIDTH,
    height: bottom + 64 + key.height + 4,
    body: parts.join(''),
    className: 'app-chart--funnel',
  });
}
