import { funnelPlot } from '../charts/funnel-plot.ts';
import { type Html, html, raw } from '../html.ts';
import { counted, formatValue, page, queryText, ragTag, words } from '../layout.ts';

// Every publisher's organisations with the indicators they report fill the form (the standard catalogue has only
// the eight shared indicators; an NHS trust's or a council's own are compared here too), and the chosen indicator's
// periods and the peer groups of those who report it offer what can be asked next.
export const COMPARE_QUERY = `query Compare($indicator: String!, $period: String, $peerGroup: String) {
  indicatorCatalogue { code name unit }
  publishers {
    id name
    organisations { id peerGroups indicators { code name } figures(indicators: [$indicator]) { periods periodStarts } }
  }
  government {
    league(indicator: $indicator, period: $period, peerGroup: $peerGroup) {
      indicator peerGroup period unit polarity reported expected
      overall { value numerator denominator rule }
      rows { rank tied organisationId organisationName value numerator denominator rag funnel { volume position } }
      notReported { organisationId organisationName reason }
    }
  }
}`;

export const DEFAULT_INDICATOR = 'ss-invoices-paid-5-days';

interface Publisher {
  id: string;
  name: string;
  organisations: { id: string; peerGroups: string[]; indicators: { code: string; name: string }[] | null; figures: { periods: string[]; periodStarts: string[] }[] | null }[];
}

export interface CompareData {
  indicatorCatalogue: { code: string; name: string; unit: string }[];
  /** Absent from answers to the query this page sent before it offered every publisher's indicators. */
  publishers?: Publisher[];
  government: {
    league: {
      indicator: string;
      peerGroup?: string | null;
      period: string;
      unit: string;
      polarity: string;
      reported: number;
      expected: number;
      overall: { value: number; numerator?: number; denominator?: number; rule: string } | null;
      rows: { rank: number; tied: boolean; organisationId: string; organisationName: string; value: number; numerator: number | null; denominator: number | null; rag: string | null; funnel: { volume: number; position: string } | null }[];
      notReported: { organisationId?: string; organisationName: string; reason: string }[];
    } | null;
  };
}

export interface CompareAsked {
  indicator: string;
  period: string | null;
  peerGroup?: string | null;
}

/**
 * What a submitted form asks. The periods and peer groups on the form were offered for the indicator it showed
 * (`shown`): when the indicator was changed they belong to another one, so they are dropped and the new indicator's
 * latest period is compared across everyone who reports it.
 */
export function compareAsked(query: Record<string, unknown>): CompareAsked {
  const indicator = typeof query.indicator === 'string' && query.indicator ? query.indicator : DEFAULT_INDICATOR;
  const shown = queryText(query.shown);
  const changed = shown !== null && shown !== indicator;
  return { indicator, period: changed ? null : queryText(query.period), peerGroup: changed ? null : queryText(query.peerGroup) };
}

/** Spiegelhalter's limits for a proportion at a volume: p +/- z sqrt(p(1 - p) / n), as rates in percent. */
export function proportionLimits(overallPercent: number) {
  const p = overallPercent / 100;
  const at = (z: number, n: number) => (z * Math.sqrt((p * (1 - p)) / n)) * 100;
  return (volume: number) => ({ lower95: overallPercent - at(1.96, volume), upper95: overallPercent + at(1.96, volume), lower998: overallPercent - at(3.09, volume), upper998: overallPercent + at(3.09, volume) });
}

interface Choice {
  code: string;
  name: string;
}

/** The indicators to choose from: the standard ones first, then each publisher's own (each code once, the first publisher that reports it). */
function indicatorGroups(data: CompareData): { label: string; indicators: Choice[] }[] {
  const seen = new Set(data.indicatorCatalogue.map((i) => i.code));
  const groups = [{ label: 'Standard indicators', indicators: data.indicatorCatalogue.map(({ code, name }) => ({ code, name })) }];
  for (const publisher of data.publishers ?? []) {
    const own = new Map<string, string>();
    for (const o of publisher.organisations) for (const i of o.indicators ?? []) if (!seen.has(i.code) && !own.has(i.code)) own.set(i.code, i.name);
    own.forEach((_, code) => seen.add(code));
    if (own.size > 0) groups.push({ label: `${publisher.name}: own indicators`, indicators: [...own].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name)) });
  }
  return groups;
}

const reports = (o: Publisher['organisations'][number], code: string) => (o.indicators ?? []).some((i) => i.code === code);

