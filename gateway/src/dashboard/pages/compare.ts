import { parsePeriod } from '@crossgov/schema';
import { funnelPlot } from '../charts/funnel-plot.ts';
import { type Html, html, raw } from '../html.ts';
import { counted, figureMarks, formatValue, page, queryText, ragTag, words } from '../layout.ts';

// Every publisher's organisations with the indicators they report fill the form (the standard catalogue has only
// the eight shared indicators; an NHS trust's or a council's own are compared here too); the league's periods with
// figures and the peer groups of those who report the indicator offer what can be asked next.
export const COMPARE_QUERY = `query Compare($indicator: String!, $period: String, $peerGroup: String) {
  indicatorCatalogue { code name unit denominator }
  publishers {
    id name
    organisations { id peerGroups indicators { code name } }
  }
  government {
    league(indicator: $indicator, period: $period, peerGroup: $peerGroup) {
      indicator peerGroup period periodRule unit polarity reported expected
      periods { period reported }
      overall { value numerator denominator rule }
      rows { rank tied organisationId organisationName value numerator denominator rag synthetic funnel { volume position } }
      funnel { drawn rule }
      notReported { organisationId organisationName reason }
    }
  }
}`;

export const DEFAULT_INDICATOR = 'ss-invoices-paid-5-days';

interface Publisher {
  id: string;
  name: string;
  organisations: {
    id: string;
    peerGroups: string[];
    indicators: { code: string; name: string }[] | null;
  }[];
}

export interface CompareData {
  indicatorCatalogue: { code: string; name: string; unit: string; denominator?: string | null }[];
  /** Absent from answers to the query this page sent before it offered every publisher's indicators. */
  publishers?: Publisher[];
  government: {
    league: {
      indicator: string;
      peerGroup?: string | null;
      period: string;
      /** Absent from answers to the query this page sent before leagues said how their period was chosen. */
      periodRule?: string;
      periods?: { period: string; reported: number }[];
      unit: string;
      polarity: string;
      reported: number;
      expected: number;
      overall: { value: number; numerator?: number; denominator?: number; rule: string } | null;
      rows: {
        rank: number;
        tied: boolean;
        organisationId: string;
        organisationName: string;
        value: number;
        numerator: number | null;
        denominator: number | null;
        rag: string | null;
        synthetic?: boolean;
        funnel: { volume: number; position: string } | null;
      }[];
      funnel?: { drawn: boolean; rule: string };
      notReported: { organisationId?: string; organisationName: string; reason: string }[];
    } | null;
  };
}

/** A field of the form the reader must change, with what to put right: shown in the error summary and beside the field. */
export interface CompareProblem {
  field: 'indicator' | 'period' | 'peerGroup';
  message: string;
}

export interface CompareAsked {
  indicator: string;
  period: string | null;
  peerGroup?: string | null;
  /** Set when the form cannot be answered as submitted. */
  problem?: CompareProblem | null;
}

/**
 * What a submitted form asks. The periods and peer groups on the form were offered for the indicator it showed
 * (`shown`): when the indicator was changed they belong to another one, so they are dropped and the new indicator's
 * default period is compared across everyone who reports it. A period that is not one (2026-13) is a problem with
 * the form, found before asking, so the page's one query can still fetch the indicators to show the form again.
 */
export function compareAsked(query: Record<string, unknown>): CompareAsked {
  const indicator =
    typeof query.indicator === 'string' && query.indicator ? query.indicator : DEFAULT_INDICATOR;
  const shown = queryText(query.shown);
  const changed = shown !== null && shown !== indicator;
  const period = changed ? null : queryText(query.period);
  const asked = { indicator, period, peerGroup: changed ? null : queryText(query.peerGroup) };
  if (period === null) return asked;
  try {
    parsePeriod(period);
    return asked;
  } catch {
    return {
      ...asked,
      period: null,
      problem: {
        field: 'period',
        message: `Select a period from the list: "${period}" is not a period (a month is written 2026-08, a quarter 2026-Q3)`,
      },
    };
  }
}

