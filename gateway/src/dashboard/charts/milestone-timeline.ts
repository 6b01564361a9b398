import { isCalendarDay } from '@crossgov/schema';
import {
  COLOURS,
  type LegendItem,
  emptyChart,
  escapeXml,
  legend,
  lineSwatch,
  marker,
  px,
  svgDocument,
} from './svg.ts';

export interface TimelineMilestone {
  title: string;
  /** ISO dates, 'YYYY-MM-DD'. */
  baseline: string | null;
  forecast: string | null;
  actual: string | null;
  status: string;
  slippageDescription: string | null;
}

export interface TimelineInput {
  id: string;
  title: string;
  /** ISO date, 'YYYY-MM-DD'. */
  today: string;
  milestones: TimelineMilestone[];
}

const WIDTH = 760;
const LEFT = 240; // the milestone titles sit in the column to the left of this
const RIGHT = WIDTH - 24;
const AXIS_Y = 36;
const ROW = 52;
const LINE_CHARS = 23;
const DAY_MS = 86_400_000;
const TODAY_DASH = '5 3';
const QUARTER_MONTHS = ['Jan', 'Apr', 'Jul', 'Oct'];

/** Days since 1970 of an ISO date, or null for none or one that is not a calendar day. */
export const dayOf = (iso: string | null): number | null =>
  iso && isCalendarDay(iso) ? Date.parse(`${iso}T00:00:00Z`) / DAY_MS : null;

const longDate = (day: number) =>
  new Date(day * DAY_MS).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** A span of days in words: "5 days", "about 3 weeks", "about 14 months". */
export function duration(days: number): string {
  if (days < 14) return `${days} ${days === 1 ? 'day' : 'days'}`;
  if (days < 60) return `about ${Math.round(days / 7)} weeks`;
  return `about ${Math.round(days / 30.44)} months`;
}

/** The first day of a month; months past 11 roll into later years. Unlike Date.UTC, years 0-99 stay themselves. */
function monthStart(year: number, month: number): Date {
  const date = new Date(Date.UTC(2000, month, 1));
  date.setUTCFullYear(year + date.getUTCFullYear() - 2000);
  return date;
}

/** At most this many ticks on the axis, whatever the dates: a milestone forecast for 9999 must not draw 8,000 years. */
const MAX_TICKS = 60;
const YEAR_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * Year ticks, plus quarter ticks when the span is short enough (under 3 years) for them to be read; over a long span
 * every 2, 5, 10, ... years, so the ticks stay under MAX_TICKS. The loop is bounded by a count as well as by the end date.
 */
