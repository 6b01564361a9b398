// Central government departments as the published data sets name them, and the machinery-of-
// government changes that renamed, merged and split them, with the day each took effect. A
// department keeps its own identity for the years it existed: a 2015 project of DECC stays DECC's
// in 2015, and DECC's successor (BEIS from 14 July 2016) is said, not written over it.

/** One department: its code (the hub's organisation id is the code in lower case), its name, and when it existed. */
export interface DepartmentDefinition {
  code: string;
  name: string;
  /** First day, when it was created within the years the data sets cover. */
  from?: string;
  /** Last day, when it was closed or renamed. */
  to?: string;
  /** What it became, from the day after `to`: a rename has one successor, a split several. */
  successors?: string[];
}

export const DEPARTMENTS: readonly DepartmentDefinition[] = [
  { code: 'AGO', name: "Attorney General's Office" },
  {
    code: 'BEIS',
    name: 'Department for Business, Energy and Industrial Strategy',
    from: '2016-07-14',
    to: '2023-02-06',
    successors: ['DESNZ', 'DSIT', 'DBT'],
  },
  {
    code: 'BIS',
    name: 'Department for Business, Innovation and Skills',
    to: '2016-07-13',
    successors: ['BEIS'],
  },
  { code: 'CO', name: 'Cabinet Office' },
  { code: 'CPS', name: 'Crown Prosecution Service' },
  { code: 'DBT', name: 'Department for Business and Trade', from: '2023-02-07' },
  {
    code: 'DCLG',
    name: 'Department for Communities and Local Government',
    to: '2018-01-08',
    successors: ['MHCLG'],
  },
  { code: 'DCMS', name: 'Department for Culture, Media and Sport' },
  {
    code: 'DECC',
    name: 'Department of Energy and Climate Change',
    to: '2016-07-13',
    successors: ['BEIS'],
  },
  { code: 'DEFRA', name: 'Department for Environment, Food and Rural Affairs' },
  { code: 'DESNZ', name: 'Department for Energy Security and Net Zero', from: '2023-02-07' },
  { code: 'DFE', name: 'Department for Education' },
  {
    code: 'DFID',
    name: 'Department for International Development',
    to: '2020-09-01',
    successors: ['FCDO'],
  },
  { code: 'DFT', name: 'Department for Transport' },
  { code: 'DH', name: 'Department of Health', to: '2018-01-08', successors: ['DHSC'] },
  { code: 'DHSC', name: 'Department of Health and Social Care', from: '2018-01-09' },
  {
    code: 'DIT',
    name: 'Department for International Trade',
    from: '2016-07-14',
    to: '2023-02-06',
    successors: ['DBT'],
  },
  {
    code: 'DLUHC',
    name: 'Department for Levelling Up, Housing and Communities',
    from: '2021-09-19',
    to: '2024-07-07',
    successors: ['MHCLG'],
  },
  { code: 'DSIT', name: 'Department for Science, Innovation and Technology', from: '2023-02-07' },
  { code: 'DWP', name: 'Department for Work and Pensions' },
  { code: 'FCDO', name: 'Foreign, Commonwealth and Development Office', from: '2020-09-02' },
  { code: 'FCO', name: 'Foreign and Commonwealth Office', to: '2020-09-01', successors: ['FCDO'] },
  { code: 'HMLR', name: 'HM Land Registry' },
  { code: 'HMRC', name: 'HM Revenue and Customs' },
  { code: 'HMT', name: 'HM Treasury' },
  { code: 'HO', name: 'Home Office' },
  // MHCLG twice: DCLG's new name from January 2018 until it became DLUHC in September 2021, and DLUHC's new name from July 2024.
  {
    code: 'MHCLG',
    name: 'Ministry of Housing, Communities and Local Government',
    from: '2018-01-09',
  },
  { code: 'MOD', name: 'Ministry of Defence' },
  { code: 'MOJ', name: 'Ministry of Justice' },
  { code: 'NCA', name: 'National Crime Agency' },
  { code: 'NSANDI', name: 'National Savings and Investments' },
  { code: 'ONS', name: 'Office for National Statistics' },
  { code: 'VOA', name: 'Valuation Office Agency' },
];

const BY_CODE = new Map(DEPARTMENTS.map((d) => [d.code, d]));

/**
 * How the data sets write department codes, compared without case, spaces or punctuation, when that
 * differs from the code: `DoH` and `DOH` are DH, `NS&I` is NSANDI, `Home Office` is HO.
 */
const SPELLINGS: Record<string, string> = {
  DOH: 'DH',
  DEPARTMENTOFHEALTH: 'DH',
  NSI: 'NSANDI',
  NSANDI: 'NSANDI',
  HOMEOFFICE: 'HO',
  DFES: 'DFE',
};

const squeeze = (text: string) => text.toUpperCase().replace(/[^A-Z]/g, '');

/** The department a published code or spelling stands for, or null when it is none the hub knows. */
export function departmentByCode(written: string): DepartmentDefinition | null {
  const key = squeeze(written);
  return BY_CODE.get(SPELLINGS[key] ?? key) ?? null;
}

/** The hub's organisation id of a department: its code in lower case (`nsandi`, `dhsc`). */
export const departmentId = (department: Pick<DepartmentDefinition, 'code'>) =>
  department.code.toLowerCase();

/** The departments that a department became, with the day they took over (the day after it ended). */
export function successorsOf(department: DepartmentDefinition): { code: string; from: string }[] {
  if (!department.to || !department.successors) return [];
  const next = new Date(`${department.to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return department.successors.map((code) => ({ code, from: next.toISOString().slice(0, 10) }));
}