/** The variables of the page's query: what was asked, without a period found to be no period. */
export const compareVariables = (asked: CompareAsked) => ({
  indicator: asked.indicator,
  period: asked.period,
  peerGroup: asked.peerGroup ?? null,
});

/**
 * The field a refusal from the API is about (its `extensions.field`, as `badInput` sets it), with the sentence to show
 * beside it, or null when the refusal is about nothing on the form.
 */
export function compareProblem(
  error: { message: string; extensions?: Record<string, unknown> },
  asked: CompareAsked,
): CompareProblem | null {
  const field = error.extensions?.field;
  if (field === 'indicator')
    return {
      field,
      message: `Select an indicator from the list: nobody reports "${asked.indicator}" and it is not a standard indicator`,
    };
  if (field === 'period' || field === 'peerGroup')
    return {
      field,
      message: `Select a ${field === 'period' ? 'period' : 'peer group'} from the list: ${error.message}`,
    };
  return null;
}

/** Spiegelhalter's limits for a proportion at a volume: p +/- z sqrt(p(1 - p) / n), as rates in percent. */
export function proportionLimits(overallPercent: number) {
  const p = overallPercent / 100;
  const at = (z: number, n: number) => z * Math.sqrt((p * (1 - p)) / n) * 100;
  return (volume: number) => ({
    lower95: overallPercent - at(1.96, volume),
    upper95: overallPercent + at(1.96, volume),
    lower998: overallPercent - at(3.09, volume),
    upper998: overallPercent + at(3.09, volume),
  });
}

interface Choice {
  code: string;
  name: string;
}

