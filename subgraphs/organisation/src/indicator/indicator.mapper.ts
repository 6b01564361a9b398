import type { Frequency, Indicator, Polarity, Unit } from '@crossgov/schema';
import type { IndicatorRow } from '../db/schema.ts';

/** An indicator as resolvers pass it on: the GraphQL fields, and the organisation whose rows its fields load. */
export type IndicatorValue = Indicator & { organisationId: string };

export function toIndicator(row: IndicatorRow): IndicatorValue {
  return {
    organisationId: row.organisationId,
    id: row.id,
    code: row.code,
    name: row.name,
    definition: row.definition,
    unit: row.unit as Unit,
    polarity: row.polarity as Polarity,
    frequency: row.frequency as Frequency,
    tolerance: row.tolerance,
    minValue: row.minValue,
    maxValue: row.maxValue,
    agreementTolerance: row.agreementTolerance,
    leadOfficer: row.leadOfficer,
    dataOwner: row.dataOwner,
    reportCard: {
      whyItMatters: row.whyItMatters,
      background: row.background,
      whatSuccessLooksLike: row.whatSuccessLooksLike,
      actions: row.actions,
    },
    synthetic: row.synthetic,
    standard: row.standard,
  };
}
