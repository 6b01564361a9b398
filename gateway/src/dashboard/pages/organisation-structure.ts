import { type Html, html } from '../html.ts';
import { capitalised, counted, longDate, words } from '../layout.ts';
import { confidenceTag } from './strategy.ts';

// Who an organisation is made of and what it runs, for its page (pages/organisation.ts): a cluster's
// member departments and programmes, a department's clusters and services. A reader who finds a
// cluster behind goes from here to the department or programme that can act.

/** The fields of ORGANISATION_QUERY these sections read. */
export const STRUCTURE_FIELDS = `lead { code name organisationId memberships { organisationId organisationName from to } }
    members { departmentCode from to department { name organisationId } }
    services { id name department phase link }
    programmes { id name latestConfidence { latest { rating assessor assessedOn { label } } } milestones { status } }`;

export interface Membership {
  organisationId: string;
  organisationName: string;
  from: string;
  to: string | null;
}

export interface Structure {
  id: string;
  name: string;
  kind: string;
  /** The fields from here on are absent from answers to the query this page sent before it said what an organisation is made of. */
  lead?: {
    code: string;
    name: string;
    organisationId: string | null;
    memberships: Membership[];
  } | null;
  members?: {
    departmentCode: string;
    from: string;
    to: string | null;
    department: { name: string; organisationId: string | null };
  }[];
  services?:
    | { id: string; name: string; department: string | null; phase: string; link: string | null }[]
    | null;
  programmes?:
    | {
        id: string;
        name?: string;
        latestConfidence?: {
          latest: { rating: string; assessor: string; assessedOn: { label: string } };
        } | null;
        milestones?: { status: string }[];
      }[]
    | null;
}

const organisationLink = (id: string | null, name: string) =>
  id
    ? html`<a class="govuk-link" href="/organisations/${encodeURIComponent(id)}">${name}</a>`
    : html`${name}`;

/** "from 1 March 2021", or "from 1 March 2021 to 6 February 2023" for a membership that ended. */
const span = (from: string, to: string | null) =>
  `from ${longDate(from)}${to ? ` to ${longDate(to)}` : ''}`;

/** The lead department, linked to its own page where it reports as a department. */
export function leadOf(o: Structure): Html | null {
  if (!o.lead || o.kind === 'DEPARTMENT') return null;
  return html`${organisationLink(o.lead.organisationId, o.lead.name)} (${o.lead.code})`;
}

/**
 * The clusters a department belongs to, linked, each with its dates; ended memberships after the
 * current ones, since machinery-of-government changes move departments between clusters.
 */
export function clustersOf(o: Structure): Html | null {
  if (o.kind !== 'DEPARTMENT' || !o.lead || o.lead.memberships.length === 0) return null;
  const ordered = [...o.lead.memberships].sort(
    (a, b) => Number(a.to !== null) - Number(b.to !== null) || b.from.localeCompare(a.from),
  );
  return html`<ul class="govuk-list">${ordered.map((m) => html`<li>${organisationLink(m.organisationId, m.organisationName)} ${span(m.from, m.to)}</li>`)}</ul>`;
}

/** A cluster's member departments today (the directory's `members`, as of today), its lead first. */
export function members(o: Structure): Html | string {
  if (o.kind !== 'CLUSTER' || !o.members) return '';
  const lead = o.lead?.code;
  const list = [...o.members].sort(
    (a, b) =>
      Number(b.departmentCode === lead) - Number(a.departmentCode === lead) ||
      a.department.name.localeCompare(b.department.name),
  );
  return html`<h2 class="govuk-heading-l" id="members">Member departments</h2>
    ${
      list.length === 0
        ? html`<p class="govuk-body">${o.name} has no member departments today.</p>`
        : html`<div class="app-scroll" role="region" aria-label="Member departments" tabindex="0"><table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--s">${counted(list.length, 'department')} ${list.length === 1 ? 'is a member' : 'are members'} of ${o.name} today</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Department</th><th scope="col" class="govuk-table__header">Member</th></tr></thead>
      <tbody class="govuk-table__body">${list.map(
        (m) =>
          html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${organisationLink(m.department.organisationId, m.department.name)} (${m.departmentCode})${m.departmentCode === lead ? html` <strong class="govuk-tag govuk-tag--blue">Lead</strong>` : ''}</th><td class="govuk-table__cell">${span(m.from, m.to)}</td></tr>`,
      )}</tbody>
    </table></div>`
    }`;
}

/** "3 milestones: 2 done, 1 late" in one cell, so the table fits a phone's width. */
export function milestoneCounts(milestones: readonly { status: string }[]): string {
  const count = (status: string) => milestones.filter((m) => m.status === status).length;
  return milestones.length === 0
    ? 'None'
    : `${counted(milestones.length, 'milestone')}: ${count('COMPLETE')} done, ${count('LATE')} late`;
}

/** Its programmes: delivery confidence, and how many milestones are done and late, each linking to its timeline on the Strategy page. */
export function programmes(o: Structure): Html | string {
  const list = o.programmes ?? [];
  if (list.length === 0) return '';
  const strategy = `/strategy?organisation=${encodeURIComponent(o.id)}`;
  return html`<h2 class="govuk-heading-l" id="programmes">Programmes</h2>
    <div class="app-scroll" role="region" aria-label="Programmes" tabindex="0"><table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--s">${counted(list.length, 'programme')}: delivery confidence and milestones; each links to its timeline</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Programme</th><th scope="col" class="govuk-table__header">Delivery confidence</th><th scope="col" class="govuk-table__header">Milestones</th></tr></thead>
      <tbody class="govuk-table__body">${list.map((p) => {
        const latest = p.latestConfidence?.latest;
        return html`<tr class="govuk-table__row">
          <th scope="row" class="govuk-table__header"><a class="govuk-link" href="${strategy}#programme-${p.id.replace(/[^a-zA-Z0-9-]/g, '-')}">${p.name ?? p.id}</a></th>
          <td class="govuk-table__cell">${latest ? html`${confidenceTag(latest.rating)} <span class="govuk-body-s">${latest.assessor}, ${latest.assessedOn.label}</span>` : 'Not assessed'}</td>
          <td class="govuk-table__cell">${milestoneCounts(p.milestones ?? [])}</td>
        </tr>`;
      })}</tbody>
    </table></div>`;
}

/** Only a web address is a link: a publisher's `javascript:` link would run on the reader's page. */
const WEB = /^https?:\/\//i;

/** The services it runs, with their phase and where users find them. */
export function services(o: Structure): Html | string {
  const list = o.services ?? [];
  if (list.length === 0) return '';
  // A council's services name no department: an empty column says nothing.
  const departments = list.some((s) => s.department);
  return html`<h2 class="govuk-heading-l" id="services">Services</h2>
    <div class="app-scroll" role="region" aria-label="Services" tabindex="0"><table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--s">${counted(list.length, 'service')} ${o.name} runs</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Service</th><th scope="col" class="govuk-table__header">Phase</th>${departments ? html`<th scope="col" class="govuk-table__header">Department</th>` : ''}</tr></thead>
      <tbody class="govuk-table__body">${list.map(
        (s) =>
          html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${s.link && WEB.test(s.link) ? html`<a class="govuk-link" href="${s.link}">${s.name}</a>` : s.name}</th><td class="govuk-table__cell">${capitalised(words(s.phase))}</td>${departments ? html`<td class="govuk-table__cell">${s.department ?? ''}</td>` : ''}</tr>`,
      )}</tbody>
    </table></div>`;
}
