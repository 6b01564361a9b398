import type { OrganisationKind } from '@crossgov/schema';
import type { MembershipRow, OrganisationRow, PublisherRow } from '../db/schema.ts';
import type { Membership, Publisher } from './organisation.type.ts';

/** What an organisation resolver returns: the row plus `__typename`, which picks its own entity type. */
export interface OrganisationValue {
  __typename: string;
  id: string;
  name: string;
  kind: OrganisationKind;
  leadCode: string | null;
  publisherId: string;
  peerGroups: string[];
  successorRefs: { id: string; from: string }[];
  note: string | null;
}

export function toOrganisation(row: OrganisationRow): OrganisationValue {
  return {
    __typename: row.typeName,
    id: row.id,
    name: row.name,
    kind: row.kind as OrganisationKind,
    leadCode: row.lead,
    publisherId: row.publisherId ?? row.id,
    peerGroups: row.peerGroups,
    successorRefs: row.successors,
    note: row.note,
  };
}

export function toPublisher(row: PublisherRow): Publisher {
  return { id: row.id, name: row.name, typeName: row.typeName, own: row.own !== null };
}

export function toMembership(row: MembershipRow): Membership {
  return {
    organisationId: row.organisationId,
    departmentCode: row.departmentCode,
    from: row.fromDate,
    to: row.toDate,
  };
}

/** A membership is in force on `date` when it started on or before it and has not ended before it. */
export function inForce(row: MembershipRow, date: string): boolean {
  return row.fromDate <= date && (row.toDate === null || row.toDate >= date);
}