function timeAxis(days: number[]): {
  start: number;
  end: number;
  ticks: Array<{ day: number; label: string; year: boolean }>;
} {
  const [firstDay, lastDay] = days.reduce<[number, number]>(
    ([lo, hi], d) => [Math.min(lo, d), Math.max(hi, d)],
    [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  );
  const first = new Date(firstDay * DAY_MS);
  const last = new Date(lastDay * DAY_MS);
  const quarters = lastDay - firstDay < 3 * 365.25;
  const years = last.getUTCFullYear() - first.getUTCFullYear() + 1;
  const everyYears = YEAR_STEPS.find((n) => years / n <= MAX_TICKS) ?? YEAR_STEPS.at(-1)!;
  const months = quarters ? 3 : 12 * everyYears;
  const startYear = quarters
    ? first.getUTCFullYear()
    : Math.floor(first.getUTCFullYear() / everyYears) * everyYears;
  const startMonth = quarters ? Math.floor(first.getUTCMonth() / 3) * 3 : 0;
  // Date.UTC rolls month 12 over into January of the next year.
  const end =
    Date.UTC(last.getUTCFullYear(), quarters ? Math.floor(last.getUTCMonth() / 3) * 3 + 3 : 12, 1) /
    DAY_MS;
  const ticks: Array<{ day: number; label: string; year: boolean }> = [];
  for (let i = 0; i <= MAX_TICKS + 2; i++) {
    const date = monthStart(startYear, startMonth + i * months);
    const day = date.getTime() / DAY_MS;
    if (!(day <= end)) break;
    const year = date.getUTCMonth() === 0;
    ticks.push({
      day,
      year,
      label: year ? String(date.getUTCFullYear()) : (QUARTER_MONTHS[date.getUTCMonth() / 3] ?? ''),
    });
  }
  return { start: ticks[0]?.day ?? end - 365, end, ticks };
}

/** Wraps a title onto at most two lines, cutting the second short with an ellipsis when it will not fit. */
function wrap(title: string): string[] {
  const lines: string[] = [''];
  for (const word of title.split(/\s+/).filter(Boolean)) {
    const current = lines[lines.length - 1] ?? '';
    if (!current) lines[lines.length - 1] = word;
    else if (current.length + 1 + word.length <= LINE_CHARS)
      lines[lines.length - 1] = `${current} ${word}`;
    else lines.push(word);
  }
  const shown = lines
    .slice(0, 2)
    .map((line) => (line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS - 1)}…` : line));
  const lastShown = shown[shown.length - 1] ?? '';
  if (lines.length > 2 && !lastShown.endsWith('…'))
    shown[shown.length - 1] = `${lastShown.slice(0, LINE_CHARS - 1)}…`;
  return shown;
}

interface Row {
  milestone: TimelineMilestone;
  baseline: number | null;
  forecast: number | null;
  actual: number | null;
  /** Days later than baseline the milestone was done or is forecast, when both are known. */
  slip: number | null;
}

function describe(rows: Row[]): string {
  const done = rows.filter((r) => r.actual !== null).length;
  const slipped = rows.filter((r) => r.slip !== null && r.slip > 0);
  const sentences = [
    `${rows.length} ${rows.length === 1 ? 'milestone' : 'milestones'}, ${done} done.`,
  ];
  const worst = slipped.reduce<Row | null>(
    (most, r) => (most === null || (r.slip ?? 0) > (most.slip ?? 0) ? r : most),
    null,
  );
  if (!worst || worst.baseline === null || worst.slip === null)
    sentences.push('None has slipped against its baseline.');
  else {
    const which = `${slipped.length} ${slipped.length === 1 ? 'has' : 'have'} slipped against baseline`;
    const dates = `from ${longDate(worst.baseline)} to ${longDate(worst.baseline + worst.slip)}`;
    sentences.push(
      `${which}; the most, ${worst.milestone.title}, by ${duration(worst.slip)} (${dates}).`,
    );
  }
  return sentences.join(' ');
}

/**
 * A milestone timeline: one row per milestone with its baseline, forecast and actual dates, a line showing slippage
 * against baseline, a time axis across the top, a line for today, a legend and a summary in words.
 */
export function milestoneTimeline(input: TimelineInput): string {
  const { id, title, milestones } = input;
  if (milestones.length === 0)
    return emptyChart(id, title, 'No milestones.', 'app-chart--timeline');

  const rows: Row[] = milestones.map((milestone) => {
    const [baseline, forecast, actual] = [
      dayOf(milestone.baseline),
      dayOf(milestone.forecast),
      dayOf(milestone.actual),
    ];
    const outcome = actual ?? forecast;
    return {
      milestone,
      baseline,
      forecast,
      actual,
      slip: baseline !== null && outcome !== null ? outcome - baseline : null,
    };
  });
  const today = dayOf(input.today);
  const days = rows
    .flatMap((r) => [r.baseline, r.forecast, r.actual])
    .concat(today)
    .filter((d): d is number => d !== null);
  const axis = timeAxis(days.length > 0 ? days : [Date.now() / DAY_MS]);
  const xAt = (day: number) =>
    LEFT + ((RIGHT - LEFT) * (day - axis.start)) / (axis.end - axis.start);
  const rowsBottom = AXIS_Y + 8 + rows.length * ROW;

  const parts: string[] = [];
  // Thin out year labels on a long span so they never overprint one another.
  const yearTicks = axis.ticks.filter((t) => t.year);
  const everyYear = Math.max(1, Math.ceil((yearTicks.length * 48) / (RIGHT - LEFT)));
  parts.push(
    `<line class="timeline-axis" x1="${LEFT}" y1="${AXIS_Y}" x2="${RIGHT}" y2="${AXIS_Y}" stroke="${COLOURS.grey}"/>`,
  );
  for (const tick of axis.ticks) {
    const x = px(xAt(tick.day));
    const labelled = !tick.year || yearTicks.indexOf(tick) % everyYear === 0;
    const label = labelled
      ? `<text x="${x}" y="${AXIS_Y - 14}" text-anchor="middle"${tick.year ? ' font-weight="bold"' : ' font-size="14"'}>${tick.label}</text>`
      : '';
    parts.push(
      `<line x1="${x}" y1="${AXIS_Y - (tick.year ? 10 : 6)}" x2="${x}" y2="${AXIS_Y}" stroke="${COLOURS.grey}"/>${label}`,
    );
  }

  // Light banding ties each title to its row of markers; it carries no meaning of its own, so it sits under everything.
  rows.forEach((_, i) => {
    if (i % 2 === 0)
      parts.push(
        `<rect class="timeline-band" x="0" y="${AXIS_Y + 8 + i * ROW}" width="${WIDTH}" height="${ROW}" fill="#f3f2f1"/>`,
      );
  });
  if (today !== null) {
    const x = xAt(today);
    const anchor = x > RIGHT - 24 ? 'end' : 'middle';
    parts.push(
      `<g class="timeline-today"><line x1="${px(x)}" y1="${AXIS_Y}" x2="${px(x)}" y2="${rowsBottom}" stroke="${COLOURS.text}" stroke-width="2" stroke-dasharray="${TODAY_DASH}"/>` +
        `<text x="${px(x)}" y="${rowsBottom + 20}" text-anchor="${anchor}">Today</text></g>`,
    );
  }

  rows.forEach((row, i) => {
    const middle = AXIS_Y + 8 + i * ROW + ROW / 2;
    const m = row.milestone;
    const lines = wrap(m.title);
    const spans = lines
      .map(
        (line, n) =>
          `<tspan x="8" y="${px(middle + 5 + (n - (lines.length - 1) / 2) * 18)}">${escapeXml(line)}</tspan>`,
      )
      .join('');
    const status = m.status.toLowerCase().replace(/_/g, ' ');
    const full = `${m.title}. Status: ${status}.${m.slippageDescription ? ` ${m.slippageDescription}` : ''}`;
    const marks: string[] = [];
    const outcome = row.actual ?? row.forecast;
    if (row.baseline !== null && outcome !== null && outcome !== row.baseline) {
      const late = outcome > row.baseline;
      const colour = late ? COLOURS.red : COLOURS.grey;
      marks.push(
        `<line class="timeline-slippage timeline-slippage--${late ? 'late' : 'early'}" x1="${px(xAt(row.baseline))}" y1="${middle}" x2="${px(xAt(outcome))}" y2="${middle}" stroke="${colour}" stroke-width="3"/>`,
      );
    }
    if (row.baseline !== null)
      marks.push(
        marker(
          'diamond',
          xAt(row.baseline),
          middle,
          6,
          `class="timeline-marker timeline-marker--baseline" fill="${COLOURS.white}" stroke="${COLOURS.grey}" stroke-width="2"`,
          `Baseline: ${longDate(row.baseline)}`,
        ),
      );
    if (row.forecast !== null)
      marks.push(
        marker(
          'circle',
          xAt(row.forecast),
          middle,
          6,
          `class="timeline-marker timeline-marker--forecast" fill="${COLOURS.blue}"`,
          `Forecast: ${longDate(row.forecast)}`,
        ),
      );
    if (row.actual !== null)
      marks.push(
        marker(
          'square',
          xAt(row.actual),
          middle,
          6,
          `class="timeline-marker timeline-marker--actual" fill="${COLOURS.green}"`,
          `Actual: ${longDate(row.actual)}`,
        ),
      );
    parts.push(
      `<g class="timeline-row"><text class="timeline-label"><title>${escapeXml(full)}</title>${spans}</text>${marks.join('')}</g>`,
    );
  });

  const items: LegendItem[] = [
    {
      label: 'Baseline',
      swatch: (cx, cy) =>
        marker(
          'diamond',
          cx,
          cy,
          6,
          `class="chart-legend__swatch" fill="${COLOURS.white}" stroke="${COLOURS.grey}" stroke-width="2"`,
        ),
    },
    {
      label: 'Forecast',
      swatch: (cx, cy) =>
        marker('circle', cx, cy, 6, `class="chart-legend__swatch" fill="${COLOURS.blue}"`),
    },
    {
      label: 'Actual',
      swatch: (cx, cy) =>
        marker('square', cx, cy, 6, `class="chart-legend__swatch" fill="${COLOURS.green}"`),
    },
    { label: 'Slippage', swatch: lineSwatch(COLOURS.red, 3) },
    { label: 'Today', swatch: lineSwatch(COLOURS.text, 2, TODAY_DASH) },
  ];
  const key = legend(items, 0, rowsBottom + 36, WIDTH);
  parts.push(key.svg);
  return svgDocument({
    id,
    title,
    desc: describe(rows),
    width: WIDTH,
    height: rowsBottom + 36 + key.height + 4,
    body: parts.join(''),
    className: 'app-chart--timeline',
  });
}
