import { type Html, html } from '../html.ts';
import {
  capitalised,
  counted,
  figureMarks,
  formatValue,
  kindName,
  kindsName,
  longDate,
  page,
  ragTag,
  travelled,
  type Unreadable,
  unreadableList,
  words,
} from '../layout.ts';
import { RANKING_SENTENCE, rankExceptions, ruleRank } from './exception-ranking.ts';

// $indicators, $returns and $overdue let the page ask less of a large graph (see overviewVariables); their defaults ask
// for everything, as the page did when the graph held a handful of organisations.
export const OVERVIEW_QUERY = `query Overview($kind: OrganisationKind, $indicators: [String!], $returns: Boolean! = true, $overdue: Boolean! = true) {
  indicatorCatalogue { code name unit }
  organisations(kind: $kind) {
    id name kind
    scorecard(periods: 1, indicators: $indicators) {
      indicator name unit
      latest { period value target synthetic rag { status rule shortfall } spc { signal variation } }
      staleness { stale expectedPeriod dueOn }
      sincePreviousPeriod { direction comparedWith }
      sinceYearEarlier { direction comparedWith }
      exceptions { rule description }
      unreadable { period serviceId department field value rule }
    }
    returns @include(if: $returns) {
      chased completeness { expected received late outstanding missing ratio from to olderMissing }
      overdue @include(if: $overdue) { dataset period daysLate }
      outstanding @include(if: $overdue) { dataset period daysLate }
    }
  }
}`;

interface Entry {
  indicator: string;
  name: string;
  unit: string;
  latest: {
    period: string;
    value: number | null;
    target: number | null;
    synthetic: boolean;
    rag: { status: string; rule: string; shortfall: number | null } | null;
    spc: { signal: string; variation: string } | null;
  } | null;
  /** Null without a figure; absent from answers of a publisher that predates the staleness rule. */
  staleness?: { stale: boolean; expectedPeriod: string; dueOn: string } | null;
  sincePreviousPeriod: { direction: string; comparedWith: string } | null;
  sinceYearEarlier: { direction: string; comparedWith: string } | null;
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
  returns?: {
    chased: boolean;
    completeness: Completeness;
    overdue?: ReturnLine[];
    outstanding?: ReturnLine[];
  } | null;
}

/** One window of due dates (from..to) counts every figure and list; olderMissing are the returns before it never received. */
interface Completeness {
  expected: number;
  received: number;
  late: number;
  outstanding: number;
  missing: number;
  ratio: number | null;
  from: string;
  to: string;
  olderMissing: number;
}

interface ReturnLine {
  dataset: string;
  period: string;
  daysLate: number | null;
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
  if (scope.kind)
    return {
      kind: scope.kind,
      returns: true,
      overdue: (scope.shape?.kinds.get(scope.kind) ?? 0) <= SMALL_GRAPH,
    };
  if (total <= SMALL_GRAPH) return {};
  return { indicators: scope.shape!.standard, returns: false, overdue: false };
}

/** The SPC signal of the latest point, in words, only when it is a special cause. */
function signal(entry: Entry): Html {
  const spc = entry.latest?.spc;
  if (!spc || spc.variation === 'COMMON_CAUSE')
    return html`<span class="app-signal govuk-body-s">SPC: common cause</span>`;
  return html`<span class="app-signal govuk-body-s"><strong>SPC: ${words(spc.variation)}</strong> (${words(spc.signal)})</span>`;
}

/**
 * The window's returns not yet received (missing, then late), naming the three waited for longest; the rest are on the
 * organisation's own page. Older ones never received are counted after, said to be older, never added to the window's.
 */
function notReceived(r: Organisation['returns']): string {
  if (!r?.overdue || !r.outstanding) return '–';
  const lines = [
    ...r.overdue.map((l) => ({ ...l, word: 'overdue' })),
    ...r.outstanding.map((l) => ({ ...l, word: 'late' })),
  ];
  const older =
    r.completeness.olderMissing > 0
      ? ` (and ${formatValue(r.completeness.olderMissing, 'COUNT')} older, due before ${longDate(r.completeness.from)})`
      : '';
  if (lines.length === 0) return `None${older}`;
  const worst = [...lines].sort((a, b) => (b.daysLate ?? 0) - (a.daysLate ?? 0)).slice(0, 3);
  const named = worst
    .map(
      (l) =>
        `${l.dataset.replace(/^indicator:/, 'indicator ')} ${l.period}${l.daysLate ? ` (${counted(l.daysLate, 'day')} ${l.word})` : ''}`,
    )
    .join('; ');
  return `${formatValue(lines.length, 'COUNT')}: ${named}${lines.length > 3 ? `; and ${formatValue(lines.length - 3, 'COUNT')} more` : ''}${older}`;
}

