// A figure cell of services.csv: empty (no figure), the publisher's `-` (not applicable), or a
// number as the spreadsheet exported it (`6,400,000`, `921.79`, `1,386.00`: thousands separators
// are the format, not a problem). Anything else is not a figure the hub can take.

/** What a figure cell holds. */
export type Cell =
  | { kind: 'empty' }
  | { kind: 'marker'; text: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'bad'; text: string };

const EMPTY: Cell = { kind: 'empty' };
const NUMBER = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/** The rule a cell that is none of the above breaks. */
export const NUMBER_RULE =
  "must be a number (digits, with or without thousands separators and a decimal point), the publisher's '-' for not applicable, or empty";

/** Reads one figure cell. */
export function readCell(raw: string | undefined): Cell {
  if (raw === undefined || raw === '') return EMPTY;
  const text = raw.trim();
  if (text === '') return EMPTY;
  if (text === '-') return { kind: 'marker', text };
  if (NUMBER.test(text))
    return {
      kind: 'number',
      value: Number(text.includes(',') ? text.replaceAll(',', '') : text),
      text,
    };
  return { kind: 'bad', text: raw ?? '' };
}

/** Pounds and pence as a sum is written: rounded to the penny, so 1,966,350 x 2.45 is 4817557.5, not 4817557.500000001. */
export const pence = (amount: number) => Math.round(amount * 100) / 100;
