import { spcChart } from '../charts/spc-chart.ts';
import { type Html, html, raw } from '../html.ts';
import { formatValue, page, ragTag, type Unreadable, unreadableList, words } from '../layout.ts';

export const ORGANISATION_QUERY = `query Organisation($id: ID!) {
  organisation(id: $id) {
    id name kind
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

export interface OrganisationPageData {
  organisation: { id: string; name: string; kind: string; indicators: Indicator[] | null; scorecard: Entry[] | null } | null;
}

const NOT_RECORDED = 'Not recorded';

const summary = (rows: [string, Html | string | null][]) =>
  html`<dl class="govuk-summary-list">${rows
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`)}</dl>`;

/** One indicator's report card: what it is for, who owns it, the SPC chart and the same figures as a table. */
function reportCard(organisation: string, indicator: Indicator, entry: Entry | undefined): Html {
  const id = `indicator-${indicator.code.replace(/[^a-zA-Z0-9-]/g, '-')}`;
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

export function renderOrganisation(data: OrganisationPageData): string {
  const organisation = data.organisation!;
  const indicators = organisation.indicators ?? [];
  const body = html`
    <span class="govuk-caption-xl">${words(organisation.kind)}</span>
    <h1 class="govuk-heading-xl">${organisation.name}</h1>
    ${organisation.indicators === null ? html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> ${organisation.name}'s own subgraph did not answer: its report cards are missing.</strong></div>` : ''}
    <nav aria-label="Indicators on this page"><ul class="govuk-list">${indicators.map((i) => html`<li><a class="govuk-link" href="#indicator-${i.code.replace(/[^a-zA-Z0-9-]/g, '-')}">${i.name}</a></li>`)}</ul></nav>
    ${indicators.map((indicator) => reportCard(organisation.name, indicator, organisation.scorecard?.find((e) => e.indicator === indicator.code)))}`;
  return page({ title: organisation.name, section: 'organisations', body, query: ORGANISATION_QUERY });
}