/**
 * A cell without a figure, saying why in words (a reader without colour reads the same): "Not reported" (a GOV.UK
 * orange tag: the organisation owes the indicator, it is on its scorecard, and sent no figure, a failure), "Not owed"
 * (quiet: it has not adopted the indicator, so nothing was expected) or "No answer" (its subgraph did not answer, so
 * nobody can say). Null when there is a figure to show.
 */
function emptyCell(o: Organisation, entry: Entry | undefined): Html | null {
  if (o.scorecard === null)
    return html`<td class="govuk-table__cell"><span class="govuk-body-s govuk-!-colour-secondary">No answer</span></td>`;
  if (!entry)
    return html`<td class="govuk-table__cell"><span class="govuk-body-s govuk-!-colour-secondary">Not owed</span></td>`;
  if (!entry.latest)
    return html`<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--orange">Not reported</strong></td>`;
  return null;
}

/** A latest figure's marks (stale, synthetic) as tags, with when the next figure was due if it is stale. */
const marksOf = (entry: Entry) =>
  figureMarks({ synthetic: entry.latest?.synthetic, stale: entry.staleness?.stale });
const staleNote = (entry: Entry) =>
  entry.staleness?.stale
    ? html`<span class="app-signal govuk-body-s">The figure for ${entry.staleness.expectedPeriod} was due by ${longDate(entry.staleness.dueOn)} and is missing</span>`
    : '';

function cell(o: Organisation, entry: Entry | undefined): Html {
  const empty = emptyCell(o, entry);
  if (empty || !entry?.latest) return empty!;
  const { latest } = entry;
  return html`<td class="govuk-table__cell">
    ${ragTag(latest.rag?.status)}${marksOf(entry)}
    <span class="app-signal">${formatValue(latest.value, entry.unit)} <span class="govuk-body-s">(${latest.period})</span></span>
    ${staleNote(entry)}
    ${entry.sincePreviousPeriod ? html`<span class="app-signal govuk-body-s">${capitalised(travelled('previous', entry.sincePreviousPeriod))}</span>` : ''}
    ${entry.sinceYearEarlier ? html`<span class="app-signal govuk-body-s">${capitalised(travelled('year', entry.sinceYearEarlier))}</span>` : ''}
    ${signal(entry)}
  </td>`;
}

/**
 * A cell of a long matrix (organisations as rows): the figure with its RAG and marks on one line, directions and any
 * special cause on the next; "No target" and common cause, which most cells of a kind without targets would repeat,
 * are left unsaid (the organisation's own page says them).
 */
function compactCell(o: Organisation, entry: Entry | undefined): Html {
  const empty = emptyCell(o, entry);
  if (empty || !entry?.latest) return empty!;
  const { latest } = entry;
  const notes = [
    entry.sincePreviousPeriod ? travelled('previous', entry.sincePreviousPeriod) : null,
    entry.sinceYearEarlier ? travelled('year', entry.sinceYearEarlier) : null,
    latest.spc && latest.spc.variation !== 'COMMON_CAUSE'
      ? html`<strong>SPC: ${words(latest.spc.variation)}</strong>`
      : null,
  ].filter((note) => note !== null);
  return html`<td class="govuk-table__cell">
    ${latest.rag ? html`${ragTag(latest.rag.status)} ` : ''}${formatValue(latest.value, entry.unit)} <span class="govuk-body-s">(${latest.period})</span>${marksOf(entry)}
    ${staleNote(entry)}
    ${notes.length > 0 ? html`<span class="app-signal govuk-body-s">${notes.map((note, i) => html`${i > 0 ? '; ' : ''}${i === 0 && typeof note === 'string' ? capitalised(note) : note}`)}</span>` : ''}
  </td>`;
}

const link = (o: Organisation) =>
  html`<a class="govuk-link" href="/organisations/${encodeURIComponent(o.id)}">${o.name}</a>`;
const entryOf = (o: Organisation, code: string) => o.scorecard?.find((e) => e.indicator === code);

/**
 * An organisation owes an indicator it has adopted or defined: the indicator is on its scorecard, with a figure or
 * without one. One whose subgraph did not answer might owe any: nobody can say it does not.
 */
const owes = (o: Organisation, code: string) =>
  o.scorecard === null || entryOf(o, code) !== undefined;