/** The indicators to choose from: the standard ones first, then each publisher's own (each code once, the first publisher that reports it). */
function indicatorGroups(data: CompareData): { label: string; indicators: Choice[] }[] {
  const seen = new Set(data.indicatorCatalogue.map((i) => i.code));
  const groups = [
    {
      label: 'Standard indicators',
      indicators: data.indicatorCatalogue.map(({ code, name }) => ({ code, name })),
    },
  ];
  for (const publisher of data.publishers ?? []) {
    const own = new Map<string, string>();
    for (const o of publisher.organisations)
      for (const i of o.indicators ?? [])
        if (!seen.has(i.code) && !own.has(i.code)) own.set(i.code, i.name);
    own.forEach((_, code) => seen.add(code));
    if (own.size > 0)
      groups.push({
        label: `${publisher.name}: own indicators`,
        indicators: [...own]
          .map(([code, name]) => ({ code, name }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      });
  }
  return groups;
}

const reports = (o: Publisher['organisations'][number], code: string) =>
  (o.indicators ?? []).some((i) => i.code === code);

/** The groups (LGBF family groups) of the organisations that report the indicator: comparing within one is comparing like with like. */
function peerGroupsOf(
  data: CompareData,
  indicator: string,
  asked: string | null | undefined,
): string[] {
  const groups = new Set(
    (data.publishers ?? []).flatMap((p) =>
      p.organisations.filter((o) => reports(o, indicator)).flatMap((o) => o.peerGroups),
    ),
  );
  if (asked) groups.add(asked);
  return [...groups].sort();
}

const option = (value: string, label: string, selected: boolean) =>
  html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;

/** The error message above a field, after GOV.UK's error message component. */
const fieldError = (problem: CompareProblem | null | undefined, field: CompareProblem['field']) =>
  problem?.field === field
    ? html`<p id="${field}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${problem.message}</p>`
    : '';

const groupClass = (problem: CompareProblem | null | undefined, field: CompareProblem['field']) =>
  `govuk-form-group${problem?.field === field ? ' govuk-form-group--error' : ''}`;
const selectClass = (
  problem: CompareProblem | null | undefined,
  field: CompareProblem['field'],
  wide: boolean,
) =>
  `govuk-select${wide ? ' app-select--wide' : ''}${problem?.field === field ? ' govuk-select--error' : ''}`;
const describedBy = (
  problem: CompareProblem | null | undefined,
  field: CompareProblem['field'],
  hint: boolean,
) =>
  [hint ? `${field}-hint` : '', problem?.field === field ? `${field}-error` : '']
    .filter(Boolean)
    .join(' ');

/** GOV.UK's error summary: first in the main content, linking to the field to put right. */
const errorSummary = (problem: CompareProblem) =>
  html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li><a href="#${problem.field}">${problem.message}</a></li></ul></div></div></div>`;

function form(data: CompareData, asked: CompareAsked, league: League | null): Html {
  const { problem } = asked;
  // The periods with figures, from the league; one asked for is among them unless it is the problem.
  const periods = league?.periods ?? [];
  const groups = peerGroupsOf(data, asked.indicator, asked.peerGroup);
  const periodLabel = (p: { period: string; reported: number }) =>
    `${p.period} (${formatValue(p.reported, 'COUNT')} of ${formatValue(league!.expected, 'COUNT')} reported)`;
  return html`<form method="get" action="/compare" class="govuk-!-margin-bottom-6" novalidate>
      <input type="hidden" name="shown" value="${asked.indicator}">
      <div class="${groupClass(problem, 'indicator')}">
        <label class="govuk-label govuk-label--s" for="indicator">Indicator</label>
        <div class="govuk-hint" id="indicator-hint">The standard indicators, then each publisher's own. Choosing another indicator compares the latest period most of those who report it have reported.</div>
        ${fieldError(problem, 'indicator')}
        <select class="${selectClass(problem, 'indicator', true)}" id="indicator" name="indicator" aria-describedby="${describedBy(problem, 'indicator', true)}">${indicatorGroups(
          data,
        ).map(
          (g) =>
            html`<optgroup label="${g.label}">${g.indicators.map((i) => option(i.code, i.name, i.code === asked.indicator))}</optgroup>`,
        )}</select>
      </div>
      <div class="${groupClass(problem, 'period')}">
        <label class="govuk-label govuk-label--s" for="period">Period</label>
        <div class="govuk-hint" id="period-hint">Only periods with figures, newest first, with how many of the organisations that report the indicator reported each.</div>
        ${fieldError(problem, 'period')}
        <select class="${selectClass(problem, 'period', false)}" id="period" name="period" aria-describedby="${describedBy(problem, 'period', true)}">${option('', 'Latest most have reported (default)', !asked.period)}${periods.map((p) => option(p.period, periodLabel(p), p.period === asked.period))}</select>
      </div>
      ${
        groups.length > 0
          ? html`<div class="${groupClass(problem, 'peerGroup')}">
        <label class="govuk-label govuk-label--s" for="peerGroup">Peer group</label>
        <div class="govuk-hint" id="peerGroup-hint">Compare only organisations alike, such as a Local Government Benchmarking Framework family group; the overall figure is then the group's.</div>
        ${fieldError(problem, 'peerGroup')}
        <select class="${selectClass(problem, 'peerGroup', true)}" id="peerGroup" name="peerGroup" aria-describedby="${describedBy(problem, 'peerGroup', true)}">${option('', 'Everyone who reports it', !asked.peerGroup)}${groups.map((g) => option(g, g, g === asked.peerGroup))}</select>
      </div>`
          : ''
      }
      <button type="submit" class="govuk-button" data-module="govuk-button">Compare</button>
    </form>`;
}

type League = NonNullable<CompareData['government']['league']>;

/** Whose overall figure it is: the peer group's, one publisher's organisations' (NHS England's, all of England's providers), or everyone's. */
function overallOf(data: CompareData, league: League): string {
  if (league.peerGroup) return `Overall, ${league.peerGroup}`;
  const publisherOf = new Map(
    (data.publishers ?? []).flatMap((p) => p.organisations.map((o) => [o.id, p.name] as const)),
  );
  const publishers = new Set(league.rows.map((r) => publisherOf.get(r.organisationId)));
  const only = publishers.size === 1 ? [...publishers][0] : undefined;
  return only ? `Overall, ${only}'s organisations` : 'Overall, every organisation that reported';
}

/** The overall figure with what it is made of: a rate as the ratio of sums (84.6%, 1,734,553 of 2,049,785). */
function overallFigure(league: League): string {
  const overall = league.overall!;
  const across = `across the ${counted(league.reported, 'organisation')} that reported`;
  if (
    league.unit === 'PERCENT' &&
    overall.numerator !== undefined &&
    overall.denominator !== undefined
  ) {
    return `${formatValue(overall.value, 'PERCENT')}: ${formatValue(overall.numerator, 'COUNT')} of ${formatValue(overall.denominator, 'COUNT')} ${across} (the ratio of their sums)`;
  }
  if (overall.numerator !== undefined && overall.denominator !== undefined) {
    // A cost per transaction: the total cost (money) over the transactions (a count).
    return `${formatValue(overall.value, league.unit)}: ${formatValue(overall.numerator, league.unit === 'CURRENCY' ? 'CURRENCY' : 'COUNT')} / ${formatValue(overall.denominator, 'COUNT')} ${across} (the ratio of their sums)`;
  }
  return `${formatValue(overall.value, league.unit)} ${across} (${overall.rule})`;
}

const summaryRow = (key: string, value: Html | string) =>
  html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`;

/**
 * A league compares everyone only if most reported: fewer than half of those expected (the API's default period rule
 * draws the same line) is said above the table, where it cannot be missed.
 */
function fewWarning(league: League): Html | string {
  if (league.reported * 2 >= league.expected) return '';
  const who = league.reported === 0 ? 'None' : `Only ${formatValue(league.reported, 'COUNT')}`;
  return html`<div class="govuk-warning-text" id="few-reported"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> ${who} of ${counted(league.expected, 'organisation')} reported ${league.period}: this is not a comparison of everyone.</strong></div>`;
}

function leagueSection(data: CompareData, league: League, name: string): Html {
  const funnelRows = league.rows
    .filter((r) => r.funnel)
    .map((r) => ({
      name: r.organisationName,
      value: r.value,
      volume: r.funnel!.volume,
      position: r.funnel!.position as 'WITHIN',
    }));
  const title = `${name}, ${league.period}`;
  const missing = league.notReported.length;
  const missingList = html`<ul class="govuk-list govuk-list--bullet">${league.notReported.map((n) => html`<li>${n.organisationName}: ${n.reason}</li>`)}</ul>`;
  // An answer without the API's word on the funnel plot (an older insights) is drawn as before: for a percentage with parts.
  const funnel = league.funnel ?? {
    drawn: league.overall !== null && league.unit === 'PERCENT' && funnelRows.length > 0,
    rule: 'A funnel plot compares proportions: a percentage with its numerator and denominator.',
  };
  const denominator = data.indicatorCatalogue.find((i) => i.code === league.indicator)?.denominator;
  return html`
    ${league.peerGroup ? html`<span class="govuk-caption-l">${league.peerGroup}</span>` : ''}
    <h2 class="govuk-heading-l">${title}</h2>
    ${league.periodRule ? html`<p class="govuk-body" id="period-rule">Period ${league.periodRule}.</p>` : ''}
    ${fewWarning(league)}
    <dl class="govuk-summary-list app-summary">
      ${summaryRow('Reported', `${formatValue(league.reported, 'COUNT')} of ${counted(league.expected, 'organisation')}`)}
      ${
        league.overall
          ? summaryRow(overallOf(data, league), overallFigure(league))
          : summaryRow(
              'Overall',
              league.reported === 0
                ? 'None: no organisation has a figure for the period.'
                : 'None: the organisations report a value without the numerator and denominator a ratio of sums needs.',
            )
      }
    </dl>
    <div class="app-matrix" role="region" aria-labelledby="league-caption" tabindex="0">
    <table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m" id="league-caption">League table, best first (${words(league.polarity)})</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header govuk-table__header--numeric">Rank</th><th scope="col" class="govuk-table__header">Organisation</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Value</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Volume</th><th scope="col" class="govuk-table__header">RAG</th><th scope="col" class="govuk-table__header">Funnel plot</th></tr></thead>
      <tbody class="govuk-table__body">${league.rows.map(
        (r) =>
          html`<tr class="govuk-table__row"><td class="govuk-table__cell govuk-table__cell--numeric">${r.rank}${r.tied ? ' (tied)' : ''}</td><th scope="row" class="govuk-table__header"><a class="govuk-link" href="/organisations/${encodeURIComponent(r.organisationId)}">${r.organisationName}</a>${r.synthetic ? html` ${figureMarks({ synthetic: true })}` : ''}</th><td class="govuk-table__cell govuk-table__cell--numeric">${formatValue(r.value, league.unit)}</td><td class="govuk-table__cell govuk-table__cell--numeric">${formatValue(r.denominator, 'COUNT')}</td><td class="govuk-table__cell">${ragTag(r.rag)}</td><td class="govuk-table__cell">${r.funnel ? words(r.funnel.position).replace('95', '95%').replace('998', '99.8%') : '–'}</td></tr>`,
      )}</tbody>
    </table>
    </div>
    ${
      missing === 0
        ? ''
        : missing <= 10
          ? html`<h3 class="govuk-heading-m">Not reported</h3>${missingList}`
          : html`<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Not reported: ${counted(missing, 'organisation')}</span></summary><div class="govuk-details__text">${missingList}</div></details>`
    }
    <h2 class="govuk-heading-l">Funnel plot</h2>
    ${
      funnel.drawn && league.overall && funnelRows.length > 0
        ? html`<p class="govuk-body">Each organisation's rate against its volume, with 95% and 99.8% limits around the overall rate: fairer than a league table to organisations of different sizes.${funnelRows.length > 12 ? ' The organisations furthest from the overall rate are named; hover over or focus any point for its name, or read the table above.' : ''}</p>
    <div class="app-chart">${raw(funnelPlot({ id: 'funnel', title: `${title}: funnel plot`, unit: 'PERCENT', overall: league.overall.value, rows: funnelRows, limits: proportionLimits(league.overall.value), volumeName: denominator ?? undefined }))}</div>`
        : html`<p class="govuk-body" id="funnel-rule">Not drawn. ${funnel.rule}</p>`
    }`;
}

/**
 * The form as checked against the answer: a period with no figures for the indicator (one typed into the address, or
 * kept from another peer group) is a problem with the form, not an empty league; the select offers only periods with
 * figures.
 */
export function checkCompare(data: CompareData, asked: CompareAsked): CompareAsked {
  const league = data.government.league;
  if (
    asked.problem ||
    !asked.period ||
    !league?.periods ||
    league.periods.some((p) => p.period === asked.period)
  )
    return asked;
  const name = indicatorName(data, asked.indicator) ?? asked.indicator;
  return {
    ...asked,
    problem: {
      field: 'period',
      message: `Select a period from the list: nobody${asked.peerGroup ? ` in ${asked.peerGroup}` : ''} has a figure for ${name} for ${asked.period}`,
    },
  };
}

const indicatorName = (data: CompareData, code: string) =>
  indicatorGroups(data)
    .flatMap((g) => g.indicators)
    .find((i) => i.code === code)?.name;

/**
 * The league table and funnel plot of one indicator and period, everyone's or a peer group's, with a form to choose
 * them; or, for a form that cannot be answered, GOV.UK's error summary above the same form and no league.
 */
export function renderCompare(data: CompareData, asked: CompareAsked): string {
  const league = data.government.league;
  const name = indicatorName(data, asked.indicator);
  const { problem } = asked;
  const body = html`
    ${problem ? errorSummary(problem) : ''}
    <h1 class="govuk-heading-xl">Compare organisations</h1>
    ${form(data, asked, league)}
    ${
      problem
        ? ''
        : !league
          ? html`<p class="govuk-body">Nobody${asked.peerGroup ? ` in ${asked.peerGroup}` : ''} reports ${name ?? asked.indicator}${asked.period ? ` for ${asked.period}` : ''}.</p>`
          : leagueSection(data, league, name ?? league.indicator)
    }`;
  const title = name ? `Compare: ${name}` : 'Compare organisations';
  return page({
    title: problem ? `Error: ${title}` : title,
    section: 'compare',
    body,
    query: COMPARE_QUERY,
  });
}
