import { spcChart } from '../charts/spc-chart.ts';
import { type Html, html, raw } from '../html.ts';
import { capitalised, counted, formatValue, kindName, longDate, page, ragTag, type Unreadable, unreadableList, words } from '../layout.ts';

export const ORGANISATION_QUERY = `query Organisation($id: ID!) {
  organisation(id: $id) {
    id name kind note peerGroups
    publisher { name own }
    predecessors { organisationId organisationName from }
    successors { organisationId organisationName from }
    programmes { id }
    returns { chased completeness { expected received late missing ratio rule } overdue { dataset period daysLate } }
    indicators { code name unit polarity definition leadOfficer dataOwner synthetic reportCard { whyItMatters whatSuccessLooksLike actions } }
    scorecard(periods: 24) {
      indicator name unit polarity
      latest { period value target rag { status rule } }
      sincePreviousPeriod { direction comparedWith }
      sinceYearEarlier { direction comparedWith }
      exceptions { description }
      spc { assurance warnings }
      series { period gap value target rag { status } spc { signal variation mean upperLimit lowerLimit } }
      unreadable { period serviceId department field value rule }
    }
  }
}`;

interface Point {
  period: string;
  gap: boolean;
  value: number | null;
  target: number | null;
  rag: { status: string } | null;
  spc: { signal: string; variation: string; mean: number | null; upperLimit: number | null; lowerLimit: number | null } | null;
}

interface Entry {
  indicator: string;
  name: string;
  unit: string;
  polarity: string;
  latest: { period: string; value: number | null; target: number | null; rag: { status: string; rule: string } | null } | null;
  sincePreviousPeriod: { direction: string; comparedWith: string } | null;
  sinceYearEarlier: { direction: string; comparedWith: string } | null;
  exceptions: { description: string }[];
  spc: { assurance: string | null; warnings: string[] };
  series: Point[];
  /** Absent from answers of a publisher that predates the value rules. */
  unreadable?: Unreadable[];
}

interface Indicator {
  code: string;
  name: string;
  unit: string;
  polarity: string;
  definition: string | null;
  leadOfficer: string | null;
  dataOwner: string | null;
  synthetic: boolean;
  reportCard: { whyItMatters: string | null; whatSuccessLooksLike: string | null; actions: string | null };
}

interface Succession {
  organisationId: string;
  organisationName: string;
  from: string;
}

export interface OrganisationPageData {
  organisation: {
    id: string;
    name: string;
    kind: string;
    /** The fields from here to `returns` are absent from answers to the query this page sent before it said who the organisation is. */
    note?: string | null;
    peerGroups?: string[];
    publisher?: { name: string; own: boolean };
    predecessors?: Succession[];
    successors?: Succession[];
    programmes?: { id: string }[] | null;
    returns?: { chased: boolean; completeness: { expected: number; received: number; late: number; missing: number; ratio: number | null; rule: string }; overdue: { dataset: string; period: string; daysLate: number | null }[] } | null;
    indicators: Indicator[] | null;
    scorecard: Entry[] | null;
  } | null;
}

/** Beyond this many indicators (a Scottish council's 108) the page lists them in a table and shows one report card at a time. */
export const CARDS_UP_TO = 12;
/** The overdue returns named on the page, most overdue first; the rest are counted. */
const OVERDUE_SHOWN = 10;

const NOT_RECORDED = 'Not recorded';

