// A day as every part of the hub writes one, YYYY-MM-DD, and the one rule for whether it is real.
// No imports, so the registry can check its dates without loading GraphQL.

/** The form of a day: YYYY-MM-DD, with year, month and day captured. */
export const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whether text is a real calendar day written YYYY-MM-DD. The pattern alone lets 2021-13-45 and
 * 2023-02-29 through, which would then fail only when a database stores them (or roll over into
 * another day when a Date reads them).
 */
export function isCalendarDay(text: string): boolean {
  if (!ISO_DAY.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
