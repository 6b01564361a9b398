import { HUGE, formatDigits, formatNumber } from '@crossgov/schema';

/** What an indicator counts: the schema's Unit enum by value, so a chart's caller can pass a unit as it came in an answer. */
export type ChartUnit = 'PERCENT' | 'COUNT' | 'CURRENCY' | 'RATIO' | 'SCORE';

/** An axis range with round tick steps. */
export interface NiceScale {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

export const FONT_FAMILY = 'GDS Transport, arial, sans-serif';

// GOV.UK Design System colours; every line and marker colour here is at least 3:1 against white (WCAG 1.4.11).
export const COLOURS = {
  text: '#0b0c0c',
  grey: '#505a5f',
  blue: '#1d70b8',
  red: '#d4351c',
  green: '#00703c',
  purple: '#4c2c92',
  white: '#ffffff',
} as const;

/** Roughly how wide a label renders; GDS Transport runs a little wider than Arial, so this errs wide. */
export function textWidth(text: string, fontSize = 16): number {
  return text.length * fontSize * 0.6;
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in SVG/HTML element content and attribute values. */
export function escapeXml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** Rounds a coordinate to one decimal so the markup stays short. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

// One formatter for the whole hub (schema/src/units.ts): the subgraphs' rule sentences write figures as the charts do.
export { HUGE, formatNumber };

function decimalsOf(step: number): number {
  let digits = 0;
  while (digits < 6 && Math.abs(Math.round(step * 10 ** digits) - step * 10 ** digits) > 1e-6)
    digits++;
  return digits;
}

/** Formats an axis tick with only as many decimals as the step needs, so a 0-100% axis reads 80%, 85%, not 80.0%. */
export function formatTick(value: number, unit: ChartUnit, step: number): string {
  if (Math.abs(value) >= HUGE || Math.abs(step) >= HUGE) return formatNumber(value, unit);
  return formatDigits(value, unit, decimalsOf(step));
}

/**
 * How far an axis reaches: a value beyond +/-1e300 (old data, another publisher's) sits at the axis end. Past it a
 * step of 10^n, the ticks and the coordinates computed from them would overflow to Infinity.
 */
export const AXIS_LIMIT = 1e300;
/** The most ticks an axis asks for, whatever a caller passes. */
const MAX_TICKS = 12;

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/**
 * An axis from at or below `min` to at or above `max` in steps of 1, 2, 2.5 or 5 x 10^n, aiming for about `ticks`
 * ticks. Whatever the numbers (huge, tiny, equal, negative, NaN, Infinity) it ends, with at most 2 x MAX_TICKS + 1
 * ticks and `max` above `min`: the tick list is computed from a count, never by stepping until a bound is passed,
 * so a step that cannot move a huge number (or an Infinity bound) cannot make it run for ever.
 */
export function niceScale(min: number, max: number, ticks = 5): NiceScale {
  const wanted = clamp(Math.round(ticks) || 5, 2, MAX_TICKS);
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  lo = clamp(lo, -AXIS_LIMIT, AXIS_LIMIT);
  hi = clamp(hi, -AXIS_LIMIT, AXIS_LIMIT);
  const magnitude = Math.max(Math.abs(lo), Math.abs(hi));
  if (magnitude < 1e-290) {
    // Zero, or denormal dust around it: a 0-1 axis (below zero too if any is negative).
    [lo, hi] = [lo < 0 ? -1 : 0, 1];
  } else if (hi - lo <= magnitude * 1e-9) {
    // A flat series (or one flatter than a double can step across) still needs a visible range; zero stays the
    // floor so a run of zero counts does not go negative.
    const centre = lo + (hi - lo) / 2;
    const pad = Math.abs(centre) * 0.1;
    [lo, hi] = [centre - pad, centre + pad];
  }
  const raw = (hi - lo) / (wanted - 1);
  const magnitudeOfStep = 10 ** Math.floor(Math.log10(raw));
  const step =
    [1, 2, 2.5, 5, 10].map((m) => m * magnitudeOfStep).find((s) => s >= raw * (1 - 1e-9)) ??
    10 * magnitudeOfStep;
  const clean = (n: number) => parseFloat((Math.round(n / step) * step).toPrecision(12)) || 0;
  const niceMin = clean(Math.floor(lo / step + 1e-9) * step);
  let niceMax = clean(Math.ceil(hi / step - 1e-9) * step);
  const count = clamp(Math.round((niceMax - niceMin) / step), 1, 2 * MAX_TICKS);
  if (!(niceMax > niceMin)) niceMax = niceMin + step;
  const list = Array.from({ length: count + 1 }, (_, i) =>
    i === count ? niceMax : clean(niceMin + i * step),
  );
  return { min: niceMin, max: niceMax, step, ticks: list };
}

/** A coordinate kept within `margin` of the plot from `a` to `b`: a value off the axis (past AXIS_LIMIT) sits at its edge. */
export function withinPlot(coordinate: number, a: number, b: number, margin = 8): number {
  const [lo, hi] = [Math.min(a, b) - margin, Math.max(a, b) + margin];
  return Number.isNaN(coordinate) ? lo : clamp(coordinate, lo, hi);
}

/** The smallest and largest of some numbers without spreading them into arguments (which has a size limit). */
export function extent(numbers: readonly number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const n of numbers) {
    if (n < lo) lo = n;
    if (n > hi) hi = n;
  }
  return [lo, hi];
}

/** Path data for each unbroken run of points: a null breaks the line, and a lone point gets no path (its marker shows it). */
export function lineRuns(points: ReadonlyArray<readonly [number, number] | null>): string[] {
  const runs: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) runs.push(`M${run.join(' L')}`);
    run = [];
  };
  for (const point of points) {
    if (point === null) flush();
    else run.push(`${px(point[0])} ${px(point[1])}`);
  }
  flush();
  return runs;
}

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

