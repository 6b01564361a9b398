import { ORGANISATION_KIND_WORDS } from '@crossgov/schema';
import { type ChartUnit, formatNumber } from './charts/svg.ts';
import { type Html, html } from './html.ts';

export type Section = 'overview' | 'organisations' | 'strategy' | 'compare';

const NAVIGATION: { section: Section; href: string; label: string }[] = [
  { section: 'overview', href: '/', label: 'Overview' },
  { section: 'strategy', href: '/strategy', label: 'Strategy' },
  { section: 'compare', href: '/compare', label: 'Compare' },
];

/** The GOV.UK page template: skip link, header, service navigation, main landmark, footer. */
export function page(options: {
  title: string;
  section: Section;
  body: Html;
  query?: string;
}): string {
  return html`<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
  <meta charset="utf-8">
  <title>${options.title} – Crossgov</title>
  <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
  <meta name="theme-color" content="#0b0c0c">
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/assets/govuk-frontend.min.css">
  <link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body class="govuk-template__body">
  <a href="#main-content" class="govuk-skip-link">Skip to main content</a>
  <header class="govuk-header" data-module="govuk-header">
    <div class="govuk-header__container govuk-width-container">
      <div class="govuk-header__logo"><a href="/" class="govuk-header__link govuk-header__link--homepage"><span class="govuk-header__logotype-text">Crossgov</span></a></div>
      <div class="govuk-header__content"><span class="govuk-header__service-name">Cross-government performance</span></div>
    </div>
  </header>
  <section class="govuk-service-navigation" aria-label="Service information">
    <div class="govuk-width-container">
      <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
        <ul class="govuk-service-navigation__list">
          ${NAVIGATION.map(
            (
              item,
            ) => html`<li class="govuk-service-navigation__item${item.section === options.section ? ' govuk-service-navigation__item--active' : ''}">
            <a class="govuk-service-navigation__link" href="${item.href}"${item.section === options.section ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
          )}
        </ul>
      </nav>
    </div>
  </section>
  <div class="govuk-width-container">
    <main class="govuk-main-wrapper" id="main-content">
      ${options.body}
      ${options.query ? html`<details class="govuk-details govuk-!-margin-top-8"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">The GraphQL query behind this page</span></summary><div class="govuk-details__text"><pre class="app-query"><code>${options.query.trim()}</code></pre></div></details>` : ''}
    </main>
  </div>
  <footer class="govuk-footer">
    <div class="govuk-width-container"><p class="govuk-footer__meta-custom govuk-body-s">Every figure is read through the public GraphQL API at <a class="govuk-footer__link" href="/graphql">/graphql</a>. Figures marked synthetic were generated for demonstration.</p></div>
  </footer>
</body>
</html>`.text;
}

const MAIN_OPEN = '<main class="govuk-main-wrapper" id="main-content">';

/**
 * A page of `page()` with a notice first in its main content, before the heading, where GOV.UK
 * places a notification banner: for what the route knows of the answer and the page does not.
 */
export function withNotice(document: string, notice: Html | string): string {
  return notice === ''
    ? document
    : document.replace(MAIN_OPEN, () => `${MAIN_OPEN}\n      ${notice}`);
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A moment as GOV.UK writes one: "2:05pm UTC on 21 November 2026". */
function moment(iso: string): string {
  const d = new Date(iso);
  const hours = d.getUTCHours();
  return `${hours % 12 || 12}:${String(d.getUTCMinutes()).padStart(2, '0')}${hours < 12 ? 'am' : 'pm'} UTC on ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/**
 * Says which parts of the page are a subgraph's last good answer, and from when (the gateway's
 * `extensions.stale`): a GOV.UK "important" notification banner, since the whole page is affected.
 */
export function staleNotice(
  stale: readonly { subgraph: string; asOf: string }[] | undefined,
): Html | string {
  if (!stale?.length) return '';
  const said = (s: { subgraph: string; asOf: string }) =>
    s.subgraph === 'directory'
      ? html`The directory of organisations could not be reached; organisations and memberships are as of <time datetime="${s.asOf}">${moment(s.asOf)}</time>.`
      : html`Subgraph ${s.subgraph} could not be reached; what it gives is as of <time datetime="${s.asOf}">${moment(s.asOf)}</time>.`;
  return html`<div class="govuk-notification-banner" role="region" aria-labelledby="stale-title" data-module="govuk-notification-banner" id="stale">
        <div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="stale-title">Important</h2></div>
        <div class="govuk-notification-banner__content">${stale.map((s) => html`<p class="govuk-notification-banner__heading">${said(s)}</p>`)}</div>
      </div>`;
}

/** A RAG status as a GOV.UK tag: the word is always there, the colour only repeats it. */
export function ragTag(status: string | null | undefined): Html {
  if (!status) return html`<strong class="govuk-tag govuk-tag--grey">No target</strong>`;
  const colour = status === 'GREEN' ? 'green' : status === 'AMBER' ? 'yellow' : 'red';
  return html`<strong class="govuk-tag govuk-tag--${colour}">${status[0]}${status.slice(1).toLowerCase()}</strong>`;
}

