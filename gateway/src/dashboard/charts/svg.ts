/** What an indicator counts; mirrors the schema's Unit enum so the charts need not import type-graphql. */
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
export const COLOURS = { text: '#0b0c0c', grey: '#505a5f', blue: '#1d70b8', red: '#d4351c', green: '#00703c', purple: '#4c2c92', white: '#ffffff' } as const;

/** Roughly how wide a label renders; GDS Transport runs a little wider than Arial, so this errs wide. */
export function textWidth(text: string, fontSize = 16): number {
  return text.length * fontSize * 0.6;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in SVG/HTML element content and attribute values. */
export function escapeXml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** Rounds a coordinate to one decimal so the markup stays short. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', options);
    formatters.set(key, f);
  }
  return f;
}

// Rounding first stops a tiny negative from being shown as "-0.0".
function decimal(value: number, minDigits: number, maxDigits: number): string {
  const rounded = Math.round(value * 10 ** maxDigits) / 10 ** maxDigits || 0;
  return formatter(`d${minDigits}-${maxDigits}`, { minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits }).format(rounded);
}

function pounds(value: number, digits: number): string {
  const rounded = Math.round(value * 10 ** digits) / 10 ** digits || 0;
  return formatter(`gbp${digits}`, { style: 'currency', currency: 'GBP', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(rounded);
}

/**
 * Formats a figure for people: PERCENT to one decimal with `%`, CURRENCY in pounds (whole pounds from £100),
 * COUNT with thousands separators, anything else to at most 2 decimals.
 */
export function formatNumber(value: number, unit?: ChartUnit): string {
  if (!Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'PERCENT':
      return `${decimal(value, 1, 1)}%`;
    case 'CURRENCY':
      return Math.abs(value) >= 100 ? pounds(value, 0) : pounds(value, 2);
    default:
      return decimal(value, 0, 2);
  }
}

function decimalsOf(step: number): number {
  let digits = 0;
  while (digits < 6 && Math.abs(Math.round(step * 10 ** digits) - step * 10 ** digits) > 1e-6) digits++;
  return digits;
}

/** Formats an axis tick with only as many decimals as the step needs, so a 0-100% axis reads 80%, 85%, not 80.0%. */
export function formatTick(value: number, unit: ChartUnit, step: number): string {
  const digits = decimalsOf(step);
  if (unit === 'PERCENT') return `${decimal(value, digits, digits)}%`;
  if (unit === 'CURRENCY') return pounds(value, digits);
  return decimal(value, digits, digits);
}

/** An axis from at or below `min` to at or above `max` in steps of 1, 2, 2.5 or 5 x 10^n, aiming for about `ticks` ticks. */
export function niceScale(min: number, max: number, ticks = 5): NiceScale {
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo === hi) {
    // A flat series still needs a visible range; zero stays the floor so a run of zero counts does not go negative.
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    if (lo !== 0) lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, ticks - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * magnitude;
  const clean = (n: number) => parseFloat((Math.round(n / step) * step).toPrecision(12)) || 0;
  const niceMin = clean(Math.floor(lo / step + 1e-9) * step);
  const niceMax = clean(Math.ceil(hi / step - 1e-9) * step);
  const list: number[] = [];
  for (let i = 0; niceMin + i * step <= niceMax + step / 2; i++) list.push(clean(niceMin + i * step));
  return { min: niceMin, max: niceMax, step, ticks: list };
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
export function marker(shape: MarkerShape, x: number, y: number, size: number, attrs: string, title = ''): string {
  const tag = shape === 'circle' ? 'circle' : shape === 'square' ? 'rect' : 'polygon';
  let geometry: string;
  if (shape === 'circle') geometry = `cx="${px(x)}" cy="${px(y)}" r="${px(size)}"`;
  else if (shape === 'square') geometry = `x="${px(x - size)}" y="${px(y - size)}" width="${px(2 * size)}" height="${px(2 * size)}"`;
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
  return title ? `<${tag} ${attrs} ${geometry}><title>${escapeXml(title)}</title></${tag}>` : `<${tag} ${attrs} ${geometry}/>`;
}

/** A legend swatch for a line style, centred on (cx, cy). */
export function lineSwatch(stroke: string, width: number, dash?: string): (cx: number, cy: number) => string {
  const dashed = dash ? ` stroke-dasharray="${dash}"` : '';
  return (cx, cy) => `<line x1="${px(cx - 14)}" y1="${px(cy)}" x2="${px(cx + 14)}" y2="${px(cy)}" stroke="${stroke}" stroke-width="${width}"${dashed}/>`;
}

export interface LegendItem {
  label: string;
  swatch: (cx: number, cy: number) => string;
}

/** Lays legend items out left to right, wrapping onto more rows within `width`, and says how tall it came out. */
export function legend(items: LegendItem[], x: number, y: number, width: number): { svg: string; height: number } {
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
    parts.push(`<g class="chart-legend__item">${item.swatch(left + 14, middle)}<text x="${px(left + 36)}" y="${px(middle + 5)}">${escapeXml(item.label)}</text></g>`);
    left += itemWidth + 20;
  }
  return { svg: `<g class="chart-legend">${parts.join('')}</g>`, height: middle + row / 2 - y };
}

/** The accessible root element: role img, labelled by its title and described by a summary in words. */
export function svgDocument(chart: { id: string; title: string; desc: string; width: number; height: number; body: string; className: string }): string {
  const id = escapeXml(chart.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart ${escapeXml(chart.className)}" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `viewBox="0 0 ${px(chart.width)} ${px(chart.height)}" width="100%" font-family="${FONT_FAMILY}" font-size="16" fill="${COLOURS.text}">` +
    `<title id="${id}-title">${escapeXml(chart.title)}</title><desc id="${id}-desc">${escapeXml(chart.desc)}</desc>${chart.body}</svg>`
  );
}

/** A small chart that says in words why there is nothing to draw. */
export function emptyChart(id: string, title: string, message: string, className: string): string {
  return svgDocument({ id, title, desc: message, width: 760, height: 40, className, body: `<text x="0" y="26">${escapeXml(message)}</text>` });
}
