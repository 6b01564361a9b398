import { funnelPlot } from '../charts/funnel-plot.ts';
import { html, raw } from '../html.ts';
import { formatValue, page, ragTag, words } from '../layout.ts';

export const COMPARE_QUERY = `query Compare($indicator: String!, $period: String) {
  indicatorCatalogue { code name unit }
  government {
    league(indicator: $indicator, period: $period) {
      indicator period unit polarity reported expected
      overall { value rule }
      rows { rank tied organisationId organisationName value numerator denominator rag funnel { volume position } }
      notReported { organisationName reason }
    }
  }
}`;

export const DEFAULT_INDICATOR = 'ss-invoices-paid-5-days';

export interface CompareData {
  indicatorCatalogue: { code: string; name: string; unit: string }[];
  government: {
    league: {
      indicator: string;
      period: string;
      unit: string;
      polarity: string;
      reported: number;
      expected: number;
      overall: { value: number; rule: string } | null;
      rows: { rank: number; tied: boolean; organisationId: string; organisationName: string; value: number; numerator: number | null; denominator: number | null; rag: string | null; funnel: { volume: number; position: string } | null }[];
      notReported: { organisationName: string; reason: string }[];
    } | null;
  };
}

/** Spiegelhalter's limits for a proportion at a volume: p +/- z sqrt(p(1 - p) / n), as rates in percent. */
export function proportionLimits(overallPercent: number) {
  const p = overallPercent / 100;
  const at = (z: number, n: number) => (z * Math.sqrt((p * (1 - p)) / n)) * 100;
  return (volume: number) => ({ lower95: overallPercent - at(1.96, volume), upper95: overallPercent + at(1.96, volume), lower998: overallPercent - at(3.09, volume), upper998: overallPercent + at(3.09, volume) });
}

/** The league table and funnel plot of one indicator and period, with a form to choose them. */
export function renderCompare(data: CompareData, asked: { indicator: string; period: string | null }): string {
  const league = data.government.league;
  const chosen = data.indicatorCatalogue.find((i) => i.code === asked.indicator);
  const funnelRows = (league?.rows ?? []).filter((r) => r.funnel).map((r) => ({ name: r.organisationName, value: r.value, volume: r.funnel!.volume, position: r.funnel!.position as 'WITHIN' }));
  const body = html`
    <h1 class="govuk-heading-xl">Compare organisations</h1>
    <form method="get" action="/compare" class="govuk-!-margin-bottom-6">
      <div class="govuk-form-group">
        <label class="govuk-label" for="indicator">Indicator</label>
        <select class="govuk-select" id="indicator" name="indicator">${data.indicatorCatalogue.map((i) => html`<option value="${i.code}"${i.code === asked.indicator ? html` selected` : ''}>${i.name}</option>`)}</select>
      </div>
      <div class="govuk-form-group">
        <label class="govuk-label" for="period">Period</label>
        <div class="govuk-hint" id="period-hint">For example 2026-06 or 2026-Q2. Leave empty for the latest any organisation reported.</div>
        <input class="govuk-input govuk-input--width-10" id="period" name="period" type="text" value="${asked.period ?? ''}" aria-describedby="period-hint">
      </div>
      <button type="submit" class="govuk-button" data-module="govuk-button">Compare</button>
    </form>
    ${!league
      ? html`<p class="govuk-body">Nobody reports ${chosen?.name ?? asked.indicator}${asked.period ? ` for ${asked.period}` : ''}.</p>`
      : html`
    <h2 class="govuk-heading-l">${chosen?.name ?? league.indicator}, ${league.period}</h2>
    <p class="govuk-body">${league.reported} of ${league.expected} organisations reported.${league.overall ? ` Overall: ${formatValue(league.overall.value, league.unit)} (${league.overall.rule}).` : ''}</p>
    <table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">League table, best first (${words(league.polarity)})</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header govuk-table__header--numeric">Rank</th><th scope="col" class="govuk-table__header">Organisation</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Value</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Volume</th><th scope="col" class="govuk-table__header">RAG</th><th scope="col" class="govuk-table__header">Funnel plot</th></tr></thead>
      <tbody class="govuk-table__body">${league.rows.map(
        (r) => html`<tr class="govuk-table__row"><td class="govuk-table__cell govuk-table__cell--numeric">${r.rank}${r.tied ? ' (tied)' : ''}</td><th scope="row" class="govuk-table__header"><a class="govuk-link" href="/organisations/${r.organisationId}">${r.organisationName}</a></th><td class="govuk-table__cell govuk-table__cell--numeric">${formatValue(r.value, league.unit)}</td><td class="govuk-table__cell govuk-table__cell--numeric">${formatValue(r.denominator, 'COUNT')}</td><td class="govuk-table__cell">${ragTag(r.rag)}</td><td class="govuk-table__cell">${r.funnel ? words(r.funnel.position).replace('95', '95%').replace('998', '99.8%') : '–'}</td></tr>`,
      )}</tbody>
    </table>
    ${league.notReported.length > 0 ? html`<h3 class="govuk-heading-m">Not reported</h3><ul class="govuk-list govuk-list--bullet">${league.notReported.map((n) => html`<li>${n.organisationName}: ${n.reason}</li>`)}</ul>` : ''}
    <h2 class="govuk-heading-l">Funnel plot</h2>
    <p class="govuk-body">Each organisation's rate against its volume, with 95% and 99.8% limits around the overall rate: fairer than a league table to organisations of different sizes.</p>
    ${league.overall && league.unit === 'PERCENT' && funnelRows.length > 0
      ? html`<div class="app-chart">${raw(funnelPlot({ id: 'funnel', title: `${chosen?.name ?? league.indicator}, ${league.period}: funnel plot`, unit: 'PERCENT', overall: league.overall.value, rows: funnelRows, limits: proportionLimits(league.overall.value) }))}</div>`
      : html`<p class="govuk-body">A funnel plot needs a rate with its numerator and denominator; this indicator has none.</p>`}`}`;
  return page({ title: 'Compare organisations', section: 'compare', body, query: COMPARE_QUERY });
}
