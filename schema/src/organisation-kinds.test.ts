import { describe, expect, it } from 'vitest';
import {
  ORGANISATION_KINDS,
  ORGANISATION_KIND_WORDS,
  OrganisationKind,
  kindTypeSuffix,
} from './organisation-kinds.ts';

describe('organisation kinds', () => {
  it('lists every kind once, in the order the GraphQL enum declares them', () => {
    expect(ORGANISATION_KINDS).toEqual([
      'CLUSTER',
      'DEPARTMENT',
      'LOCAL_AUTHORITY',
      'NHS_TRUST',
      'SUPPORTING_PROGRAMME',
    ]);
  });

  it.each([
    [OrganisationKind.CLUSTER, 'Cluster'],
    [OrganisationKind.DEPARTMENT, 'Department'],
    [OrganisationKind.LOCAL_AUTHORITY, 'LocalAuthority'],
    [OrganisationKind.NHS_TRUST, 'NhsTrust'],
    [OrganisationKind.SUPPORTING_PROGRAMME, 'SupportingProgramme'],
  ])('ends the entity type of a %s with %s', (kind, suffix) => {
    expect(kindTypeSuffix(kind)).toBe(suffix);
  });

  it('writes NHS trusts with the capitals a reader expects', () => {
    expect(ORGANISATION_KIND_WORDS.NHS_TRUST).toEqual({ one: 'NHS trust', many: 'NHS trusts' });
    expect(ORGANISATION_KIND_WORDS.LOCAL_AUTHORITY).toEqual({
      one: 'local authority',
      many: 'local authorities',
    });
  });

  it('has words for every kind, one and many', () => {
    expect(Object.keys(ORGANISATION_KIND_WORDS)).toEqual([...ORGANISATION_KINDS]);
    for (const kind of ORGANISATION_KINDS)
      expect(ORGANISATION_KIND_WORDS[kind].many).not.toBe(ORGANISATION_KIND_WORDS[kind].one);
  });
});