/** The matrix's indicators: the standard ones anyone shown owes, else a kind's own few. */
function matrixIndicators(
  data: OverviewData,
  scope: OverviewScope,
): { code: string; name: string }[] {
  const standard = data.indicatorCatalogue.filter((i) =>
    data.organisations.some((o) => owes(o, i.code)),
  );
  if (standard.length > 0 || !scope.kind) return standard;
  const own = new Map(
    data.organisations.flatMap((o) =>
      (o.scorecard ?? []).map((e) => [e.indicator, e.name] as const),
    ),
  );
  return own.size <= OWN_COLUMNS_UP_TO ? [...own].map(([code, name]) => ({ code, name })) : [];
}

/** How to read a cell, the words of each kind of empty one included. */
const KEY = html`<p class="govuk-body-s">Each cell gives the latest figure with its RAG rating where there is a target, its direction of travel since the previous period and year on year, and its SPC signal. <strong>Not reported</strong>: the organisation owes the indicator (it has adopted it) but has sent no figure. Not owed: it has not adopted the indicator, so no figure is expected. <strong>Stale</strong>: the latest figure is older than the indicator's frequency allows. <strong>Synthetic</strong>: generated for demonstration.</p>`;

/** Organisations left out of the matrix because they owe none of its indicators, named, with where their figures are. */
function notOwing(organisations: Organisation[]): Html | string {
  if (organisations.length === 0) return '';
  const names = organisations.map(
    (o, i) => html`${i === 0 ? '' : i === organisations.length - 1 ? ' and ' : ', '}${link(o)}`,
  );
  return html`<p class="govuk-body">${names} ${organisations.length === 1 ? 'owes' : 'owe'} none of these indicators and ${organisations.length === 1 ? 'is' : 'are'} not shown: ${organisations.length === 1 ? 'its' : 'their'} own indicators are on ${organisations.length === 1 ? 'its page' : 'their pages'}.</p>`;
}

/**
 * A few organisations as columns, indicators down the side (as before); many as rows, so the page grows down, not
 * across. A row or column nobody owes anything in is left out: a line of "Not owed" tells a reader nothing.
 */
