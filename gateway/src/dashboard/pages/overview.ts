import { type Html, html } from '../html.ts';
import { capitalised, counted, formatValue, kindName, kindsName, page, ragTag, type Unreadable, unreadableList, words } from '../layout.ts';

// $indicators, $returns and $overdue let the page ask less of a large graph (see overviewVariables); their defaults ask
// for everything, as the page did when the graph held a handful of organisations.
export const OVERVIEW_QUERY = `query Overview($kind: OrganisationKind, $indicators: [String!], $returns: Boolean! = true, $overdue: Boolean! = true) {
  indicatorCatalogue { code name unit }
  organisations(kind: $kind) {
    id name kind
    scorecard(periods: 1, indicators: $indicators) {
      indicator name unit
      latest { period value target rag { status rule } spc { signal variation } }
      sincePreviousPeriod { direction comparedWith }
      exceptions { rule description }
      unreadable { period serviceId department field value rule }
    }
    returns @include(if: $returns) {
      chased completeness { expected received late missing ratio }
      overdue @include(if: $overdue) { dataset period daysLate }
    }
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

interface Organisation {
  id: string;
  name: string;
  kind: string;
  scorecard: Entry[] | null;
  /** Absent when the page did not ask for it ($returns false); null when the organisation's subgraph did not answer. */
  returns?: { chased: boolean; completeness: { expected: number; received: number; late: number; missing: number; ratio: number | null }; overdue?: { dataset: string; period: string; daysLate: number | null }[] } | null;
}

export interface OverviewData {
  indicatorCatalogue: { code: string; name: string; unit: string }[];
  organisations: Organisation[];
}

/** What the directory says the graph holds, kept by the route: how many organisations of each kind, and the standard indicators' codes. */
export interface GraphShape {
  kinds: Map<string, number>;
  standard: string[];
}

/** Up to this many organisations the page shows everything at once; beyond it, one kind at a time (see overviewVariables). */
export const SMALL_GRAPH = 50;
/** Up to this many organisations they are the matrix's columns, as a strategy board reads them; beyond it, its rows. */
const COLUMNS_UP_TO = 10;
/** A kind's own indicators make the matrix's columns when it has no standard one and no more than this many of its own. */
const OWN_COLUMNS_UP_TO = 8;

export interface OverviewScope {
  /** The kind asked for (?kind=), or null for every organisation. */
  kind: string | null;
  /** The graph's shape when the route knows it; null before the directory has answered. */
  shape: GraphShape | null;
}

/**
 * The query's variables for a scope. On a small graph (or before its size is known) every organisation, with every
 * indicator and its returns, as before. On a large one (hundreds of NHS trusts and councils) working out every
 * organisation's returns takes seconds and lists hundreds of thousands of overdue returns, so the page opens on the
 * standard indicators alone and gives returns one kind at a time; a kind of hundreds lists no overdue returns.
 */
export function overviewVariables(scope: OverviewScope): Record<string, unknown> {
  const total = scope.shape ? [...scope.shape.kinds.values()].reduce((a, b) => a + b, 0) : 0;
  if (scope.kind) return { kind: scope.kind, returns: true, overdue: (scope.shape?.kinds.get(scope.kind) ?? 0) <= SMALL_GRAPH };
  if (total <= SMALL_GRAPH) return {};
  return { indicators: scope.shape!.standard, returns: false, overdue: false };
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

/**
 * A cell of a long matrix (organisations as rows): the figure with its RAG on one line, direction and any special
 * cause on the next; "No target" and common cause, which most cells of a kind without targets would repeat, are left
 * unsaid (the organisation's own page says them).
 */
function compactCell(entry: Entry | undefined): Html {
  if (!entry?.latest) return html`<td class="govuk-table__cell"><span class="govuk-body-s govuk-!-colour-secondary">Not reported</span></td>`;
  const { latest } = entry;
  const notes = [
    entry.sincePreviousPeriod ? html`${words(entry.sincePreviousPeriod.direction)} since ${entry.sincePreviousPeriod.comparedWith}` : null,
    latest.spc && latest.spc.variation !== 'COMMON_CAUSE' ? html`<strong>SPC: ${words(latest.spc.variation)}</strong>` : null,
  ].filter((note) => note !== null);
  return html`<td class="govuk-table__cell">
    ${latest.rag ? html`${ragTag(latest.rag.status)} ` : ''}${formatValue(latest.value, entry.unit)} <span class="govuk-body-s">(${latest.period})</span>
    ${notes.length > 0 ? html`<span class="app-signal govuk-body-s">${notes.map((note, i) => html`${i > 0 ? '; ' : ''}${note}`)}</span>` : ''}
  </td>`;
}

const link = (o: Organisation) => html`<a class="govuk-link" href="/organisations/${encodeURIComponent(o.id)}">${o.name}</a>`;
const entryOf = (o: Organisation, code: string) => o.scorecard?.find((e) => e.indicator === code);

/** The matrix's indicators: the standard ones anyone shown reports (all of them on a small page), else a kind's own few. */
function matrixIndicators(data: OverviewData, byColumn: boolean, scope: OverviewScope): { code: string; name: string }[] {
  const reported = (code: string) => data.organisations.some((o) => entryOf(o, code)?.latest);
  const standard = byColumn ? data.indicatorCatalogue : data.indicatorCatalogue.filter((i) => reported(i.code));
  if (standard.length > 0 || !scope.kind) return standard;
  const own = new Map(data.organisations.flatMap((o) => (o.scorecard ?? []).filter((e) => e.latest).map((e) => [e.indicator, e.name] as const)));
  return own.size <= OWN_COLUMNS_UP_TO ? [...own].map(([code, name]) => ({ code, name })) : [];
}

/** A few organisations as columns, indicators down the side (as before); many as rows, so the page grows down, not across. */
function matrix(data: OverviewData, scope: OverviewScope, standard: boolean): Html {
  const organisations = data.organisations;
  const byColumn = organisations.length <= COLUMNS_UP_TO;
  const indicators = matrixIndicators(data, byColumn, scope);
  const heading = standard ? 'Standard indicators' : `Indicators of ${kindsName(scope.kind!)}`;
  const caption = standard ? 'Latest figure of each standard indicator by organisation' : 'Latest figure of each indicator by organisation';
  if (indicators.length === 0) {
    return html`<h2 class="govuk-heading-l" id="matrix">${heading}</h2>
    <p class="govuk-body">None of these organisations reports a standard indicator, and they report too many of their own to set side by side here. <a class="govuk-link" href="/compare">Compare them</a> one indicator at a time, or open an organisation's page.</p>`;
  }
  if (byColumn) {
    return html`<h2 class="govuk-heading-l" id="matrix">${heading}</h2>
    <div class="app-matrix" role="region" aria-labelledby="matrix" tabindex="0">
      <table class="govuk-table">
        <caption class="govuk-table__caption govuk-table__caption--m">${caption}</caption>
        <thead class="govuk-table__head"><tr class="govuk-table__row">
          <th scope="col" class="govuk-table__header">Indicator</th>
          ${organisations.map((o) => html`<th scope="col" class="govuk-table__header">${link(o)}</th>`)}
        </tr></thead>
        <tbody class="govuk-table__body">
          ${indicators.map(
            (indicator) => html`<tr class="govuk-table__row">
              <th scope="row" class="govuk-table__header">${indicator.name}</th>
              ${organisations.map((o) => cell(entryOf(o, indicator.code)))}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
  const reporting = organisations.filter((o) => indicators.some((i) => entryOf(o, i.code)?.latest));
  const silent = organisations.filter((o) => !reporting.includes(o));
  const byKind = [...new Set(silent.map((o) => o.kind))].map((kind) => kindName(kind, silent.filter((o) => o.kind === kind).length));
  return html`<h2 class="govuk-heading-l" id="matrix">${heading}</h2>
    ${silent.length > 0 ? html`<p class="govuk-body">${counted(reporting.length, 'organisation')} of ${formatValue(organisations.length, 'COUNT')} ${reporting.length === 1 ? 'reports' : 'report'} at least one of these indicators and ${reporting.length === 1 ? 'is' : 'are'} listed below. The other ${counted(silent.length, 'organisation')} (${byKind.join(', ')}) report none: <a class="govuk-link" href="/compare">compare them</a> on their own indicators.</p>` : ''}
    <p class="govuk-body-s">Each cell gives the latest figure with its RAG rating where there is a target, the direction of travel, and the SPC signal when it is a special cause.</p>
    <div class="app-matrix" role="region" aria-labelledby="matrix" tabindex="0">
      <table class="govuk-table app-matrix--rows">
        <caption class="govuk-table__caption govuk-table__caption--m">${caption}</caption>
        <thead class="govuk-table__head"><tr class="govuk-table__row">
          <th scope="col" class="govuk-table__header">Organisation</th>
          ${indicators.map((i) => html`<th scope="col" class="govuk-table__header">${i.name}</th>`)}
        </tr></thead>
        <tbody class="govuk-table__body">
          ${reporting.map(
            (o) => html`<tr class="govuk-table__row">
              <th scope="row" class="govuk-table__header">${link(o)}${scope.kind ? '' : html`<span class="app-signal govuk-body-s">${capitalised(kindName(o.kind))}</span>`}</th>
              ${indicators.map((i) => compactCell(entryOf(o, i.code)))}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

/** The kinds to choose from, with how many of each: a GET form, so it works without script. */
function scopeForm(scope: OverviewScope): Html | string {
  if (!scope.shape || scope.shape.kinds.size < 2) return '';
  const total = [...scope.shape.kinds.values()].reduce((a, b) => a + b, 0);
  const kinds = [...scope.shape.kinds].sort(([a], [b]) => a.localeCompare(b));
  return html`<form method="get" action="/" class="app-filter govuk-!-margin-bottom-6">
      <div class="govuk-form-group">
        <label class="govuk-label govuk-label--s" for="kind">Organisations</label>
        <select class="govuk-select" id="kind" name="kind">
          <option value="">All organisations (${formatValue(total, 'COUNT')})</option>
          ${kinds.map(([kind, n]) => html`<option value="${kind}"${kind === scope.kind ? html` selected` : ''}>${capitalised(kindsName(kind))} (${formatValue(n, 'COUNT')})</option>`)}
        </select>
      </div>
      <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Show</button>
    </form>`;
}

/** Organisations whose figures are a published data set's owe no returns (docs/public-data.md): counted, not listed as 0 of 0. */
const notChased = (o: Organisation) => o.returns?.chased === false;

function returnsTable(all: Organisation[], withOverdue: boolean): Html {
  const organisations = all.filter((o) => !notChased(o));
  const published = all.length - organisations.length;
  if (organisations.length === 0) {
    return html`<h2 class="govuk-heading-m">Returns</h2><p class="govuk-body">Their figures are imported from published data sets, as published: they owe the hub no returns.</p>`;
  }
  return html`<table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">Returns received against returns expected, by organisation${published > 0 ? html`<span class="govuk-caption-m">${formatValue(published, 'COUNT')} ${published === 1 ? 'organisation whose figures are' : 'organisations whose figures are'} imported from published data sets ${published === 1 ? 'owes' : 'owe'} no returns and ${published === 1 ? 'is' : 'are'} not listed.</span>` : ''}</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row">
        <th scope="col" class="govuk-table__header">Organisation</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Expected</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Received</th>
        <th scope="col" class="govuk-table__header govuk-table__header--numeric">Late</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Missing</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Complete</th>${withOverdue ? html`<th scope="col" class="govuk-table__header">Overdue now</th>` : ''}
      </tr></thead>
      <tbody class="govuk-table__body">
        ${organisations.map((o) => {
          const c = o.returns?.completeness;
          return html`<tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header">${link(o)}</th>
            <td class="govuk-table__cell govuk-table__cell--numeric">${c?.expected ?? '–'}</td><td class="govuk-table__cell govuk-table__cell--numeric">${c?.received ?? '–'}</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">${c?.late ?? '–'}</td><td class="govuk-table__cell govuk-table__cell--numeric">${c?.missing ?? '–'}</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">${c?.ratio === null || c?.ratio === undefined ? '–' : `${Math.round(c.ratio * 100)}%`}</td>
            ${withOverdue ? html`<td class="govuk-table__cell">${overdue(o.returns?.overdue ?? null)}</td>` : ''}
          </tr>`;
        })}
      </tbody>
    </table>`;
}

function returnsSection(data: OverviewData, scope: OverviewScope): Html {
  const organisations = data.organisations;
  const asked = organisations.some((o) => o.returns !== undefined);
  if (!asked) {
    return html`<h2 class="govuk-heading-l" id="returns">Completeness of returns</h2>
    <p class="govuk-body">Returns are shown for one kind of organisation at a time: working out all ${formatValue(organisations.length, 'COUNT')} organisations' returns takes several seconds. Choose a kind above.</p>`;
  }
  const withOverdue = organisations.some((o) => o.returns?.overdue !== undefined);
  return html`<h2 class="govuk-heading-l" id="returns">Completeness of returns</h2>
    <p class="govuk-body">Expected, received, late and missing count the returns due in the last twelve months${withOverdue ? '; overdue counts every return still missing, however old' : ''}. An organisation whose figures come from a published data set that has ended (a historical extract) shows every return since as missing.${!withOverdue && scope.kind ? ' Each organisation\'s own page names its overdue returns.' : ''}</p>
    ${returnsTable(organisations, withOverdue)}`;
}

/** Organisations by standard indicator (RAG in words and colour, direction, SPC), exceptions, returns. */
export function renderOverview(data: OverviewData, scope: OverviewScope = { kind: null, shape: null }): string {
  const organisations = data.organisations;
  const exceptions = organisations.flatMap((o) => (o.scorecard ?? []).flatMap((e) => e.exceptions.map((x) => ({ organisation: o, entry: e, exception: x }))));
  const missing = organisations.filter((o) => o.scorecard === null || o.returns === null);
  const unreadable = organisations.flatMap((o) => (o.scorecard ?? []).flatMap((e) => (e.unreadable ?? []).map((u) => ({ organisation: o.name, indicator: e.name, ...u }))));
  const standard = !scope.kind || data.organisations.some((o) => data.indicatorCatalogue.some((i) => entryOf(o, i.code)?.latest));
  const total = scope.shape ? [...scope.shape.kinds.values()].reduce((a, b) => a + b, 0) : organisations.length;
  const body = html`
    <h1 class="govuk-heading-xl">Performance across government</h1>
    <p class="govuk-body-l">Every organisation judged by the same rules on the standard indicators: RAG against target, direction of travel and statistical signals.</p>
    ${scopeForm(scope)}
    ${scope.kind ? html`<p class="govuk-body" id="scope">Showing ${kindName(scope.kind, organisations.length)} of ${counted(total, 'organisation')}, with their own indicators as well as the standard ones. <a class="govuk-link" href="/">Show all organisations</a>.</p>` : ''}
    ${missing.length > 0 ? html`<div class="govuk-warning-text" data-missing-organisations="${missing.map((o) => o.id).join(' ')}"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> No answer from ${missing.map((o) => o.name).join(', ')}: their figures are missing below.</strong></div>` : ''}
    ${unreadableList(unreadable, 'unreadable')}
    ${matrix(data, scope, standard)}

    <h2 class="govuk-heading-l" id="exceptions">Exceptions</h2>
    ${exceptions.length === 0
      ? html`<p class="govuk-body">No indicator is an exception.</p>`
      : html`<table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">${formatValue(exceptions.length, 'COUNT')} exceptions: latest Red, three deteriorations in a row, or three Ambers in a row</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Organisation</th><th scope="col" class="govuk-table__header">Indicator</th><th scope="col" class="govuk-table__header">Latest</th><th scope="col" class="govuk-table__header">Why</th></tr></thead>
      <tbody class="govuk-table__body">
        ${exceptions.map(
          ({ organisation, entry, exception }) => html`<tr class="govuk-table__row">
            <td class="govuk-table__cell">${link(organisation)}</td>
            <td class="govuk-table__cell">${entry.name}</td>
            <td class="govuk-table__cell">${ragTag(entry.latest?.rag?.status)} ${formatValue(entry.latest?.value, entry.unit)}</td>
            <td class="govuk-table__cell">${exception.description}</td>
          </tr>`,
        )}
      </tbody>
    </table>`}

    ${returnsSection(data, scope)}`;
  return page({ title: scope.kind ? `Overview: ${kindsName(scope.kind)}` : 'Overview', section: 'overview', body, query: OVERVIEW_QUERY });
}
