import { spcChart } from '../charts/spc-chart.ts';
import { type Html, html, raw } from '../html.ts';
import {
  capitalised,
  counted,
  formatValue,
  kindName,
  longDate,
  page,
  figureMarks,
  ragTag,
  travelled,
  type Unreadable,
  unreadableList,
  words,
} from '../layout.ts';
import {
  STRUCTURE_FIELDS,
  type Structure,
  clustersOf,
  leadOf,
  members,
  programmes,
  services,
} from './organisation-structure.ts';

export const ORGANISATION_QUERY = `query Organisation($id: ID!) {
  organisation(id: $id) {
    id name kind note peerGroups
    publisher { name own }
    predecessors { organisationId organisationName from }
    successors { organisationId organisationName from }
    ${STRUCTURE_FIELDS}
    returns { chased completeness { expected received late outstanding missing ratio from to olderMissing rule } overdue { dataset period daysLate } outstanding { dataset period daysLate } }
    indicators { code name unit polarity definition leadOfficer dataOwner synthetic reportCard { whyItMatters background whatSuccessLooksLike actions } }
    scorecard(periods: 24) {
      indicator name unit polarity
      latest { period value target rag { status rule } }
      staleness { stale rule }
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
  spc: {
    signal: string;
    variation: string;
    mean: number | null;
    upperLimit: number | null;
    lowerLimit: number | null;
  } | null;
}

interface Entry {
  indicator: string;
  name: string;
  unit: string;
  polarity: string;
  latest: {
    period: string;
    value: number | null;
    target: number | null;
    rag: { status: string; rule: string } | null;
  } | null;
  /** Absent from answers of a publisher that predates it. */
  staleness?: { stale: boolean; rule: string } | null;
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
  /** `background` is absent from answers of a publisher that predates it. */
  reportCard: {
    whyItMatters: string | null;
    background?: string | null;
    whatSuccessLooksLike: string | null;
    actions: string | null;
  };
}

interface Succession {
  organisationId: string;
  organisationName: string;
  from: string;
}

export interface OrganisationPageData {
  organisation:
    | (Structure & {
        /** The fields from here to `returns` are absent from answers to the query this page sent before it said who the organisation is. */
        note?: string | null;
        peerGroups?: string[];
        publisher?: { name: string; own: boolean };
        predecessors?: Succession[];
        successors?: Succession[];
        returns?: {
          chased: boolean;
          completeness: {
            expected: number;
            received: number;
            late: number;
            outstanding: number;
            missing: number;
            ratio: number | null;
            from: string;
            to: string;
            olderMissing: number;
            rule: string;
          };
          overdue: ReturnLine[];
          outstanding: ReturnLine[];
        } | null;
        indicators: Indicator[] | null;
        scorecard: Entry[] | null;
      })
    | null;
}

/** Beyond this many indicators (a Scottish council's 108) the page lists them in a table and shows one report card at a time. */
export const CARDS_UP_TO = 12;
/** The missing returns named on the page, most overdue first; the rest are counted. */
const OVERDUE_SHOWN = 10;

type ReturnLine = { dataset: string; period: string; daysLate: number | null };

/**
 * Report-card text as its owner wrote it (the ReportCard type's rule): a line is a paragraph, and
 * lines starting '- ' are the bullets of one list.
 */
export function cardText(text: string): Html {
  const blocks: (string | string[])[] = [];
  for (const line of text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const bullet = /^- +(.*)$/.exec(line)?.[1];
    const last = blocks.at(-1);
    if (bullet === undefined) blocks.push(line);
    else if (Array.isArray(last)) last.push(bullet);
    else blocks.push([bullet]);
  }
  return html`${blocks.map((b) => (Array.isArray(b) ? html`<ul class="govuk-list govuk-list--bullet">${b.map((item) => html`<li>${item}</li>`)}</ul>` : html`<p class="govuk-body">${b}</p>`))}`;
}

/** The report card's published fields, in the order a council's card gives them. */
const CARD_FIELDS: [label: string, text: (i: Indicator) => string | null | undefined][] = [
  ['Why it matters', (i) => i.reportCard.whyItMatters],
  ['Background to current performance', (i) => i.reportCard.background],
  ['What success looks like', (i) => i.reportCard.whatSuccessLooksLike],
  ['Actions', (i) => i.reportCard.actions],
  ['Lead officer', (i) => i.leadOfficer],
  ['Data owner', (i) => i.dataOwner],
];

/** Only the fields the owner wrote: a card without text says so once, rather than a row of "Not recorded" for each field. */
function cardRows(indicator: Indicator): [string, Html | string | null][] {
  const rows = CARD_FIELDS.flatMap(([label, text]): [string, Html][] => {
    const value = text(indicator)?.trim();
    return value ? [[label, cardText(value)]] : [];
  });
  return rows.length > 0
    ? rows
    : [['Report card', 'No report-card text has been published for this indicator.']];
}

/**
 * Both comparisons of the direction of travel, each named with the period it compares with:
 * "Since previous period (2026-08): improving; year on year (2025-09): worsening".
 */
export function directionOfTravel(
  entry: Pick<Entry, 'sincePreviousPeriod' | 'sinceYearEarlier'>,
): string | null {
  const parts = [
    entry.sincePreviousPeriod && travelled('previous', entry.sincePreviousPeriod),
    entry.sinceYearEarlier && travelled('year', entry.sinceYearEarlier),
  ].filter((p): p is string => !!p);
  // One sentence: its first comparison opens it, the second follows a semicolon.
  return parts.length > 0
    ? capitalised(parts.map((p) => p.replace(/^./, (c) => c.toLowerCase())).join('; '))
    : null;
}

const summary = (rows: [string, Html | string | null][]) =>
  html`<dl class="govuk-summary-list">${rows
    .filter(([, value]) => value !== null && value !== '')
    .map(
      ([key, value]) =>
        html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`,
    )}</dl>`;

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
  const unreadablePeriods = new Set(
    unreadable.filter((u) => u.field !== 'target').map((u) => u.period),
  );
  // The section is named by the indicator alone; its marks follow the name in the heading.
  return html`<section class="govuk-!-margin-bottom-9" aria-labelledby="${id}-name">
    <h2 class="govuk-heading-l" id="${id}"><span id="${id}-name">${indicator.name}</span>${figureMarks({ synthetic: indicator.synthetic, stale: entry?.staleness?.stale })}</h2>
    ${summary([
      [
        'Latest',
        entry?.latest
          ? html`${ragTag(entry.latest.rag?.status)} ${formatValue(entry.latest.value, indicator.unit)} in ${entry.latest.period}${entry.latest.target !== null ? ` against a target of ${formatValue(entry.latest.target, indicator.unit)}` : ''}`
          : 'Not reported',
      ],
      // Why the Stale mark by the heading: the rule names the period awaited and when it was due.
      [
        'Up to date',
        entry?.staleness?.stale ? `No: ${entry.staleness.rule.replace(/^stale:\s*/, '')}` : null,
      ],
      ['Direction of travel', entry ? directionOfTravel(entry) : null],
      ['Assurance', entry?.spc.assurance ? words(entry.spc.assurance) : null],
      [
        'Exceptions',
        entry && entry.exceptions.length > 0
          ? entry.exceptions.map((e) => e.description).join(' ')
          : 'None',
      ],
      ['Definition', indicator.definition],
      ...cardRows(indicator),
    ])}
    ${unreadableList(unreadable.map((u) => ({ ...u, organisation, indicator: indicator.name })))}
    <div class="app-chart">${raw(spcChart({ id: `${id}-chart`, title: `${indicator.name}: statistical process control chart`, unit: indicator.unit as 'PERCENT', points, target }))}</div>
    <details class="govuk-details">
      <summary class="govuk-details__summary"><span class="govuk-details__summary-text">${indicator.name} as a table</span></summary>
      <div class="govuk-details__text">
        <div class="app-scroll" role="region" aria-label="${indicator.name} by period" tabindex="0"><table class="govuk-table">
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
        </table></div>
      </div>
    </details>
  </section>`;
}

/** Who it is: its publisher, its lead or its clusters, the groups it is compared within, what it took over from or became, and what to know of its data. */
function about(o: NonNullable<OrganisationPageData['organisation']>): Html {
  const succession = (list: Succession[] | undefined) =>
    list && list.length > 0
      ? html`${list.map((s, i) => html`${i > 0 ? ', ' : ''}<a class="govuk-link" href="/organisations/${encodeURIComponent(s.organisationId)}">${s.organisationName}</a> from ${longDate(s.from)}`)}`
      : null;
  return summary([
    [
      'Published by',
      o.publisher ? (o.publisher.own ? 'Its own subgraph' : o.publisher.name) : null,
    ],
    ['Lead department', leadOf(o)],
    ['Member of', clustersOf(o)],
    [
      'Compared within',
      o.peerGroups && o.peerGroups.length > 0
        ? html`<ul class="govuk-list">${o.peerGroups.map((g) => html`<li>${g}</li>`)}</ul>`
        : null,
    ],
    ['Took over from', succession(o.predecessors)],
    ['Became', succession(o.successors)],
    ['About its data', o.note ? capitalised(o.note) : null],
  ]);
}

/** A return not received, in words: "indicator gds-completion-rate 2026-10, 1 day late". */
const returnLine = (l: ReturnLine, late: string) =>
  html`<li>${l.dataset.replace(/^indicator:/, 'indicator ')} ${l.period}${l.daysLate ? `, ${counted(l.daysLate, 'day')} ${late}` : ''}</li>`;

/** Its returns over one window of due dates: the same figures as the overview's, then those not yet received from the same window. */
function returns(o: NonNullable<OrganisationPageData['organisation']>): Html | string {
  const r = o.returns;
  if (!r) return '';
  const c = r.completeness;
  // A published data set's organisation owes no returns: say so, rather than "0 of 0 received".
  if (!r.chased)
    return html`<h2 class="govuk-heading-l" id="returns">Returns</h2><p class="govuk-body">${c.rule.charAt(0).toUpperCase()}${c.rule.slice(1)}.</p>`;
  const worst = r.overdue.slice(0, OVERDUE_SHOWN);
  const count = (n: number) =>
    html`<td class="govuk-table__cell govuk-table__cell--numeric">${formatValue(n, 'COUNT')}</td>`;
  const header = (text: string) =>
    html`<th scope="col" class="govuk-table__header govuk-table__header--numeric">${text}</th>`;
  return html`<h2 class="govuk-heading-l" id="returns">Returns</h2>
    <p class="govuk-body">Returns due from ${longDate(c.from)} to ${longDate(c.to)} (the last 365 days). A return is due at its period's end plus 30 days (monthly), 45 (quarterly) or 90 (annual). Not received by then, it is late for as many days again, then missing. The quarterly milestone return is owed only while one of its programmes has a milestone not yet done.</p>
    <div class="app-scroll" role="region" aria-label="Returns received against returns expected" tabindex="0"><table class="govuk-table" id="completeness">
      <caption class="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Returns received against returns expected</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row">${header('Expected')}${header('Received')}${header('of which late')}${header('Late, not yet received')}${header('Missing')}${header('Complete')}</tr></thead>
      <tbody class="govuk-table__body"><tr class="govuk-table__row">${count(c.expected)}${count(c.received)}${count(c.late)}${count(c.outstanding)}${count(c.missing)}<td class="govuk-table__cell govuk-table__cell--numeric">${c.ratio === null ? '–' : `${Math.round(c.ratio * 100)}%`}</td></tr></tbody>
    </table></div>
    ${
      r.outstanding.length > 0
        ? html`<h3 class="govuk-heading-s">Late, not yet received: ${formatValue(r.outstanding.length, 'COUNT')}</h3><ul class="govuk-list govuk-list--bullet">${r.outstanding.map((l) => returnLine(l, 'late'))}</ul>`
        : ''
    }
    ${
      r.overdue.length > 0
        ? html`<h3 class="govuk-heading-s">Missing: ${formatValue(r.overdue.length, 'COUNT')}${r.overdue.length > worst.length ? `, the ${worst.length} most overdue named` : ''}</h3><ul class="govuk-list govuk-list--bullet">${worst.map((l) => returnLine(l, 'overdue'))}</ul>`
        : ''
    }
    ${r.outstanding.length + r.overdue.length === 0 ? html`<p class="govuk-body">${c.expected === 0 ? 'No return was due in this window.' : 'Every return due in this window has been received.'}</p>` : ''}
    ${c.olderMissing > 0 ? html`<p class="govuk-body">Before the window, ${counted(c.olderMissing, 'return')} due before ${longDate(c.from)} ${c.olderMissing === 1 ? 'was' : 'were'} never received; ${c.olderMissing === 1 ? 'it is' : 'they are'} in none of the figures above.</p>` : ''}`;
}

/** Every indicator's latest figure in one table, each linking to its report card: for an organisation with too many for a page of cards. */
function indicatorTable(
  o: NonNullable<OrganisationPageData['organisation']>,
  indicators: Indicator[],
  chosen: string | null,
): Html {
  const base = `/organisations/${encodeURIComponent(o.id)}`;
  const entryOf = (code: string) => o.scorecard?.find((e) => e.indicator === code);
  // A column of "No target" says nothing: it is left out, and the caption says why, when no indicator has a target.
  const targets = indicators.some((i) => entryOf(i.code)?.latest?.rag);
  return html`<div class="app-scroll" role="region" aria-label="Indicators" tabindex="0"><table class="govuk-table" id="indicators">
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
        <td class="govuk-table__cell">${entry?.sincePreviousPeriod ? `${words(entry.sincePreviousPeriod.direction)} since ${entry.sincePreviousPeriod.comparedWith}` : ''}</td>
        <td class="govuk-table__cell">${spc ? words(spc.variation) : ''}</td>
        <td class="govuk-table__cell"><a class="govuk-link" href="/compare?indicator=${encodeURIComponent(i.code)}">League<span class="govuk-visually-hidden"> of ${i.name}</span></a></td>
      </tr>`;
    })}</tbody>
  </table></div>`;
}

export function renderOrganisation(
  data: OrganisationPageData,
  chosen: string | null = null,
): string {
  const organisation = data.organisation!;
  const indicators = organisation.indicators ?? [];
  const many = indicators.length > CARDS_UP_TO;
  const card = (indicator: Indicator) =>
    reportCard(
      organisation.name,
      indicator,
      organisation.scorecard?.find((e) => e.indicator === indicator.code),
    );
  const picked = indicators.find((i) => i.code === chosen);
  const body = html`
    <span class="govuk-caption-xl">${capitalised(kindName(organisation.kind))}</span>
    <h1 class="govuk-heading-xl">${organisation.name}</h1>
    ${about(organisation)}
    ${members(organisation)}
    ${programmes(organisation)}
    ${services(organisation)}
    ${organisation.indicators === null ? html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> ${organisation.name}'s own subgraph did not answer: its report cards are missing.</strong></div>` : ''}
    ${
      many
        ? html`${picked ? card(picked) : chosen ? html`<p class="govuk-body">${organisation.name} reports no indicator ${chosen}.</p>` : ''}${indicatorTable(organisation, indicators, chosen)}`
        : html`<nav aria-label="Indicators on this page"><ul class="govuk-list">${indicators.map((i) => html`<li><a class="govuk-link" href="#${cardId(i.code)}">${i.name}</a></li>`)}</ul></nav>
    ${indicators.map(card)}`
    }
    ${returns(organisation)}`;
  return page({
    title: picked ? `${organisation.name}: ${picked.name}` : organisation.name,
    section: 'organisations',
    body,
    query: ORGANISATION_QUERY,
  });
}
