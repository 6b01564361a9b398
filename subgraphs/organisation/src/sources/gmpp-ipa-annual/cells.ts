import { DcaRating, isCalendarDay } from '@crossgov/schema';

// How a cell of the GMPP annual files is read: dates, sums of money and ratings in every form the
// 2014-2023 files write them, and the publisher's markers for "no figure here". Each reader answers
// with a value (and how it was repaired, when it was), a blank, a marker, or the rule it broke.

/** A documented text the publisher writes in place of a figure, date or rating. */
export interface Marker {
  /** Its name in a rule: "an FOI exemption". */
  name: string;
  test: (text: string) => boolean;
}

const exact = (pattern: RegExp) => (text: string) => pattern.test(text);

/** Every marker PROVENANCE.md documents, by what it says. */
export const MARKERS = {
  exemption: {
    name: 'an exemption under the Freedom of Information Act (the figure is withheld)',
    test: (t: string) => /\bexempt(ion)?\b/i.test(t) && /freedom of information|\bfoi\b/i.test(t),
  },
  notProvided: {
    name: 'the publisher\'s "Data not provided" marker',
    test: exact(/^(data )?not provided( by (the )?department)?\.?$/i),
  },
  notInPosition: {
    name: 'the publisher\'s "not in a position to provide this information" marker',
    test: exact(
      /^the project is (not|still at the planning stage and is not yet) in a position to provide this information\.?$/i,
    ),
  },
  earlyPlanning: {
    name: 'the publisher\'s "Early planning GMPP project" marker (not yet past its strategic outline case)',
    test: exact(
      /^early planning gmpp project\s*\(the project has not yet passed soc, or its programme equivalent\)$/i,
    ),
  },
  legal: {
    name: 'the 2021 sentence that legal sensitivity prevented a complete assessment',
    test: exact(
      /^legal sensitivity around this programme .* prevented the ipa from providing a complete and independent assessment\.?$/i,
    ),
  },
  noDca: {
    name: 'the publisher\'s "No DCA" marker (no assessment was made)',
    test: exact(/^no dca$/i),
  },
  reset: {
    name: 'the publisher\'s "Reset" marker (the project was being reset)',
    test: exact(/^reset$/i),
  },
  notAvailable: { name: 'the spreadsheet error #N/A', test: exact(/^#n\/a$/i) },
  noEndDate: { name: 'the publisher\'s "No end date" marker', test: exact(/^no end date$/i) },
  notApplicable: {
    name: 'the publisher\'s "Not Applicable" marker',
    test: exact(/^not applicable$/i),
  },
  toBeDecided: { name: 'the publisher\'s "TBD" marker (to be decided)', test: exact(/^tbd$/i) },
} as const satisfies Record<string, Marker>;

const ALL_MARKERS: readonly Marker[] = Object.values(MARKERS);

/** The marker a text is, if any (whitespace collapsed first: the early-planning text spans lines). */
export function markerOf(text: string): Marker | null {
  const flat = text.replace(/\s+/g, ' ').trim();
  return ALL_MARKERS.find((m) => m.test(flat)) ?? null;
}

/** What a cell was read as. */
export type Reading<T> =
  | { kind: 'value'; value: T; repair?: { to: unknown; rule: string } }
  | { kind: 'blank' }
  | { kind: 'marker'; marker: Marker }
  | { kind: 'unreadable'; rule: string };

const pad = (n: number) => String(n).padStart(2, '0');

function calendarDay(year: number, month: number, day: number): string | null {
  const iso = `${year}-${pad(month)}-${pad(day)}`;
  return isCalendarDay(iso) ? iso : null;
}

const DATE_FORMS = 'dd/mm/yyyy (2014-2020), dd/mm/yy (2018) or yyyy-mm-dd (2021-2023)';

/**
 * A date cell: dd/mm/yyyy, dd/mm/yy (the 2018 file; years 50-99 are 19yy, the rest 20yy) and
 * yyyy-mm-dd; "1/012/2014" (the 2017 A303 start date) is read as 1 December 2014.
 */
export function readDate(written: string): Reading<string> {
  const text = written.trim();
  if (text === '') return { kind: 'blank' };
  let m: RegExpExecArray | null;
  let value: string | null = null;
  let repair: { to: string; rule: string } | undefined;
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)))
    value = calendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text)))
    value = calendarDay(Number(m[3]), Number(m[2]), Number(m[1]));
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/.exec(text))) {
    const yy = Number(m[3]);
    const year = yy >= 50 ? 1900 + yy : 2000 + yy;
    value = calendarDay(year, Number(m[2]), Number(m[1]));
    if (value)
      repair = {
        to: value,
        rule: `two-digit year ${m[3]} read as ${year} (the 2018 file writes dd/mm/yy; years 50-99 are 19yy, 00-49 are 20yy)`,
      };
  } else if ((m = /^(\d{1,2})\/0(\d{2})\/(\d{4})$/.exec(text))) {
    value = calendarDay(Number(m[3]), Number(m[2]), Number(m[1]));
    if (value)
      repair = {
        to: value,
        rule: `month written with three digits (0${m[2]}) read as ${m[2]}: the 2017 file's A303 start date "1/012/2014" is 1 December 2014`,
      };
  } else {
    const marker = markerOf(text);
    return marker
      ? { kind: 'marker', marker }
      : {
          kind: 'unreadable',
          rule: `is not a date in a form the files use (${DATE_FORMS}) nor a documented marker for no date`,
        };
  }
  if (!value) return { kind: 'unreadable', rule: 'is not a real calendar day' };
  return repair ? { kind: 'value', value, repair } : { kind: 'value', value };
}

