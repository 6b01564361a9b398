import { type Html, html } from '../html.ts';
import { formatValue, page, ragTag, type Unreadable, unreadableList, words } from '../layout.ts';

export const OVERVIEW_QUERY = `query Overview {
  indicatorCatalogue { code name unit }
  organisations {
    id name kind
    scorecard(periods: 1) {
      indicator name unit
      latest { period value target rag { status rule } spc { signal variation } }
      sincePreviousPeriod { direction comparedWith }
      exceptions { rule description }
      unreadable { period serviceId department field value rule }
    }
    returns { completeness { expected received late missing ratio } overdue { dataset period daysLate } }
  }
}`;

interface Entry {
  indicator: string;
  name: string;
  unit: string;
  latest: { period: string; value: number | null; target: number | null; rag: { status: string; rule: string } | null; spc: { signal: string; variation: string } | null } | null;
  sincePreviousPeriod: { direction: string; comparedWith: string } | null;
  exceptions: { rule: string; description: string }[];
  /** Absent from answers of a publisher that predates the value rules. */
  unreadable?: Unreadable[];
}

export interface OverviewData {
  indicatorCatalogue: { code: string; name: string; unit: string }[];
  organisations: {
    id: string;
    name: string;
    kind: string;
    scorecard: Entry[] | null;
    returns: { completeness: { expected: number; received: number; late: number; missing: number; ratio: number | null }; overdue: { dataset: string; period: string; daysLate: number | null }[] } | null;
  }[];
}

/** The SPC signal of the latest point, in words, only when it is a special cause. */
function signal(entry: Entry): Html {
  const spc = entry.latest?.spc;
  if (!spc || spc.variation === 'COMMON_CAUSE') return html`<span class="app-signal govuk-body-s">SPC: common cause</span>`;
  return html`<span class="app-signal govuk-body-s"><strong>SPC: ${words(spc.variation)}</strong> (${words(spc.signal)})</span>`;
}

/** How many returns are overdue, naming the three most overdue; the rest are on the organisation's own page. */
function overdue(lines: { dataset: string; period: string; daysLate: number | null }[] | null): string {
  if (lines === null) return '–';
  if (lines.length === 0) return 'None';
  const worst = [...lines].sort((a, b) => (b.daysLate ?? 0) - (a.daysLate ?? 0)).slice(0, 3);
  const named = worst.map((r) => `${r.dataset.replace(/^indicator:/, 'indicator ')} ${r.period}${r.daysLate ? ` (${r.daysLate} days)` : ''}`).join('; ');
  return `${lines.length}: ${named}${lines.length > 3 ? `; and ${lines.length - 3} more` : ''}`;
}

function cell(entry: Entry | undefined): Html {
  if (!entry?.latest) return html`<td class="govuk-table__cell"><span class="govuk-body-s govuk-!-colour-secondary">Not reported</span></td>`;
  const { latest } = entry;
  return html`<td class="govuk-table__cell">
    ${ragTag(latest.rag?.status)}
    <span class="app-signal">${formatValue(latest.value, entry.unit)} <span class="govuk-body-s">(${latest.period})</span></span>
    ${entry.sincePreviousPeriod ? html`<span class="app-signal govuk-body-s">${words(entry.sincePreviousPeriod.direction)} since ${entry.sincePreviousPeriod.comparedWith}</span>` : ''}
    ${signal(entry)}
  </td>`;
}