/**
 * What a reader must know before trusting a figure, as grey GOV.UK tags beside it, the word always there: "Synthetic"
 * (generated for demonstration: the measurement's or indicator's `synthetic`) and "Stale" (older than its cadence
 * allows: the scorecard's `staleness.stale`). Empty when neither holds. Every page that shows a figure marks it so.
 */
export function figureMarks(marks: {
  synthetic?: boolean | null;
  stale?: boolean | null;
}): Html | string {
  if (!marks.synthetic && !marks.stale) return '';
  // A space before each tag, as between words: without one, a screen reader and the page's text read "GreenStaleSynthetic".
  return html`${marks.stale ? html` <strong class="govuk-tag govuk-tag--grey app-mark">Stale</strong>` : ''}${marks.synthetic ? html` <strong class="govuk-tag govuk-tag--grey app-mark">Synthetic</strong>` : ''}`;
}

/** SpcSignal or SpcVariation enum values as words. */
export const words = (value: string | null | undefined) =>
  value ? value.toLowerCase().replace(/_/g, ' ') : '';

/**
 * A direction of travel with its comparison named, so a reader never takes a year-on-year fall for last month's:
 * "since previous period (2026-08): improving", "year on year (2025-09): worsening" (`capitalised` where it opens a line).
 */
export function travelled(
  comparison: 'previous' | 'year',
  travel: { direction: string; comparedWith: string },
): string {
  return `${comparison === 'previous' ? 'since previous period' : 'year on year'} (${travel.comparedWith}): ${words(travel.direction)}`;
}

/** A figure as the charts write it (one formatter for tables and charts), or a dash for none. */
export function formatValue(value: number | null | undefined, unit: string): string {
  return value === null || value === undefined ? '–' : formatNumber(value, unit as ChartUnit);
}

/** A stored figure a publisher left out because it breaks the value rules (UnreadableFigure in the API). */
export interface Unreadable {
  period: string;
  serviceId: string | null;
  department: string | null;
  field: string;
  value: string;
  rule: string;
}

/** At most this many are listed on a page; the rest are counted, and each organisation's own page lists its own. */
const UNREADABLE_SHOWN = 20;

/**
 * Figures left out of the page because they could not be read, each naming its organisation, indicator and period
 * with the rule it breaks: the page shows everything else, and says what it could not show.
 */
export function unreadableList(
  figures: (Unreadable & { organisation: string; indicator: string })[],
  id?: string,
): Html | string {
  if (figures.length === 0) return '';
  const shown = figures.slice(0, UNREADABLE_SHOWN);
  const what = (u: Unreadable) =>
    u.field === 'target'
      ? `target from ${u.period}`
      : `${u.period}${u.serviceId ? ` (service ${u.serviceId})` : u.department ? ` (department ${u.department})` : ''}`;
  return html`<div class="govuk-warning-text app-unreadable"${id ? html` id="${id}"` : ''}><span class="govuk-warning-text__icon" aria-hidden="true">!</span><div class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>
    <strong>${figures.length === 1 ? '1 stored figure could not be read' : `${figures.length} stored figures could not be read`} and ${figures.length === 1 ? 'is' : 'are'} left out; everything else is shown.</strong>
    <ul class="govuk-list govuk-list--bullet govuk-!-margin-top-2">${shown.map((u) => html`<li>${u.organisation}, ${u.indicator}, ${what(u)}: ${u.field} ${u.value} ${u.rule}.</li>`)}${figures.length > shown.length ? html`<li>and ${figures.length - shown.length} more, listed on each organisation's page.</li>` : ''}</ul>
  </div></div>`;
}

/** A kind's words from the one table of kinds; a kind it does not know (a newer graph's) is written from its enum value. */
const kindWords = (kind: string): { one: string; many: string } =>
  (ORGANISATION_KIND_WORDS as Partial<Record<string, { one: string; many: string }>>)[kind] ?? {
    one: words(kind),
    many: `${words(kind)}s`,
  };

/** A kind of organisation in words, "NHS trust" or "3 NHS trusts". */
export function kindName(kind: string, count?: number): string {
  const { one, many } = kindWords(kind);
  return count === undefined ? one : `${formatValue(count, 'COUNT')} ${count === 1 ? one : many}`;
}

/** A kind of organisation in the plural: "NHS trusts". */
export const kindsName = (kind: string) => kindWords(kind).many;

/** "1 organisation", "346 organisations". */
export const counted = (count: number, one: string, many = `${one}s`) =>
  `${formatValue(count, 'COUNT')} ${count === 1 ? one : many}`;

/** An ISO date as GOV.UK writes one: "31 March 2023"; anything else as it came. */
export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? ''} ${m[1]}` : iso;
}

/** Capitalises the first letter, for a kind or a rating that opens a sentence or a cell. */
export const capitalised = (text: string) => text.replace(/^./, (c) => c.toUpperCase());

/** A query-string value as one trimmed string, or null (absent, empty, or given twice). */
export const queryText = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() ? value.trim() : null;