const summary = (rows: [string, Html | string | null][]) =>
  html`<dl class="govuk-summary-list">${rows
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`)}</dl>`;

const cardId = (code: string) => `indicator-${code.replace(/[^a-zA-Z0-9-]/g, '-')}`;

/** One indicator's report card: what it is for, who owns it, the SPC chart and the same figures as a table. */
function reportCard(organisation: string, indicator: Indicator, entry: Entry | undefined): Html {
  const id = cardId(indicator.code);
  const points = (entry?.series ?? []).map((p) => ({
    period: p.period,
    value: p.value,
    variation: (p.spc?.variation ?? null) as 'IMPROVEMENT' | 'CONCERN' | 'COMMON_CAUSE' | null,
    signal: p.spc?.signal ?? null,
    mean: p.spc?.mean ?? null,
    upperLimit: p.spc?.upperLimit ?? null,
    lowerLimit: p.spc?.lowerLimit ?? null,
  }));
  const target = entry?.latest?.target ?? null;
  const unreadable = entry?.unreadable ?? [];
  const unreadablePeriods = new Set(unreadable.filter((u) => u.field !== 'target').map((u) => u.period));
  return html`<section class="govuk-!-margin-bottom-9" aria-labelledby="${id}">
    <h2 class="govuk-heading-l" id="${id}">${indicator.name}${indicator.synthetic ? html` <strong class="govuk-tag govuk-tag--grey">Synthetic</strong>` : ''}</h2>
    ${summary([
      ['Latest', entry?.latest ? html`${ragTag(entry.latest.rag?.status)} ${formatValue(entry.latest.value, indicator.unit)} in ${entry.latest.period}${entry.latest.target !== null ? ` against a target of ${formatValue(entry.latest.target, indicator.unit)}` : ''}` : 'Not reported'],
      ['Direction of travel', entry?.sincePreviousPeriod ? `${words(entry.sincePreviousPeriod.direction)} since ${entry.sincePreviousPeriod.comparedWith}${entry.sinceYearEarlier ? `; ${words(entry.sinceYearEarlier.direction)} since ${entry.sinceYearEarlier.comparedWith}` : ''}` : null],
      ['Assurance', entry?.spc.assurance ? words(entry.spc.assurance) : null],
      ['Exceptions', entry && entry.exceptions.length > 0 ? entry.exceptions.map((e) => e.description).join(' ') : 'None'],
      // The report card's own fields always show, so a gap in it is visible rather than hidden.
      ['Why it matters', indicator.reportCard.whyItMatters ?? NOT_RECORDED],
      ['What success looks like', indicator.reportCard.whatSuccessLooksLike ?? NOT_RECORDED],
      ['Actions', indicator.reportCard.actions ?? NOT_RECORDED],
      ['Lead officer', indicator.leadOfficer ?? NOT_RECORDED],
      ['Data owner', indicator.dataOwner ?? NOT_RECORDED],
      ['Definition', indicator.definition],
    ])}
    ${unreadableList(unreadable.map((u) => ({ ...u, organisation, indicator: indicator.name })))}
    <div class="app-chart">${raw(spcChart({ id: `${id}-chart`, title: `${indicator.name}: statistical process control chart`, unit: indicator.unit as 'PERCENT', points, target }))}</div>
    <details class="govuk-details">
      <summary class="govuk-details__summary"><span class="govuk-details__summary-text">${indicator.name} as a table</span></summary>
      <div class="govuk-details__text">
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-table__caption--s">${indicator.name} by period, with target, RAG and SPC signal</caption>
          <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Period</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Value</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Target</th><th scope="col" class="govuk-table__header">RAG</th><th scope="col" class="govuk-table__header">SPC</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Limits</th></tr></thead>
          <tbody class="govuk-table__body">
            ${(entry?.series ?? []).map(
              (p) => html`<tr class="govuk-table__row">
                <th scope="row" class="govuk-table__header">${p.period}</th>
                <td class="govuk-table__cell govuk-table__cell--numeric">${p.gap ? (unreadablePeriods.has(p.period) ? 'Could not be read' : 'Not reported') : formatValue(p.value, indicator.unit)}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">${formatValue(p.target, indicator.unit)}</td>
                <td class="govuk-table__cell">${p.gap ? '' : ragTag(p.rag?.status)}</td>
                <td class="govuk-table__cell">${p.spc ? `${words(p.spc.variation)}${p.spc.variation === 'COMMON_CAUSE' ? '' : ` (${words(p.spc.signal)})`}` : ''}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">${p.spc && p.spc.lowerLimit !== null && p.spc.upperLimit !== null ? `${formatValue(p.spc.lowerLimit, indicator.unit)} to ${formatValue(p.spc.upperLimit, indicator.unit)}` : ''}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </details>
  </section>`;
}

/** Who it is: its publisher, the groups it is compared within, what it took over from or became, and what to know of its data. */
function about(o: NonNullable<OrganisationPageData['organisation']>): Html {
  const succession = (list: Succession[] | undefined) =>
    list && list.length > 0 ? html`${list.map((s, i) => html`${i > 0 ? ', ' : ''}<a class="govuk-link" href="/organisations/${encodeURIComponent(s.organisationId)}">${s.organisationName}</a> from ${longDate(s.from)}`)}` : null;
  const programmes = o.programmes?.length ?? 0;
  return summary([
    ['Published by', o.publisher ? (o.publisher.own ? 'Its own subgraph' : o.publisher.name) : null],
    ['Compared within', o.peerGroups && o.peerGroups.length > 0 ? html`<ul class="govuk-list">${o.peerGroups.map((g) => html`<li>${g}</li>`)}</ul>` : null],
    ['Took over from', succession(o.predecessors)],
    ['Became', succession(o.successors)],
    ['Programmes', programmes > 0 ? html`<a class="govuk-link" href="/strategy?organisation=${encodeURIComponent(o.id)}">${counted(programmes, 'programme')}: delivery confidence and milestones</a>` : null],
    ['About its data', o.note ? capitalised(o.note) : null],
  ]);
}

/** Its returns: received against expected over the last twelve months, and the most overdue named. */
function returns(o: NonNullable<OrganisationPageData['organisation']>): Html | string {
  const r = o.returns;
  if (!r) return '';
  const c = r.completeness;
  // A published data set's organisation owes no returns: say so, rather than "0 of 0 received".
  if (!r.chased) return html`<h2 class="govuk-heading-l" id="returns">Returns</h2><p class="govuk-body">${c.rule.charAt(0).toUpperCase()}${c.rule.slice(1)}.</p>`;
  const worst = [...r.overdue].sort((a, b) => (b.daysLate ?? 0) - (a.daysLate ?? 0)).slice(0, OVERDUE_SHOWN);
  return html`<h2 class="govuk-heading-l" id="returns">Returns</h2>
    <p class="govuk-body">${c.received} of ${c.expected} returns due in the last twelve months received${c.late ? `, ${c.late} late` : ''}; ${c.missing} missing${c.ratio === null ? '' : ` (${Math.round(c.ratio * 100)}% complete)`}. ${r.overdue.length === 0 ? 'None is overdue.' : `${counted(r.overdue.length, 'return')} overdue in all${r.overdue.length > worst.length ? `, the ${worst.length} most overdue named` : ''}:`}</p>
    ${worst.length > 0 ? html`<ul class="govuk-list govuk-list--bullet">${worst.map((l) => html`<li>${l.dataset.replace(/^indicator:/, 'indicator ')} ${l.period}${l.daysLate ? `, ${formatValue(l.daysLate, 'COUNT')} days overdue` : ''}</li>`)}</ul>` : ''}`;
}

/** Every indicator's latest figure in one table, each linking to its report card: for an organisation with too many for a page of cards. */
function indicatorTable(o: NonNullable<OrganisationPageData['organisation']>, indicators: Indicator[], chosen: string | null): Html {
  const base = `/organisations/${encodeURIComponent(o.id)}`;
  const entryOf = (code: string) => o.scorecard?.find((e) => e.indicator === code);
  // A column of "No target" says nothing: it is left out, and the caption says why, when no indicator has a target.
  const targets = indicators.some((i) => entryOf(i.code)?.latest?.rag);
  return html`<table class="govuk-table" id="indicators">
    <caption class="govuk-table__caption govuk-table__caption--m">${counted(indicators.length, 'indicator')}: latest figure${targets ? ', RAG' : ''}, direction and SPC; choose one for its report card${targets ? '' : html`<span class="govuk-caption-m">None has a target, so none is rated Red, Amber or Green.</span>`}</caption>
    <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Indicator</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Latest</th><th scope="col" class="govuk-table__header">Period</th>${targets ? html`<th scope="col" class="govuk-table__header">RAG</th>` : ''}<th scope="col" class="govuk-table__header">Direction of travel</th><th scope="col" class="govuk-table__header">SPC</th><th scope="col" class="govuk-table__header">Compare</th></tr></thead>
    <tbody class="govuk-table__body">${indicators.map((i) => {
      const entry = entryOf(i.code);
      const latest = entry?.latest;
      const spc = entry?.series.at(-1)?.spc;
      return html`<tr class="govuk-table__row">
        <th scope="row" class="govuk-table__header"><a class="govuk-link" href="${base}?indicator=${encodeURIComponent(i.code)}#${cardId(i.code)}"${i.code === chosen ? html` aria-current="true"` : ''}>${i.name}</a></th>
        <td class="govuk-table__cell govuk-table__cell--numeric">${latest ? formatValue(latest.value, i.unit) : 'Not reported'}</td>
        <td class="govuk-table__cell">${latest?.period ?? ''}</td>
        ${targets ? html`<td class="govuk-table__cell">${latest ? ragTag(latest.rag?.status) : ''}</td>` : ''}
        <td class="govuk-table__cell">${entry?.sincePreviousPeriod ? words(entry.sincePreviousPeriod.direction) : ''}</td>
        <td class="govuk-table__cell">${spc ? words(spc.variation) : ''}</td>
        <td class="govuk-table__cell"><a class="govuk-link" href="/compare?indicator=${encodeURIComponent(i.code)}">League<span class="govuk-visually-hidden"> of ${i.name}</span></a></td>
      </tr>`;
    })}</tbody>
  </table>`;
}

export function renderOrganisation(data: OrganisationPageData, chosen: string | null = null): string {
  const organisation = data.organisation!;
  const indicators = organisation.indicators ?? [];
  const many = indicators.length > CARDS_UP_TO;
  const card = (indicator: Indicator) => reportCard(organisation.name, indicator, organisation.scorecard?.find((e) => e.indicator === indicator.code));
  const picked = indicators.find((i) => i.code === chosen);
  const body = html`
    <span class="govuk-caption-xl">${capitalised(kindName(organisation.kind))}</span>
    <h1 class="govuk-heading-xl">${organisation.name}</h1>
    ${about(organisation)}
    ${organisation.indicators === null ? html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> ${organisation.name}'s own subgraph did not answer: its report cards are missing.</strong></div>` : ''}
    ${many
      ? html`${picked ? card(picked) : chosen ? html`<p class="govuk-body">${organisation.name} reports no indicator ${chosen}.</p>` : ''}${indicatorTable(organisation, indicators, chosen)}`
      : html`<nav aria-label="Indicators on this page"><ul class="govuk-list">${indicators.map((i) => html`<li><a class="govuk-link" href="#${cardId(i.code)}">${i.name}</a></li>`)}</ul></nav>
    ${indicators.map(card)}`}
    ${returns(organisation)}`;
  return page({ title: picked ? `${organisation.name}: ${picked.name}` : organisation.name, section: 'organisations', body, query: ORGANISATION_QUERY });
}