/** Organisations by standard indicator (RAG in words and colour, direction, SPC), exceptions, returns. */
export function renderOverview(data: OverviewData): string {
  const organisations = data.organisations;
  const exceptions = organisations.flatMap((o) => (o.scorecard ?? []).flatMap((e) => e.exceptions.map((x) => ({ organisation: o, entry: e, exception: x }))));
  const missing = organisations.filter((o) => o.scorecard === null || o.returns === null);
  const unreadable = organisations.flatMap((o) => (o.scorecard ?? []).flatMap((e) => (e.unreadable ?? []).map((u) => ({ organisation: o.name, indicator: e.name, ...u }))));
  const body = html`
    <h1 class="govuk-heading-xl">Performance across government</h1>
    <p class="govuk-body-l">Every organisation judged by the same rules on the standard indicators: RAG against target, direction of travel and statistical signals.</p>
    ${missing.length > 0 ? html`<div class="govuk-warning-text" data-missing-organisations="${missing.map((o) => o.id).join(' ')}"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> No answer from ${missing.map((o) => o.name).join(', ')}: their figures are missing below.</strong></div>` : ''}
    ${unreadableList(unreadable, 'unreadable')}
    <h2 class="govuk-heading-l" id="matrix">Standard indicators</h2>
    <div class="app-matrix" role="region" aria-labelledby="matrix" tabindex="0">
      <table class="govuk-table">
        <caption class="govuk-table__caption govuk-table__caption--m">Latest figure of each standard indicator by organisation</caption>
        <thead class="govuk-table__head"><tr class="govuk-table__row">
          <th scope="col" class="govuk-table__header">Indicator</th>
          ${organisations.map((o) => html`<th scope="col" class="govuk-table__header"><a class="govuk-link" href="/organisations/${o.id}">${o.name}</a></th>`)}
        </tr></thead>
        <tbody class="govuk-table__body">
          ${data.indicatorCatalogue.map(
            (indicator) => html`<tr class="govuk-table__row">
              <th scope="row" class="govuk-table__header">${indicator.name}</th>
              ${organisations.map((o) => cell(o.scorecard?.find((e) => e.indicator === indicator.code)))}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>

    <h2 class="govuk-heading-l" id="exceptions">Exceptions</h2>
    ${exceptions.length === 0
      ? html`<p class="govuk-body">No indicator is an exception.</p>`
      : html`<table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">${exceptions.length} exceptions: latest Red, three deteriorations in a row, or three Ambers in a row</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Organisation</th><th scope="col" class="govuk-table__header">Indicator</th><th scope="col" class="govuk-table__header">Latest</th><th scope="col" class="govuk-table__header">Why</th></tr></thead>
      <tbody class="govuk-table__body">
        ${exceptions.map(
          ({ organisation, entry, exception }) => html`<tr class="govuk-table__row">
            <td class="govuk-table__cell"><a class="govuk-link" href="/organisations/${organisation.id}">${organisation.name}</a></td>
            <td class="govuk-table__cell">${entry.name}</td>
            <td class="govuk-table__cell">${ragTag(entry.latest?.rag?.status)} ${formatValue(entry.latest?.value, entry.unit)}</td>
            <td class="govuk-table__cell">${exception.description}</td>
          </tr>`,
        )}
      </tbody>
    </table>`}

    <h2 class="govuk-heading-l" id="returns">Completeness of returns</h2>
    <table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">Returns received against returns expected, by organisation</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row">
        <th scope="col" class="govuk-table__header">Organisation</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Expected</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Received</th>
        <th scope="col" class="govuk-table__header govuk-table__header--numeric">Late</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Missing</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Complete</th><th scope="col" class="govuk-table__header">Overdue now</th>
      </tr></thead>
      <tbody class="govuk-table__body">
        ${organisations.map((o) => {
          const c = o.returns?.completeness;
          return html`<tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header"><a class="govuk-link" href="/organisations/${o.id}">${o.name}</a></th>
            <td class="govuk-table__cell govuk-table__cell--numeric">${c?.expected ?? '–'}</td><td class="govuk-table__cell govuk-table__cell--numeric">${c?.received ?? '–'}</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">${c?.late ?? '–'}</td><td class="govuk-table__cell govuk-table__cell--numeric">${c?.missing ?? '–'}</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">${c?.ratio === null || c?.ratio === undefined ? '–' : `${Math.round(c.ratio * 100)}%`}</td>
            <td class="govuk-table__cell">${overdue(o.returns?.overdue ?? null)}</td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  return page({ title: 'Overview', section: 'overview', body, query: OVERVIEW_QUERY });
}
