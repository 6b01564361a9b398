// The sorts of body that report to the hub, written once. The registry validates `kind` against
// this enum, the GraphQL enum OrganisationKind is this enum (types/enums.ts registers it), an
// organisation's own entity type is named from it and the dashboard writes it in these words. No
// imports, so the registry can read it without loading GraphQL.

export enum OrganisationKind {
  CLUSTER = 'CLUSTER',
  DEPARTMENT = 'DEPARTMENT',
  LOCAL_AUTHORITY = 'LOCAL_AUTHORITY',
  NHS_TRUST = 'NHS_TRUST',
  SUPPORTING_PROGRAMME = 'SUPPORTING_PROGRAMME',
}

/** A kind as a registry document or a script writes it: `'NHS_TRUST'`. */
export type OrganisationKindName = `${OrganisationKind}`;

/** Every kind, in the order the GraphQL enum lists them. */
export const ORGANISATION_KINDS: readonly OrganisationKind[] = Object.values(OrganisationKind);

/** A kind in the words a reader uses, one and many (not derivable from the value: "NHS trust"). */
export const ORGANISATION_KIND_WORDS: Readonly<
  Record<OrganisationKind, { one: string; many: string }>
> = {
  [OrganisationKind.CLUSTER]: { one: 'cluster', many: 'clusters' },
  [OrganisationKind.DEPARTMENT]: { one: 'department', many: 'departments' },
  [OrganisationKind.LOCAL_AUTHORITY]: { one: 'local authority', many: 'local authorities' },
  [OrganisationKind.NHS_TRUST]: { one: 'NHS trust', many: 'NHS trusts' },
  [OrganisationKind.SUPPORTING_PROGRAMME]: {
    one: 'supporting programme',
    many: 'supporting programmes',
  },
};

/**
 * The last words of the entity type of an organisation that is its own publisher: its kind in
 * PascalCase (`NHS_TRUST` -> `NhsTrust`). Part of the public API's type names, so it never changes
 * for an existing kind.
 */
export const kindTypeSuffix = (kind: OrganisationKindName): string =>
  kind
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join('');
