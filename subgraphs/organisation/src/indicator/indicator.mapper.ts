import type { Frequency, Indicator, Polarity, Unit } from '@crossgov/schema';
import type { IndicatorRow } from '../db/schema.ts';

export function toIndicator(row: IndicatorRow): Indicator {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    definition: row.definition,
    unit: row.unit as Unit,
    polarity: row.polarity as Polarity,
    frequency: row.frequency as Frequency,
    tolerance: row.tolerance,
    leadOfficer: row.leadOfficer,
    dataOwner: row.dataOwner,
    reportCard: { whyItMatters: row.whyItMatters, whatSuccessLooksLike: row.whatSuccessLooksLike, actions: row.actions },
    synthetic: row.synthetic,
  };
}