/** Every period anyone reported the indicator for, newest first (by when it starts, then by its name: a longer span after a shorter one). */
function periodsOf(data: CompareData, asked: string | null): string[] {
  const starts = new Map<string, string>();
  for (const o of (data.publishers ?? []).flatMap((p) => p.organisations)) for (const f of o.figures ?? []) f.periods.forEach((period, i) => starts.set(period, f.periodStarts[i] ?? ''));
  if (asked && !starts.has(asked)) starts.set(asked, '');
  return [...starts].sort(([a, sa], [b, sb]) => sb.localeCompare(sa) || b.localeCompare(a)).map(([period]) => period);
}

/** The groups (LGBF family groups) of the organisations that report the indicator: comparing within one is comparing like with like. */
function peerGroupsOf(data: CompareData, indicator: string, asked: string | null | undefined): string[] {
  const groups = new Set((data.publishers ?? []).flatMap((p) => p.organisations.filter((o) => reports(o, indicator)).flatMap((o) => o.peerGroups)));
  if (asked) groups.add(asked);
  return [...groups].sort();
}

const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;

function form(data: CompareData, asked: CompareAsked): Html {
  const periods = periodsOf(data, asked.period);
  const groups = peerGroupsOf(data, asked.indicator, asked.peerGroup);
  return html`<form method="get" action="/compare" class="govuk-!-margin-bottom-6">
      <input type="hidden" name="shown" value="${asked.indicator}">
      <div class="govuk-form-group">
        <label class="govuk-label govuk-label--s" for="indicator">Indicator</label>
        <div class="govuk-hint" id="indicator-hint">The standard indicators, then each publisher's own. Choosing another indicator compares its latest period across everyone who reports it.</div>
        <select class="govuk-select app-select--wide" id="indicator" name="indicator" aria-describedby="indicator-hint">${indicatorGroups(data).map(
          (g) => html`<optgroup label="${g.label}">${g.indicators.map((i) => option(i.code, i.name, i.code === asked.indicator))}</optgroup>`,
        )}</select>
      </div>
      <div class="govuk-form-group">
        <label class="govuk-label govuk-label--s" for="period">Period</label>
        <select class="govuk-select" id="period" name="period">${option('', 'Latest reported', !asked.period)}${periods.map((p) => option(p, p, p === asked.period))}</select>
      </div>
      ${groups.length > 0
        ? html`<div class="govuk-form-group">
        <label class="govuk-label govuk-label--s" for="peerGroup">Peer group</label>
        <div class="govuk-hint" id="peerGroup-hint">Compare only organisations alike, such as a Local Government Benchmarking Framework family group; the overall figure is then the group's.</div>
        <select class="govuk-select app-select--wide" id="peerGroup" name="peerGroup" aria-describedby="peerGroup-hint">${option('', 'Everyone who reports it', !asked.peerGroup)}${groups.map((g) => option(g, g, g === asked.peerGroup))}</select>
      </div>`
        : ''}
      <button type="submit" class="govuk-button" data-module="govuk-button">Compare</button>
    </form>`;
}

type League = NonNullable<CompareData['government']['league']>;

/** Whose overall figure it is: the peer group's, one publisher's organisations' (NHS England's, all of England's providers), or everyone's. */
function overallOf(data: CompareData, league: League): string {
  if (league.peerGroup) return `Overall, ${league.peerGroup}`;
  const publisherOf = new Map((data.publishers ?? []).flatMap((p) => p.organisations.map((o) => [o.id, p.name] as const)));
  const publishers = new Set(league.rows.map((r) => publisherOf.get(r.organisationId)));
  const only = publishers.size === 1 ? [...publishers][0] : undefined;
  return only ? `Overall, ${only}'s organisations` : 'Overall, every organisation that reported';
}

/** The overall figure with what it is made of: a rate as the ratio of sums (84.6%, 1,734,553 of 2,049,785). */
function overallFigure(league: League): string {
  const overall = league.overall!;
  const across = `across the ${counted(league.reported, 'organisation')} that reported`;
  if (league.unit === 'PERCENT' && overall.numerator !== undefined && overall.denominator !== undefined) {
    return `${formatValue(overall.value, 'PERCENT')}: ${formatValue(overall.numerator, 'COUNT')} of ${formatValue(overall.denominator, 'COUNT')} ${across} (the ratio of their sums)`;
  }
  return `${formatValue(overall.value, league.unit)} ${across} (${overall.rule})`;
}

