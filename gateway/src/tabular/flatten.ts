/** A flat row: column path to a scalar. */
export type FlatRow = Record<string, string | number | boolean | null>;

export class FlattenError extends Error {}

/**
 * Flattens a GraphQL result into rows for tools that read tables (Power Query, Excel, Tableau):
 * nested objects become dotted columns (`organisations.scorecard.latest.value`), each element of a
 * list of objects becomes its own row carrying its parents' columns, a list of scalars is joined
 * with `;`, an empty list keeps its parent's row with that column blank, and a null keeps its
 * column (blank) so a tool's table keeps the same columns from one refresh to the next. Two sibling lists of
 * objects would multiply into every combination, which no one wants, so that is refused.
 */
export function flatten(data: unknown): { columns: string[]; rows: FlatRow[] } {
  const rows = rowsOf(data, '');
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const column of Object.keys(row)) {
      if (!seen.has(column)) {
        seen.add(column);
        columns.push(column);
      }
    }
  }
  return { columns, rows };
}

const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

function isObjectList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.some((item) => item !== null && typeof item === 'object');
}

function rowsOf(value: unknown, prefix: string): FlatRow[] {
  if (value === null || value === undefined) return prefix ? [{ [prefix]: null }] : [{}];
  if (Array.isArray(value)) {
    if (!isObjectList(value))
      return [{ [prefix]: value.map((item) => (item === null ? '' : String(item))).join(';') }];
    const rows = value.flatMap((item) => rowsOf(item, prefix));
    return rows.length > 0 ? rows : [{}];
  }
  if (typeof value !== 'object') return [{ [prefix]: value as string | number | boolean }];
  const entries = Object.entries(value as Record<string, unknown>);
  const lists = entries
    .filter(([, v]) => isObjectList(v) && v.length > 1)
    .map(([k]) => join(prefix, k));
  if (lists.length > 1) {
    throw new FlattenError(
      `${lists.join(' and ')} are both lists at the same level; a table can follow one list per level, so ask for one of them (or read the JSON)`,
    );
  }
  let rows: FlatRow[] = [{}];
  for (const [key, child] of entries) {
    const childRows = rowsOf(child, join(prefix, key));
    rows =
      childRows.length === 1
        ? rows.map((row) => ({ ...row, ...childRows[0] }))
        : rows.flatMap((row) => childRows.map((c) => ({ ...row, ...c })));
  }
  return rows;
}
