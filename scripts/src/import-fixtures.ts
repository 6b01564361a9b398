/** What a generated import file may name: an organisation's indicators (code, unit, and frequency: monthly when absent) and services. */
export interface ImportSubject {
  indicators: { code: string; unit: string; frequency?: string }[];
  services: string[];
}

export interface GeneratedRow {
  indicatorCode: string;
  serviceId: string | null;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

/** The period of an indicator's cadence that starts in this month (0-based from year 0), or null when none does. */
function periodOf(index: number, frequency: string | undefined): string | null {
  const year = Math.floor(index / 12);
  const month = index % 12;
  if (frequency === 'QUARTERLY') return month % 3 === 0 ? `${year}-Q${month / 3 + 1}` : null;
  if (frequency === 'ANNUAL') return month === 0 ? String(year) : null;
  return `${year}-${String(month + 1).padStart(2, '0')}`;
}

/**
 * Valid, deterministic measurements for imports at scale: every indicator for the whole
 * organisation and for each service, period after period of its own cadence from `firstMonth`
 * (long past, and far from seeded data, so an import adds rows rather than replacing them).
 * Percentages come as numerator/denominator.
 */
export function* generatedRows(
  subject: ImportSubject,
  count: number,
  firstMonth = '2000-01',
): Generator<GeneratedRow> {
  const [firstYear, first] = firstMonth.split('-').map(Number) as [number, number];
  const owners: (string | null)[] = [null, ...subject.services];
  if (subject.indicators.length === 0) return;
  let n = 0;
  for (let month = 0; n < count; month += 1) {
    const index = firstYear * 12 + (first - 1) + month;
    for (const indicator of subject.indicators) {
      const period = periodOf(index, indicator.frequency);
      if (period === null) continue;
      for (const serviceId of owners) {
        if (n >= count) return;
        const k = (n * 7919) % 1000;
        if (indicator.unit === 'PERCENT')
          yield {
            indicatorCode: indicator.code,
            serviceId,
            period,
            value: null,
            numerator: 50 + (k % 900),
            denominator: 1000,
          };
        else
          yield {
            indicatorCode: indicator.code,
            serviceId,
            period,
            value: 100 + k,
            numerator: null,
            denominator: null,
          };
        n += 1;
      }
    }
  }
}

const cell = (value: string | number | null) => (value === null ? '' : String(value));

/** The rows as an import CSV (header first). */
export function generatedCsv(subject: ImportSubject, count: number, firstMonth?: string): string {
  const lines = ['indicator_code,service_id,period,value,numerator,denominator'];
  for (const r of generatedRows(subject, count, firstMonth))
    lines.push(
      [r.indicatorCode, r.serviceId, r.period, r.value, r.numerator, r.denominator]
        .map(cell)
        .join(','),
    );
  return `${lines.join('\n')}\n`;
}
