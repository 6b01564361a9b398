// When a provider reports, against the months of the whole data set: late start, early end, gaps.

/** A provider's months against the data set's: when it starts late or ends early, its gaps, and a phrase for each. */
export interface Presence {
  /** Its first month, when after the data set's first. */
  late?: string;
  /** Its last month, when before the data set's last. */
  early?: string;
  /** Months between its first and last it has no figures for. */
  gaps?: string[];
  /** "first reported 2017-04, not in the 12 months before", "last reported 2018-06, not in the 9 months after", "no figures for 2017-11, 2017-12". */
  phrases: string[];
}

/** Every month from `first` to `last` (YYYY-MM), both included. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let year = Number(first.slice(0, 4));
  let month = Number(first.slice(5, 7));
  for (let label = first; label <= last;) {
    months.push(label);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
    label = `${year}-${String(month).padStart(2, '0')}`;
  }
  return months;
}

const monthsWord = (n: number) => (n === 1 ? '1 month' : `${n} months`);

/** Where `reported` (a provider's months) falls short of `all` (the data set's months, in order). */
export function describePresence(reported: ReadonlySet<string>, all: readonly string[]): Presence {
  const positions = all.flatMap((month, index) => (reported.has(month) ? [index] : []));
  const presence: Presence = { phrases: [] };
  if (positions.length === 0) return presence;
  const first = positions[0]!;
  const last = positions.at(-1)!;
  if (first > 0) {
    presence.late = all[first];
    presence.phrases.push(`first reported ${all[first]}, not in the ${monthsWord(first)} before`);
  }
  if (last < all.length - 1) {
    presence.early = all[last];
    presence.phrases.push(
      `last reported ${all[last]}, not in the ${monthsWord(all.length - 1 - last)} after`,
    );
  }
  const gaps = all.slice(first, last + 1).filter((month) => !reported.has(month));
  if (gaps.length > 0) {
    presence.gaps = gaps;
    presence.phrases.push(`no figures for ${gaps.join(', ')}`);
  }
  return presence;
}
