import { registerEnumType } from 'type-graphql';

export enum OrganisationKind {
  CLUSTER = 'CLUSTER',
  DEPARTMENT = 'DEPARTMENT',
  LOCAL_AUTHORITY = 'LOCAL_AUTHORITY',
  SUPPORTING_PROGRAMME = 'SUPPORTING_PROGRAMME',
}

export enum Unit {
  COUNT = 'COUNT',
  PERCENT = 'PERCENT',
  CURRENCY = 'CURRENCY',
  RATIO = 'RATIO',
  SCORE = 'SCORE',
}

export enum Polarity {
  BIGGER_IS_BETTER = 'BIGGER_IS_BETTER',
  SMALLER_IS_BETTER = 'SMALLER_IS_BETTER',
}

export enum Frequency {
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
  ANNUAL = 'ANNUAL',
}

export enum PeriodType {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  FINANCIAL_QUARTER = 'FINANCIAL_QUARTER',
  YEAR = 'YEAR',
  FINANCIAL_YEAR = 'FINANCIAL_YEAR',
}

export enum DatePrecision {
  DAY = 'DAY',
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
}

export enum ServicePhase {
  DISCOVERY = 'DISCOVERY',
  ALPHA = 'ALPHA',
  BETA = 'BETA',
  LIVE = 'LIVE',
  RETIRED = 'RETIRED',
}

registerEnumType(OrganisationKind, { name: 'OrganisationKind', description: 'What sort of body reports: a shared services cluster, a department, a local authority or a supporting programme.' });
registerEnumType(Unit, { name: 'Unit', description: 'What an indicator counts. PERCENT values are 0-100.' });
registerEnumType(Polarity, { name: 'Polarity', description: 'Which direction is better for an indicator.' });
registerEnumType(Frequency, { name: 'Frequency', description: 'How often an indicator is measured.' });
registerEnumType(PeriodType, { name: 'PeriodType', description: 'Calendar month, calendar quarter, April-March financial quarter, calendar year or April-March financial year.' });
registerEnumType(DatePrecision, { name: 'DatePrecision', description: 'How precisely a date is known: published plans often give only a month, a quarter or a year.' });
registerEnumType(ServicePhase, { name: 'ServicePhase', description: 'Service Standard delivery phase.' });
