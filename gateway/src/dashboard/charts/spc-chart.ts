import {
  type ChartUnit,
  COLOURS,
  type LegendItem,
  type MarkerShape,
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

export interface SpcChartPoint {
  period: string;
  value: number | null;
  /** NEITHER: a special cause of an indicator with no better direction (closest to target without a target). */
  variation: 'IMPROVEMENT' | 'CONCERN' | 'NEITHER' | 'COMMON_CAUSE' | null;
  signal: string | null;
  mean: number | null;
  upperLimit: number | null;
  lowerLimit: number | null;
}

export interface SpcChartInput {
  id: string;
  title: string;
  unit: ChartUnit;
  points: SpcChartPoint[];
  target: number | null;
}

const WIDTH = 760;
const TOP = 16;
const PLOT_HEIGHT = 300;
const RIGHT = 72; // room for the "Target" label at the right end of its line
const MAX_X_LABELS = 8;
const LIMIT_DASH = '6 4';
const TARGET_DASH = '14 4 3 4'; // dash-dot, so the target never reads as a process limit

type Variation = NonNullable<SpcChartPoint['variation']> | 'UNASSESSED';
// Shape as well as colour tells the variations apart (WCAG 1.4.1). A point without a variation came before there were
// enough figures to judge, so it is hollow rather than passed off as common cause.
const VARIATION: Record<
  Variation,
  { shape: MarkerShape; fill: string; label: string; modifier: string }
> = {
  COMMON_CAUSE: {
    shape: 'circle',
    fill: COLOURS.grey,
    label: 'Common cause',
    modifier: 'common-cause',
  },
  IMPROVEMENT: {
    shape: 'square',
    fill: COLOURS.blue,
    label: 'Improvement',
    modifier: 'improvement',
  },
  CONCERN: { shape: 'triangle', fill: COLOURS.red, label: 'Concern', modifier: 'concern' },
  // NHS "Making Data Count" draws a special cause with no better direction in purple ("neither").
  NEITHER: {
    shape: 'diamond',
    fill: COLOURS.purple,
    label: 'Special cause, neither better nor worse',
    modifier: 'neither',
  },
  UNASSESSED: {
    shape: 'circle',
    fill: COLOURS.white,
    label: 'Not assessed',
    modifier: 'unassessed',
  },
};

const SIGNAL_WORDS: Record<string, string> = {
  OUTSIDE_LIMITS: 'a point outside the process limits',
  TREND: 'a run of 7 points rising or falling',
  TWO_OF_THREE_NEAR_LIMIT: '2 of 3 points near a process limit',
  SHIFT: 'a run of 7 points on one side of the mean',
};

type Valued = SpcChartPoint & { value: number };
const hasValue = (point: SpcChartPoint): point is Valued =>
  point.value !== null && Number.isFinite(point.value);
const isNumber = (n: number | null): n is number => n !== null && Number.isFinite(n);

function markerAttrs(variation: Variation, className: string): string {
  const style = VARIATION[variation];
  return `class="${className}" fill="${style.fill}" stroke="${variation === 'UNASSESSED' ? COLOURS.grey : style.fill}" stroke-width="2"`;
}

function pointTitle(point: Valued, unit: ChartUnit): string {
  const head = `${point.period}: ${formatNumber(point.value, unit)}`;
  if (point.variation === 'COMMON_CAUSE') return `${head}. Common cause variation.`;
  if (point.variation === null) return `${head}.`;
  const kind =
    point.variation === 'IMPROVEMENT'
      ? 'Improvement'
      : point.variation === 'NEITHER'
        ? 'Special cause, neither better nor worse'
        : 'Concern';
  const signal = point.signal
    ? (SIGNAL_WORDS[point.signal] ?? point.signal.toLowerCase().replace(/_/g, ' '))
    : null;
  return signal ? `${head}. ${kind}: ${signal}.` : `${head}. ${kind}.`;
}

function pointsShow(count: number, what: string): string {
  return `${count} ${count === 1 ? 'point shows' : 'points show'} ${what}`;
}

/** The chart's summary in words, for screen readers and anyone who cannot see the chart. */
function describe(input: SpcChartInput, valued: Valued[]): string {
  const { points, unit, target } = input;
  const first = points[0];
  const last = points[points.length - 1];
  const latest = valued[valued.length - 1];
  if (!first || !last || !latest) return 'No figures reported.';
  const missing = points.length - valued.length;
  const sentences = [
    points.length === 1
      ? `1 period, ${first.period}.`
      : `${points.length} periods from ${first.period} to ${last.period}${missing > 0 ? `, ${missing} with no figure` : ''}.`,
    `Latest ${latest.period}: ${formatNumber(latest.value, unit)}.`,
  ];
  const mean = latest.mean !== null ? ` around a mean of ${formatNumber(latest.mean, unit)}` : '';
  if (isNumber(latest.lowerLimit) && isNumber(latest.upperLimit)) {
    sentences.push(
      `Process limits ${formatNumber(latest.lowerLimit, unit)} to ${formatNumber(latest.upperLimit, unit)}${mean}.`,
    );
  } else if (latest.mean !== null) sentences.push(`Mean ${formatNumber(latest.mean, unit)}.`);
  const concern = valued.filter((p) => p.variation === 'CONCERN').length;
  const improvement = valued.filter((p) => p.variation === 'IMPROVEMENT').length;
  if (concern > 0 && improvement > 0)
    sentences.push(`${pointsShow(concern, 'concern')} and ${improvement} improvement.`);
  else if (concern > 0) sentences.push(`${pointsShow(concern, 'concern')}, none improvement.`);
  else if (improvement > 0)
    sentences.push(`${pointsShow(improvement, 'improvement')}, none concern.`);
  else sentences.push('No points show improvement or concern.');
  const neither = valued.filter((p) => p.variation === 'NEITHER').length;
  if (neither > 0)
    sentences.push(`${pointsShow(neither, 'a special cause with no better direction')}.`);
  if (target !== null) sentences.push(`Target ${formatNumber(target, unit)}.`);
  return sentences.join(' ');
}

/**
 * An NHS "Making Data Count" XmR chart: the series with a marker per point shaped by its variation, the mean and
 * process limits as step lines (they move when the limits are rebased), the target, a legend and a summary in words.
 */
export function spcChart(input: SpcChartInput): string {
  const { id, title, unit, points, target } = input;
  const valued = points.filter(hasValue);
  if (valued.length === 0) return emptyChart(id, title, 'No figures reported.', 'app-chart--spc');

  const numbers = points
    .flatMap((p) => [p.value, p.mean, p.upperLimit, p.lowerLimit])
    .concat(target)
    .filter(isNumber);
  const scale = niceScale(...extent(numbers));
  const tickLabels = scale.ticks.map((tick) => formatTick(tick, unit, scale.step));
  // Labels are short (formatTick writes huge numbers in powers of ten); the cap keeps the plot wide whatever they say.
  const left = Math.min(WIDTH / 3, 20 + Math.max(...tickLabels.map((label) => textWidth(label))));
  const right = WIDTH - RIGHT;
  const bottom = TOP + PLOT_HEIGHT;
  const slot = (right - left) / points.length;
  const xAt = (i: number) => left + (i + 0.5) * slot;
  const yAt = (v: number) =>
    withinPlot(TOP + (PLOT_HEIGHT * (scale.max - v)) / (scale.max - scale.min), TOP, bottom);

  const parts: string[] = [];
  parts.push(
    `<g class="spc-axis" stroke="${COLOURS.grey}" stroke-width="1"><line x1="${px(left)}" y1="${TOP}" x2="${px(left)}" y2="${bottom}"/><line x1="${px(left)}" y1="${bottom}" x2="${right}" y2="${bottom}"/></g>`,
  );
  scale.ticks.forEach((tick, i) => {
    const y = px(yAt(tick));
    parts.push(
      `<line x1="${px(left - 6)}" y1="${y}" x2="${px(left)}" y2="${y}" stroke="${COLOURS.grey}"/><text x="${px(left - 10)}" y="${px(yAt(tick) + 5)}" text-anchor="end">${escapeXml(tickLabels[i] ?? '')}</text>`,
    );
  });

  // Label every nth period counting back from the latest, so the latest is always labelled and labels never overlap.
  const longestPeriod = Math.max(...points.map((p) => textWidth(p.period)));
  const labelCount = Math.max(
    1,
    Math.min(MAX_X_LABELS, Math.floor((right - left) / (longestPeriod + 16))),
  );
  const every = Math.ceil(points.length / labelCount);
  points.forEach((point, i) => {
    if ((points.length - 1 - i) % every !== 0) return;
    const x = px(xAt(i));
    parts.push(
      `<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 6}" stroke="${COLOURS.grey}"/><text x="${x}" y="${bottom + 24}" text-anchor="middle">${escapeXml(point.period)}</text>`,
    );
  });

  // Each point's limits and mean span its whole slot, so a rebase shows as a step between slots.
  const step = (pick: (p: SpcChartPoint) => number | null) => {
    let d = '';
    let lastY: string | null = null;
    points.forEach((point, i) => {
      const v = pick(point);
      const y = isNumber(v) ? px(yAt(v)) : null;
      const x1 = px(left + (i + 1) * slot);
      if (y === null) lastY = null;
      // An unchanged value extends the run (one long H); a changed one steps (V) at the slot boundary.
      else if (y === lastY) d = d.replace(/H[\d.-]+$/, `H${x1}`);
      else d += `${lastY === null ? ` M${px(left + i * slot)} ${y}` : ` V${y}`} H${x1}`;
      lastY = y;
    });
    return d.trim();
  };
  const limits = [step((p) => p.upperLimit), step((p) => p.lowerLimit)].filter(Boolean);
  for (const d of limits)
    parts.push(
      `<path class="spc-limit" d="${d}" fill="none" stroke="${COLOURS.grey}" stroke-width="1.5" stroke-dasharray="${LIMIT_DASH}"/>`,
    );
  const meanPath = step((p) => p.mean);
  if (meanPath)
    parts.push(
      `<path class="spc-mean" d="${meanPath}" fill="none" stroke="${COLOURS.text}" stroke-width="1.5"/>`,
    );
  const hasTarget = target !== null && Number.isFinite(target);
  if (hasTarget) {
    const y = px(yAt(target));
    parts.push(
      `<g class="spc-target"><line x1="${px(left)}" y1="${y}" x2="${right}" y2="${y}" stroke="${COLOURS.purple}" stroke-width="2" stroke-dasharray="${TARGET_DASH}"/>` +
        `<text x="${right + 6}" y="${px(yAt(target) + 5)}">Target</text></g>`,
    );
  }

  const line = lineRuns(
    points.map((p, i) => (hasValue(p) ? ([xAt(i), yAt(p.value)] as const) : null)),
  );
  for (const d of line)
    parts.push(
      `<path class="spc-line" d="${d}" fill="none" stroke="${COLOURS.grey}" stroke-width="2"/>`,
    );
  points.forEach((point, i) => {
    if (!hasValue(point)) return;
    // A variation this chart does not know (a newer API's) is drawn hollow, as unjudged, rather than breaking the page.
    const variation: Variation =
      point.variation !== null && point.variation in VARIATION ? point.variation : 'UNASSESSED';
    parts.push(
      marker(
        VARIATION[variation].shape,
        xAt(i),
        yAt(point.value),
        5,
        markerAttrs(variation, `spc-point spc-point--${VARIATION[variation].modifier}`),
        pointTitle(point, unit),
      ),
    );
  });

  const swatch = (variation: Variation) => (cx: number, cy: number) =>
    marker(VARIATION[variation].shape, cx, cy, 5, markerAttrs(variation, 'chart-legend__swatch'));
  const items: LegendItem[] = (['COMMON_CAUSE', 'IMPROVEMENT', 'CONCERN'] as const).map((v) => ({
    label: VARIATION[v].label,
    swatch: swatch(v),
  }));
  if (valued.some((p) => p.variation === 'NEITHER'))
    items.push({ label: VARIATION.NEITHER.label, swatch: swatch('NEITHER') });
  if (valued.some((p) => p.variation === null))
    items.push({ label: VARIATION.UNASSESSED.label, swatch: swatch('UNASSESSED') });
  // Lines are named only when drawn: a short series has no limits yet, and a key to absent lines would mislead.
  if (meanPath) items.push({ label: 'Mean', swatch: lineSwatch(COLOURS.text, 1.5) });
  if (limits.length > 0)
    items.push({ label: 'Process limits', swatch: lineSwatch(COLOURS.grey, 1.5, LIMIT_DASH) });
  if (hasTarget)
    items.push({ label: 'Target', swatch: lineSwatch(COLOURS.purple, 2, TARGET_DASH) });
  const key = legend(items, 0, bottom + 40, WIDTH);
  parts.push(key.svg);

  return svgDocument({
    id,
    title,
    desc: describe(input, valued),
    width: WIDTH,
    height: bottom + 40 + key.height + 4,
    body: parts.join(''),
    className: 'app-chart--spc',
  });
}