/** A marker centred on (x, y) whose half-width is about `size`; `attrs` go in verbatim (callers escape), `title` is escaped here. */
export function marker(
  shape: MarkerShape,
  x: number,
  y: number,
  size: number,
  attrs: string,
  title = '',
): string {
  const tag = shape === 'circle' ? 'circle' : shape === 'square' ? 'rect' : 'polygon';
  let geometry: string;
  if (shape === 'circle') geometry = `cx="${px(x)}" cy="${px(y)}" r="${px(size)}"`;
  else if (shape === 'square')
    geometry = `x="${px(x - size)}" y="${px(y - size)}" width="${px(2 * size)}" height="${px(2 * size)}"`;
  else {
    // Triangles and diamonds are drawn a little larger so their area matches a circle's of the same size.
    const corners: Array<[number, number]> =
      shape === 'triangle'
        ? [
            [x, y - size * 1.3],
            [x + size * 1.2, y + size * 0.9],
            [x - size * 1.2, y + size * 0.9],
          ]
        : [
            [x, y - size * 1.35],
            [x + size * 1.35, y],
            [x, y + size * 1.35],
            [x - size * 1.35, y],
          ];
    geometry = `points="${corners.map(([cx, cy]) => `${px(cx)},${px(cy)}`).join(' ')}"`;
  }
  return title
    ? `<${tag} ${attrs} ${geometry}><title>${escapeXml(title)}</title></${tag}>`
    : `<${tag} ${attrs} ${geometry}/>`;
}

/** A legend swatch for a line style, centred on (cx, cy). */
export function lineSwatch(
  stroke: string,
  width: number,
  dash?: string,
): (cx: number, cy: number) => string {
  const dashed = dash ? ` stroke-dasharray="${dash}"` : '';
  return (cx, cy) =>
    `<line x1="${px(cx - 14)}" y1="${px(cy)}" x2="${px(cx + 14)}" y2="${px(cy)}" stroke="${stroke}" stroke-width="${width}"${dashed}/>`;
}

export interface LegendItem {
  label: string;
  swatch: (cx: number, cy: number) => string;
}

/** Lays legend items out left to right, wrapping onto more rows within `width`, and says how tall it came out. */
export function legend(
  items: LegendItem[],
  x: number,
  y: number,
  width: number,
): { svg: string; height: number } {
  const row = 28;
  let left = x;
  let middle = y + row / 2;
  const parts: string[] = [];
  for (const item of items) {
    const itemWidth = 36 + textWidth(item.label);
    if (left > x && left + itemWidth > x + width) {
      left = x;
      middle += row;
    }
    parts.push(
      `<g class="chart-legend__item">${item.swatch(left + 14, middle)}<text x="${px(left + 36)}" y="${px(middle + 5)}">${escapeXml(item.label)}</text></g>`,
    );
    left += itemWidth + 20;
  }
  return { svg: `<g class="chart-legend">${parts.join('')}</g>`, height: middle + row / 2 - y };
}

/** The accessible root element: role img, labelled by its title and described by a summary in words. */
export function svgDocument(chart: {
  id: string;
  title: string;
  desc: string;
  width: number;
  height: number;
  body: string;
  className: string;
}): string {
  const id = escapeXml(chart.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart ${escapeXml(chart.className)}" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `viewBox="0 0 ${px(chart.width)} ${px(chart.height)}" width="100%" font-family="${FONT_FAMILY}" font-size="16" fill="${COLOURS.text}">` +
    `<title id="${id}-title">${escapeXml(chart.title)}</title><desc id="${id}-desc">${escapeXml(chart.desc)}</desc>${chart.body}</svg>`
  );
}

/** A small chart that says in words why there is nothing to draw. */
export function emptyChart(id: string, title: string, message: string, className: string): string {
  return svgDocument({
    id,
    title,
    desc: message,
    width: 760,
    height: 40,
    className,
    body: `<text x="0" y="26">${escapeXml(message)}</text>`,
  });
}