function matrix(data: OverviewData, scope: OverviewScope, standard: boolean): Html {
  const byColumn = data.organisations.length <= COLUMNS_UP_TO;
  const indicators = matrixIndicators(data, scope);
  const heading = standard ? 'Standard indicators' : `Indicators of ${kindsName(scope.kind!)}`;
  const caption = standard
    ? 'Latest figure of each standard indicator by organisation'
    : 'Latest figure of each indicator by organisation';
  if (indicators.length === 0) {
    return html`<h2 class="govuk-heading-l" id="matrix">${heading}</h2>
    <p class="govuk-body">None of these organisations owes a standard indicator, and they have too many of their own to set side by side here. <a class="govuk-link" href="/compare">Compare them</a> one indicator at a time, or open an organisation's page.</p>`;
  }
  const owing = data.organisations.filter((o) => indicators.some((i) => owes(o, i.code)));
  const silent = data.organisations.filter((o) => !owing.includes(o));
  if (byColumn) {
    return html`<h2 class="govuk-heading-l" id="matrix">${heading}</h2>
    ${notOwing(silent)}
    ${KEY}
    <div class="app-matrix" role="region" aria-labelledby="matrix" tabindex="0">
      <table class="govuk-table">
        <caption class="govuk-table__caption govuk-table__caption--m">${caption}</caption>
        <thead class="govuk-table__head"><tr class="govuk-table__row">
          <th scope="col" class="govuk-table__header">Indicator</th>
          ${owing.map((o) => html`<th scope="col" class="govuk-table__header">${link(o)}</th>`)}
        </tr></thead>
        <tbody class="govuk-table__body">
          ${indicators.map(
            (indicator) => html`<tr class="govuk-table__row">
              <th scope="row" class="govuk-table__header">${indicator.name}</th>
              ${owing.map((o) => cell(o, entryOf(o, indicator.code)))}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
  const byKind = [...new Set(silent.map((o) => o.kind))].map((kind) =>
    kindName(kind, silent.filter((o) => o.kind === kind).length),
  );
  return html`<h2 class="govuk-heading-l" id="matrix">${heading}</h2>
    ${silent.length > 0 ? html`<p class="govuk-body">${counted(owing.length, 'organisation')} of ${formatValue(data.organisations.length, 'COUNT')} ${owing.length === 1 ? 'owes' : 'owe'} at least one of these indicators and ${owing.length === 1 ? 'is' : 'are'} listed below. The other ${counted(silent.length, 'organisation')} (${byKind.join(', ')}) owe none: <a class="govuk-link" href="/compare">compare them</a> on their own indicators.</p>` : ''}
    ${KEY}
    <div class="app-matrix" role="region" aria-labelledby="matrix" tabindex="0">
      <table class="govuk-table app-matrix--rows">
        <caption class="govuk-table__caption govuk-table__caption--m">${caption}</caption>
        <thead class="govuk-table__head"><tr class="govuk-table__row">
          <th scope="col" class="govuk-table__header">Organisation</th>
          ${indicators.map((i) => html`<th scope="col" class="govuk-table__header">${i.name}</th>`)}
        </tr></thead>
        <tbody class="govuk-table__body">
          ${owing.map(
            (o) => html`<tr class="govuk-table__row">
              <th scope="row" class="govuk-table__header">${link(o)}${scope.kind ? '' : html`<span class="app-signal govuk-body-s">${capitalised(kindName(o.kind))}</span>`}</th>
              ${indicators.map((i) => compactCell(o, entryOf(o, i.code)))}
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
  const numeric = (n: number | undefined) =>
    html`<td class="govuk-table__cell govuk-table__cell--numeric">${n === undefined ? '–' : formatValue(n, 'COUNT')}</td>`;
  return html`<div class="app-scroll" role="region" aria-label="Returns received against returns expected, by organisation" tabindex="0"><table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">Returns received against returns expected, by organisation${published > 0 ? html`<span class="govuk-caption-m">${formatValue(published, 'COUNT')} ${published === 1 ? 'organisation whose figures are' : 'organisations whose figures are'} imported from published data sets ${published === 1 ? 'owes' : 'owe'} no returns and ${published === 1 ? 'is' : 'are'} not listed.</span>` : ''}</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row">
        <th scope="col" class="govuk-table__header">Organisation</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Expected</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Received</th>
        <th scope="col" class="govuk-table__header govuk-table__header--numeric">of which late</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Late, not yet received</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Missing</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Complete</th>${withOverdue ? html`<th scope="col" class="govuk-table__header">Not yet received</th>` : ''}
      </tr></thead>
      <tbody class="govuk-table__body">
        ${organisations.map((o) => {
          const c = o.returns?.completeness;
          return html`<tr class="govuk-table__row">
            <th scope="row" class="govuk-table__header">${link(o)}</th>
            ${numeric(c?.expected)}${numeric(c?.received)}${numeric(c?.late)}${numeric(c?.outstanding)}${numeric(c?.missing)}
            <td class="govuk-table__cell govuk-table__cell--numeric">${c?.ratio === null || c?.ratio === undefined ? '–' : `${Math.round(c.ratio * 100)}%`}</td>
            ${withOverdue ? html`<td class="govuk-table__cell">${notReceived(o.returns)}</td>` : ''}
          </tr>`;
        })}
      </tbody>
    </table></div>`;
}

/** The window every organisation's figures count, as their subgraphs gave it; null when none answered. */
function windowOf(organisations: Organisation[]): { from: string; to: string } | null {
  const c = organisations.find((o) => o.returns?.chased)?.returns?.completeness;
  return c ? { from: c.from, to: c.to } : null;
}

function returnsSection(data: OverviewData, scope: OverviewScope): Html {
  const organisations = data.organisations;
  const asked = organisations.some((o) => o.returns !== undefined);
  if (!asked) {
    return html`<h2 class="govuk-heading-l" id="returns">Completeness of returns</h2>
    <p class="govuk-body">Returns are shown for one kind of organisation at a time: working out all ${formatValue(organisations.length, 'COUNT')} organisations' returns takes several seconds. Choose a kind above.</p>`;
  }
  const withOverdue = organisations.some((o) => o.returns?.overdue !== undefined);
  const window = windowOf(organisations);
  return html`<h2 class="govuk-heading-l" id="returns">Completeness of returns</h2>
    <p class="govuk-body" id="returns-rule">${window ? `Every figure${withOverdue ? ' and list' : ''} counts the returns due from ${longDate(window.from)} to ${longDate(window.to)} (the last 365 days); older returns never received are counted apart. ` : ''}A return is due at its period's end plus 30 days (monthly), 45 (quarterly) or 90 (annual). Not received by then, it is late for as many days again, then missing. The quarterly milestone return is owed only while one of the organisation's programmes has a milestone not yet done. An organisation whose figures come from a data set that has ended (a historical extract) shows every return in the window as missing.${!withOverdue && scope.kind ? " Each organisation's own page names the returns it has not sent." : ''}</p>
    ${returnsTable(organisations, withOverdue)}`;
}

/**
 * Every indicator that is an exception, one row each with every rule that holds for it, most severe first
 * (exception-ranking.ts): who is furthest behind now heads the table.
 */
function exceptionsSection(organisations: Organisation[]): Html {
  const rows = rankExceptions(
    organisations.flatMap((o) =>
      (o.scorecard ?? [])
        .filter((e) => e.exceptions.length > 0)
        .map((e) => ({
          organisation: o.name,
          indicator: e.name,
          rules: e.exceptions.map((x) => x.rule),
          stale: e.staleness?.stale ?? false,
          rag: e.latest?.rag ?? null,
          owner: o,
          entry: e,
        })),
    ),
  );
  if (rows.length === 0)
    return html`<h2 class="govuk-heading-l" id="exceptions">Exceptions</h2><p class="govuk-body">No indicator is an exception.</p>`;
  const count = rows.reduce((n, r) => n + r.rules.length, 0);
  const bySeverity = (e: Entry) =>
    [...e.exceptions].sort((a, b) => ruleRank(a.rule) - ruleRank(b.rule));
  return html`<h2 class="govuk-heading-l" id="exceptions">Exceptions</h2>
    <p class="govuk-body">An indicator is an exception when its latest figure is Red, when it has worsened in each of the latest three periods, or when it has been Amber in each of them. ${RANKING_SENTENCE}</p>
    <div class="app-matrix" role="region" aria-labelledby="exceptions" tabindex="0">
    <table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">${formatValue(count, 'COUNT')} ${count === 1 ? 'exception' : 'exceptions'} on ${counted(rows.length, 'indicator')}, most severe first</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Organisation</th><th scope="col" class="govuk-table__header">Indicator</th><th scope="col" class="govuk-table__header">Latest</th><th scope="col" class="govuk-table__header">Why</th></tr></thead>
      <tbody class="govuk-table__body">
        ${rows.map(
          ({ owner, entry }) => html`<tr class="govuk-table__row">
            <td class="govuk-table__cell">${link(owner)}</td>
            <td class="govuk-table__cell">${entry.name}</td>
            <td class="govuk-table__cell">${ragTag(entry.latest?.rag?.status)}${marksOf(entry)}<span class="app-signal">${formatValue(entry.latest?.value, entry.unit)}${entry.latest ? html` <span class="govuk-body-s">(${entry.latest.period})</span>` : ''}</span></td>
            <td class="govuk-table__cell">${bySeverity(entry).map((x, i) => html`${i > 0 ? ' ' : ''}${x.description}`)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    </div>`;
}

/** Organisations by standard indicator (RAG in words and colour, direction, SPC), exceptions, returns. */
export function renderOverview(
  data: OverviewData,
  scope: OverviewScope = { kind: null, shape: null },
): string {
  const organisations = data.organisations;
  const missing = organisations.filter((o) => o.scorecard === null || o.returns === null);
  const unreadable = organisations.flatMap((o) =>
    (o.scorecard ?? []).flatMap((e) =>
      (e.unreadable ?? []).map((u) => ({ organisation: o.name, indicator: e.name, ...u })),
    ),
  );
  const standard =
    !scope.kind ||
    data.organisations.some((o) =>
      data.indicatorCatalogue.some((i) => entryOf(o, i.code) !== undefined),
    );
  const total = scope.shape
    ? [...scope.shape.kinds.values()].reduce((a, b) => a + b, 0)
    : organisations.length;
  const body = html`
    <h1 class="govuk-heading-xl">Performance across government</h1>
    <p class="govuk-body-l">Every organisation judged by the same rules on the standard indicators: RAG against target, direction of travel and statistical signals.</p>
    ${scopeForm(scope)}
    ${scope.kind ? html`<p class="govuk-body" id="scope">Showing ${kindName(scope.kind, organisations.length)} of ${counted(total, 'organisation')}, with their own indicators as well as the standard ones. <a class="govuk-link" href="/">Show all organisations</a>.</p>` : ''}
    ${missing.length > 0 ? html`<div class="govuk-warning-text" data-missing-organisations="${missing.map((o) => o.id).join(' ')}"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> No answer from ${missing.map((o) => o.name).join(', ')}: their figures are missing below.</strong></div>` : ''}
    ${unreadableList(unreadable, 'unreadable')}
    ${matrix(data, scope, standard)}

    ${exceptionsSection(organisations)}

    ${returnsSection(data, scope)}`;
  return page({
    title: scope.kind ? `Overview: ${kindsName(scope.kind)}` : 'Overview',
    section: 'overview',
    body,
    query: OVERVIEW_QUERY,
  });
}
