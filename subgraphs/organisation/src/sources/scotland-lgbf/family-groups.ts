import type { SourceOrganisation } from '../source.ts';

// The LGBF's two family-group schemes. Councils are compared within a group of eight similar
// councils: for children's, social work and housing indicators the groups are formed by
// deprivation, for environmental, culture and leisure, economic development, corporate and
// property indicators by rurality and population density. `Family Groups.csv` lists each council's
// group (1-4) in each scheme; the Spatial Hub file's `FamilyGroup` column writes the group of the
// row's indicator's scheme, the end groups by name (`Rural`, `Urban`, `Least Deprived`, `Most
// Deprived`) and the middle ones by number (`2`, `3`).

export type Scheme = 'people' | 'place';

interface SchemeWords {
  /** How a peer group names the scheme: "LGBF family group: People services, 2". */
  name: string;
  /** How an indicator's definition names it: "compared within LGBF family groups for ...". */
  described: string;
  /** `Family Groups.csv`'s `Type` for the scheme. */
  type: RegExp;
  /** The names the Spatial Hub file writes for the end groups; the middle groups are written as numbers. */
  published: Record<number, string>;
}

export const SCHEMES: Readonly<Record<Scheme, SchemeWords>> = {
  people: {
    name: 'People services',
    described:
      'people services (children, social work and housing; councils grouped by deprivation)',
    type: /^Children, Social Work and Housing/i,
    published: { 1: 'Least Deprived', 4: 'Most Deprived' },
  },
  place: {
    name: 'Place and corporate services',
    described:
      'place and corporate services (environment, culture and leisure, economic development, corporate and property; councils grouped by rurality)',
    type: /^Environmental, Culture & Leisure, Economic Development, Corporate and Property/i,
    published: { 1: 'Rural', 4: 'Urban' },
  },
};

/** How the Spatial Hub file writes group `group` of a scheme: its name for the end groups, else its number. */
export const publishedGroup = (scheme: Scheme, group: number): string =>
  SCHEMES[scheme].published[group] ?? String(group);

/** A council's peer group in a scheme: "LGBF family group: People services, 4 (most deprived)". */
export function peerGroupLabel(scheme: Scheme, group: number): string {
  const name = SCHEMES[scheme].published[group];
  return `LGBF family group: ${SCHEMES[scheme].name}, ${group}${name ? ` (${name.toLowerCase()})` : ''}`;
}

/**
 * The scheme of each indicator as the Spatial Hub file applies it (its `FamilyGroup` column), by the
 * publisher's code. Indicator Information's `FamilyGrouping` says otherwise for 17 of them (CHN01,
 * CHN02 and SW02 by rurality; CORP04, CORP07, CORP09-12, ECON01, ECON07, ECON09, ECON12a/b, ENV03a,
 * ENV03c and ENV07b by deprivation): the published data decides, and read.test.ts checks this table
 * against every row.
 */
const CODES_BY_SCHEME: Readonly<Record<Scheme, readonly string[]>> = {
  people: [
    'CHN03',
    'CHN04',
    'CHN05',
    'CHN06',
    'CHN07',
    'CHN08a',
    'CHN08b',
    'CHN09',
    'CHN10',
    'CHN11',
    'CHN12a',
    'CHN12b',
    'CHN12c',
    'CHN12d',
    'CHN12e',
    'CHN12f',
    'CHN13a',
    'CHN13b',
    'CHN14a',
    'CHN14b',
    'CHN17',
    'CHN18',
    'CHN19a',
    'CHN19b',
    'CHN20a',
    'CHN20b',
    'CHN21',
    'CHN22',
    'CHN23',
    'CHN24',
    'CORP04',
    'CORP07',
    'CORP09',
    'CORP10',
    'CORP11',
    'CORP12',
    'ECON01',
    'ECON07',
    'ECON09',
    'ECON12a',
    'ECON12b',
    'ENV03a',
    'ENV03c',
    'ENV07b',
    'HSN01b',
    'HSN02',
    'HSN03',
    'HSN04b',
    'HSN05a',
    'SW01',
    'SW03a',
    'SW04b',
    'SW04c',
    'SW04d',
    'SW04e',
    'SW05',
    'SW06',
    'SW07',
    'SW08',
  ],
  place: [
    'C&L01',
    'C&L02',
    'C&L03',
    'C&L04',
    'C&L05a',
    'C&L05b',
    'C&L05c',
    'C&L05d',
    'CHN01',
    'CHN02',
    'CLIM01',
    'CLIM02',
    'CLIM03',
    'CLIM04',
    'CLIM05',
    'CORP-ASSET01',
    'CORP-ASSET02',
    'CORP01',
    'CORP03b',
    'CORP03c',
    'CORP06a',
    'CORP06b',
    'CORP08',
    'ECON02',
    'ECON03',
    'ECON04',
    'ECON05',
    'ECON06',
    'ECON08',
    'ECON10',
    'ECON11',
    'ENV01a',
    'ENV02a',
    'ENV04a',
    'ENV04b',
    'ENV04c',
    'ENV04d',
    'ENV04e',
    'ENV05',
    'ENV05a',
    'ENV05b',
    'ENV06',
    'ENV07a',
    'FINSUS01',
    'FINSUS02',
    'FINSUS03',
    'FINSUS04',
    'FINSUS05',
    'SW02',
  ],
};

const SCHEME_OF_CODE = new Map<string, Scheme>(
  Object.entries(CODES_BY_SCHEME).flatMap(([scheme, codes]) =>
    codes.map((code) => [code, scheme as Scheme]),
  ),
);

/** The publisher's code of a hub code: `CandL01-multi-year` is C&L01. */
export const publishedCode = (code: string): string =>
  code.replace(/-multi-year$/, '').replace(/^CandL/, 'C&L');

/** The family-group scheme an indicator is compared within (by the hub's or the publisher's code), or null for a code the LGBF does not have. */
export const schemeOf = (indicatorCode: string): Scheme | null =>
  SCHEME_OF_CODE.get(publishedCode(indicatorCode)) ?? null;

/**
 * The family group a council is compared within for an indicator: the one of its `peerGroups` in
 * the indicator's scheme ("LGBF family group: People services, 4 (most deprived)"), or null when
 * the indicator is not an LGBF one or the council has no group in that scheme. The dashboard uses it
 * to default the peer group of a league table.
 */
export function peerGroupFor(
  organisation: Pick<SourceOrganisation, 'peerGroups'>,
  indicatorCode: string,
): string | null {
  const scheme = schemeOf(indicatorCode);
  if (!scheme) return null;
  const prefix = `LGBF family group: ${SCHEMES[scheme].name}, `;
  return organisation.peerGroups?.find((group) => group.startsWith(prefix)) ?? null;
}