const summaryRow = (key: string, value: Html | string) => html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`;

function leagueSection(data: CompareData, league: League, name: string): Html {
  const funnelRows = league.rows.filter((r) => r.funnel).map((r) => ({ name: r.organisationName, value: r.value, volume: r.funnel!.volume, position: r.funnel!.position as 'WITHIN' }));
  const title = `${name}, ${league.period}`;
  const missing = league.notReported.length;
  const missingList = html`<ul class="govuk-list govuk-list--bullet">${league.notReported.map((n) => html`<li>${n.organisationName}: ${n.reason}</li>`)}</ul>`;
  return html`
    ${league.peerGroup ? html`<span class="govuk-caption-l">${league.peerGroup}</span>` : ''}
    <h2 class="govuk-heading-l">${title}</h2>
    <dl class="govuk-summary-list app-summary">
      ${summaryRow('Reported', `${formatValue(league.reported, 'COUNT')} of ${counted(league.expected, 'organisation')}`)}
      ${league.overall ? summaryRow(overallOf(data, league), overallFigure(league)) : summaryRow('Overall', 'None: the organisations report a value without the numerator and denominator a ratio of sums needs.')}
    </dl>
    <table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">League table, best first (${words(league.polarity)})</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header govuk-table__header--numeric">Rank</th><th scope="col" class="govuk-table__header">Organisation</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Value</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Volume</th><th scope="col" class="govuk-table__header">RAG</th><th scope="col" class="govuk-table__header">Funnel plot</th></tr></thead>
      <tbody class="govuk-table__body">${league.rows.map(
        (r) => html`<tr class="govuk-table__row"><td class="govuk-table__cell govuk-table__cell--numeric">${r.rank}${r.tied ? ' (tied)' : ''}</td><th scope="row" class="govuk-table__header"><a class="govuk-link" href="/organisations/${encodeURIComponent(r.organisationId)}">${r.organisationName}</a></th><td class="govuk-table__cell govuk-table__cell--numeric">${formatValue(r.value, league.unit)}</td><td class="govuk-table__cell govuk-table__cell--numeric">${formatValue(r.denominator, 'COUNT')}</td><td class="govuk-table__cell">${ragTag(r.rag)}</td><td class="govuk-table__cell">${r.funnel ? words(r.funnel.position).replace('95', '95%').replace('998', '99.8%') : '–'}</td></tr>`,
      )}</tbody>
    </table>
    ${missing === 0
      ? ''
      : missing <= 10
        ? html`<h3 class="govuk-heading-m">Not reported</h3>${missingList}`
        : html`<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Not reported: ${counted(missing, 'organisation')}</span></summary><div class="govuk-details__text">${missingList}</div></details>`}
    <h2 class="govuk-heading-l">Funnel plot</h2>
    <p class="govuk-body">Each organisation's rate against its volume, with 95% and 99.8% limits around the overall rate: fairer than a league table to organisations of different sizes.${funnelRows.length > 12 ? ' The organisations furthest from the overall rate are named; hover over or focus any point for its name, or read the table above.' : ''}</p>
    ${league.overall && league.unit === 'PERCENT' && funnelRows.length > 0
      ? html`<div class="app-chart">${raw(funnelPlot({ id: 'funnel', title: `${title}: funnel plot`, unit: 'PERCENT', overall: league.overall.value, rows: funnelRows, limits: proportionLimits(league.overall.value) }))}</div>`
      : html`<p class="govuk-body">A funnel plot needs a rate with its numerator and denominator; this indicator has none.</p>`}`;
}

/** The league table and funnel plot of one indicator and period, everyone's or a peer group's, with a form to choose them. */
export function renderCompare(data: CompareData, asked: CompareAsked): string {
  const league = data.government.league;
  const name = indicatorGroups(data)
    .flatMap((g) => g.indicators)
    .find((i) => i.code === asked.indicator)?.name;
  const body = html`
    <h1 class="govuk-heading-xl">Compare organisations</h1>
    ${form(data, asked)}
    ${!league
      ? html`<p class="govuk-body">Nobody${asked.peerGroup ? ` in ${asked.peerGroup}` : ''} reports ${name ?? asked.indicator}${asked.period ? ` for ${asked.period}` : ''}.</p>`
      : leagueSection(data, league, name ?? league.indicator)}`;
  return page({ title: name ? `Compare: ${name}` : 'Compare organisations', section: 'compare', body, query: COMPARE_QUERY });
}
