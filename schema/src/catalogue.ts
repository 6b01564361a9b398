// The standard indicator catalogue: the definitions organisations report the same way so the hub
// can compare them. The directory serves it (`indicatorCatalogue`); a publisher adopts an entry by
// code when an organisation takes it up, so its definition is the same everywhere.

/** One catalogue entry. */
export interface StandardIndicatorDefinition {
  code: string;
  name: string;
  unit: 'COUNT' | 'PERCENT' | 'CURRENCY' | 'RATIO' | 'SCORE';
  polarity: 'BIGGER_IS_BETTER' | 'SMALLER_IS_BETTER' | 'CLOSEST_TO_TARGET';
  frequency: 'MONTHLY' | 'QUARTERLY' | 'ANNUAL';
  definition: string;
  numerator: string | null;
  denominator: string | null;
  family: string;
  comparableAcrossServices: boolean;
  source: string;
}

const GDS = 'GOV.UK Service Manual: Digital by Default Service Standard, the four mandatory KPIs';
const SHARED =
  'Shared Services Strategy for Government (2021): standard service KPIs and Net Promoter Score';

/** The standard indicators organisations report the same way, so the hub can compare them. */
export const STANDARD_INDICATORS: readonly StandardIndicatorDefinition[] = [
  {
    code: 'gds-cost-per-transaction',
    name: 'Cost per transaction',
    unit: 'CURRENCY',
    polarity: 'SMALLER_IS_BETTER',
    frequency: 'QUARTERLY',
    definition:
      'Total cost of providing the service divided by completed transactions, measured quarterly over the last 12 months.',
    numerator: 'total cost of providing the service over the last 12 months (GBP)',
    denominator: 'completed transactions over the last 12 months',
    family: 'GDS',
    comparableAcrossServices: false,
    source: GDS,
  },
  {
    code: 'gds-user-satisfaction',
    name: 'User satisfaction',
    unit: 'PERCENT',
    polarity: 'BIGGER_IS_BETTER',
    frequency: 'MONTHLY',
    definition: 'Percentage of users answering very satisfied or satisfied on a five-point scale.',
    numerator: 'respondents very satisfied or satisfied',
    denominator: 'respondents',
    family: 'GDS',
    comparableAcrossServices: true,
    source: GDS,
  },
  {
    code: 'gds-completion-rate',
    name: 'Completion rate',
    unit: 'PERCENT',
    polarity: 'BIGGER_IS_BETTER',
    frequency: 'MONTHLY',
    definition: 'Completed transactions as a percentage of started transactions; never above 100%.',
    numerator: 'completed transactions',
    denominator: 'started transactions',
    family: 'GDS',
    comparableAcrossServices: true,
    source: GDS,
  },
  {
    code: 'gds-digital-take-up',
    name: 'Digital take-up',
    unit: 'PERCENT',
    polarity: 'BIGGER_IS_BETTER',
    frequency: 'MONTHLY',
    definition:
      'Completed digital transactions as a percentage of all completed transactions, monthly.',
    numerator: 'completed digital transactions',
    denominator: 'all completed transactions',
    family: 'GDS',
    comparableAcrossServices: true,
    source: GDS,
  },
  {
    code: 'ss-net-promoter-score',
    name: 'Net Promoter Score',
    unit: 'SCORE',
    polarity: 'BIGGER_IS_BETTER',
    frequency: 'QUARTERLY',
    definition:
      'Percentage of promoters (9-10) minus percentage of detractors (0-6) among service-centre users; from -100 to 100.',
    numerator: null,
    denominator: null,
    family: 'SHARED_SERVICES',
    comparableAcrossServices: true,
    source: SHARED,
  },
  {
    code: 'ss-invoices-paid-5-days',
    name: 'Invoices paid within 5 days',
    unit: 'PERCENT',
    polarity: 'BIGGER_IS_BETTER',
    frequency: 'MONTHLY',
    definition: 'Undisputed invoices paid within 5 working days as a percentage of invoices paid.',
    numerator: 'invoices paid within 5 days',
    denominator: 'invoices paid',
    family: 'SHARED_SERVICES',
    comparableAcrossServices: true,
    source: SHARED,
  },
  {
    code: 'ss-payroll-accuracy',
    name: 'Payroll accuracy',
    unit: 'PERCENT',
    polarity: 'BIGGER_IS_BETTER',
    frequency: 'MONTHLY',
    definition: 'Payslips issued without error as a percentage of payslips issued.',
    numerator: 'payslips without error',
    denominator: 'payslips issued',
    family: 'SHARED_SERVICES',
    comparableAcrossServices: true,
    source: SHARED,
  },
  {
    code: 'ss-cost-per-employee',
    name: 'Back-office cost per employee',
    unit: 'CURRENCY',
    polarity: 'SMALLER_IS_BETTER',
    frequency: 'QUARTERLY',
    definition:
      'Annualised cost of finance, HR, payroll and procurement services divided by employees served.',
    numerator: 'annualised back-office cost (GBP)',
    denominator: 'employees served',
    family: 'SHARED_SERVICES',
    comparableAcrossServices: true,
    source: SHARED,
  },
];

/** The catalogue entry of a code, or undefined. */
export const standardIndicator = (code: string): StandardIndicatorDefinition | undefined =>
  STANDARD_INDICATORS.find((entry) => entry.code === code);