/** GBP million as written: £1,234.56, £12.34m (2015), 1234.56 (2023), -£9.99; thousands grouped by three. */
const MONEY = /^(-?)£?(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?m?$/;

/** A money cell in GBP million; a negative sum is read as written (the caller decides what it may be). */
export function readMoney(written: string): Reading<number> {
  const text = written.trim();
  if (text === '') return { kind: 'blank' };
  const m = MONEY.exec(text);
  if (m && !(m[1] && m[2])) {
    const value = Number(`${m[3]!.replaceAll(',', '')}${m[4] ?? ''}`);
    return { kind: 'value', value: m[1] || m[2] ? -value : value };
  }
  const marker = markerOf(text);
  return marker
    ? { kind: 'marker', marker }
    : {
        kind: 'unreadable',
        rule: 'is not a sum of GBP million in a form the files use (£1,234.56, £12.34m, 1234.56, -£9.99) nor a documented marker for no figure',
      };
}

const RATING_WORDS: Readonly<Record<string, DcaRating>> = {
  green: DcaRating.GREEN,
  'amber/green': DcaRating.AMBER_GREEN,
  amber: DcaRating.AMBER,
  'amber/red': DcaRating.AMBER_RED,
  red: DcaRating.RED,
};

/**
 * A delivery confidence rating: Green, Amber/Green (also Amber-Green, Amber / Green), Amber,
 * Amber/Red, Red in any case; "Reset" is RESET; FOI exemption text is EXEMPT (reported as a repair).
 */
export function readRating(written: string): Reading<DcaRating> {
  const text = written.trim();
  if (text === '') return { kind: 'blank' };
  const word =
    RATING_WORDS[
      text
        .toLowerCase()
        .replace(/\s*[/-]\s*/g, '/')
        .replace(/\s+/g, ' ')
    ];
  if (word) return { kind: 'value', value: word };
  const marker = markerOf(text);
  if (marker === MARKERS.reset) return { kind: 'value', value: DcaRating.RESET };
  if (marker === MARKERS.exemption)
    return {
      kind: 'value',
      value: DcaRating.EXEMPT,
      repair: {
        to: DcaRating.EXEMPT,
        rule: 'FOI exemption text in the rating cell read as the rating EXEMPT (withheld, not a confidence level)',
      },
    };
  if (marker) return { kind: 'marker', marker };
  return {
    kind: 'unreadable',
    rule: 'is not a delivery confidence rating (Green, Amber/Green, Amber, Amber/Red, Red, Reset) nor a documented marker for no rating',
  };
}
