import { dayOf, duration, milestoneTimeline } from '../charts/milestone-timeline.ts';
import { type Html, html, raw } from '../html.ts';
import { capitalised, counted, formatValue, kindName, longDate, page, words } from '../layout.ts';

// An organisation's progress and the roll-up share these fields but no GraphQL interface, so no fragment can name both.
const FIGURES =
  'milestones milestonesDue milestonesDone milestonesLate medianSlippageDays expectedReturns receivedReturns lateReturns outstandingReturns missingReturns completeness completenessRule';

// The strategy's own bodies (clusters, supporting programmes) are shown in full. Every other kind's programmes (a
// department's Government Major Projects Portfolio projects: hundreds of them over ten annual publications) are
// summarised by organisation from their delivery confidence changes and completion-date forecasts, and shown in full
// one organisation at a time (?organisation=), so the page stays small whatever the portfolio holds.
export const STRATEGY_QUERY = `query Strategy($organisation: ID! = "", $one: Boolean! = false) {
  clusters: organisations(kind: CLUSTER) @skip(if: $one) { id name kind programmes { ...Programme } }
  supporting: organisations(kind: SUPPORTING_PROGRAMME) @skip(if: $one) { id name kind programmes { ...Programme } }
  departments: organisations(kind: DEPARTMENT) @skip(if: $one) { id name kind programmes { ...Published } }
  authorities: organisations(kind: LOCAL_AUTHORITY) @skip(if: $one) { id name kind programmes { ...Published } }
  trusts: organisations(kind: NHS_TRUST) @skip(if: $one) { id name kind programmes { ...Published } }
  government @skip(if: $one) { progress { asOf organisations { organisationId organisationName ${FIGURES} latestConfidence confidenceAssessedOn confidenceChange answered } overall { ${FIGURES} } } }
  chosen: organisation(id: $organisation) @include(if: $one) {
    id name kind
    programmes { ...Programme ...Published category publications { asAt name department wholeLifeCost } }
  }
}
fragment Programme on Programme {
  id name seniorResponsibleOwner
  latestConfidence { latest { rating assessor assessedOn { label } } change }
  confidenceHistory { assessor scale rating assessedOn { date label } sourceNote }
  milestones { id title baseline { date label } forecast { date label } actual { date label } slippage { description days } status statusRule }
}
fragment Published on Programme {
  id name
  publications { asAt }
  latestConfidence { ...Change }
  latestSroConfidence { ...Change }
  milestones { forecastHistory { returnDate forecast { date label } } }
}
fragment Change on DeliveryConfidence { latest { assessor rating assessedOn { date label } } previous { rating assessedOn { date label } } change }`;

/** The query's variables: one organisation's programmes in full, or the strategy's in full and everyone else's summarised. */
export function strategyVariables(organisation: string | null): Record<string, unknown> {
  return organisation ? { organisation, one: true } : {};
}

type Dated = { date: string; label: string } | null;

interface Change {
  latest: { assessor: string; rating: string; assessedOn: { date: string; label: string } };
  previous: { rating: string; assessedOn: { date: string; label: string } } | null;
  change: string;
}

interface Programme {
  id: string;
  name: string;
  seniorResponsibleOwner?: string | null;
  category?: string | null;
  publications?: {
    asAt: string;
    name?: string;
    department?: string;
    wholeLifeCost?: number | null;
  }[];
  latestConfidence: (Change & { latest: { label?: string } }) | null;
  latestSroConfidence?: Change | null;
  confidenceHistory?: {
    assessor: string;
    scale: string;
    rating: string;
    assessedOn: { date: string; label: string };
    sourceNote: string | null;
  }[];
  milestones: {
    id?: string;
    title?: string;
    baseline?: Dated;
    forecast?: Dated;
    actual?: Dated;
    slippage?: { description: string; days: number } | null;
    status?: string;
    statusRule?: string;
    forecastHistory?: { returnDate: string; forecast: { date: string; label: string } }[];
  }[];
}

interface Organisation {
  id: string;
  name: string;
  kind: string;
  programmes: Programme[] | null;
}

/** The figures government.progress computes the same way for an organisation and for the whole strategy. */
interface Figures {
  milestones: number;
  milestonesDue: number;
  milestonesDone: number;
  milestonesLate: number;
  medianSlippageDays: number | null;
  expectedReturns: number;
  receivedReturns: number;
  lateReturns: number;
  outstandingReturns: number;
  missingReturns: number;
  completeness: number | null;
  completenessRule: string | null;
}

interface Progress {
  asOf: string;
  organisations: (Figures & {
    organisationId: string;
    organisationName: string;
    latestConfidence: string | null;
    confidenceAssessedOn: string | null;
    confidenceChange: string | null;
    answered: boolean;
  })[];
  overall: Figures;
}

export interface StrategyData {
  /** The strategy's summary; absent from answers to one organisation's query, null when insights did not answer. */
  government?: { progress: Progress | null } | null;
  clusters?: Organisation[];
  supporting?: Organisation[];
  departments?: Organisation[];
  authorities?: Organisation[];
  trusts?: Organisation[];
  /** The one organisation asked for (?organisation=); null when there is none. */
  chosen?: Organisation | null;
  /** The answer to the query this page sent before it summarised other kinds: every organisation, in full. */
  organisations?: Organisation[];
}

const anchor = (id: string) => id.replace(/[^a-zA-Z0-9-]/g, '-');
const RATING_ORDER = ['RED', 'AMBER_RED', 'AMBER', 'AMBER_GREEN', 'GREEN', 'EXEMPT', 'RESET'];

/** A rating in words, "Amber/Red" (the GMPP's own way of writing the five-point scale). */
const ratingWords = (rating: string) =>
  capitalised(words(rating)).replace(/ (\w)/, (_, c: string) => `/${c.toUpperCase()}`);

/** Delivery confidence as a tag: words first, colour repeating them (the organisation page's programmes use it too). */
export function confidenceTag(rating: string, suffix = ''): Html {
  const colour = rating.startsWith('GREEN')
    ? 'green'
    : rating.startsWith('AMBER')
      ? 'yellow'
      : rating.startsWith('RED')
        ? 'red'
        : 'grey';
  // A line may break after the slash ("Amber/" "Green"), so a narrow column of publications need not be wider.
  const [first, ...rest] = ratingWords(rating).split('/');
  return html`<strong class="govuk-tag govuk-tag--${colour}">${first}${rest.map((part) => html`/<wbr>${part}`)}${suffix}</strong>`;
}

function programme(organisation: { name: string }, p: Programme, today: string): Html {
  const id = `programme-${anchor(p.id)}`;
  return html`<section class="govuk-!-margin-bottom-9" aria-labelledby="${id}">
    <span class="govuk-caption-l">${organisation.name}</span>
    <h2 class="govuk-heading-l" id="${id}">${p.name}</h2>
    <dl class="govuk-summary-list">
      ${p.seniorResponsibleOwner ? html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Senior responsible owner</dt><dd class="govuk-summary-list__value">${p.seniorResponsibleOwner}</dd></div>` : ''}
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Delivery confidence</dt><dd class="govuk-summary-list__value">${p.latestConfidence ? html`${confidenceTag(p.latestConfidence.latest.rating)} from the ${p.latestConfidence.latest.assessor}, ${p.latestConfidence.latest.assessedOn.label} (${words(p.latestConfidence.change)})` : 'Not assessed'}</dd></div>
    </dl>
    ${
      p.milestones.length > 0
        ? html`<div class="app-chart">${raw(
            milestoneTimeline({
              id: `${id}-timeline`,
              title: `${p.name}: milestones, baseline against forecast and actual`,
              today,
              milestones: p.milestones.map((m) => ({
                title: m.title ?? '',
                baseline: m.baseline?.date ?? null,
                forecast: m.forecast?.date ?? null,
                actual: m.actual?.date ?? null,
                status: m.status ?? '',
                slippageDescription: m.slippage?.description ?? null,
              })),
            }),
          )}</div>
        <div class="app-scroll" role="region" aria-label="Milestones of ${p.name}" tabindex="0"><table class="govuk-table">
          <caption class="govuk-table__caption govuk-table__caption--m">Milestones of ${p.name}</caption>
          <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Milestone</th><th scope="col" class="govuk-table__header">Baseline</th><th scope="col" class="govuk-table__header">Forecast</th><th scope="col" class="govuk-table__header">Actual</th><th scope="col" class="govuk-table__header">Slippage</th><th scope="col" class="govuk-table__header">Status</th></tr></thead>
          <tbody class="govuk-table__body">${p.milestones.map(
            (m) =>
              html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${m.title}</th><td class="govuk-table__cell">${m.baseline?.label ?? '–'}</td><td class="govuk-table__cell">${m.forecast?.label ?? '–'}</td><td class="govuk-table__cell">${m.actual?.label ?? '–'}</td><td class="govuk-table__cell">${m.slippage?.description ?? '–'}</td><td class="govuk-table__cell">${words(m.status)}</td></tr>`,
          )}</tbody>
        </table></div>`
        : html`<p class="govuk-body">No milestones are published for this programme.</p>`
    }
    <div class="app-scroll" role="region" aria-label="Delivery confidence history of ${p.name}" tabindex="0"><table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">Delivery confidence history of ${p.name}</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Assessed</th><th scope="col" class="govuk-table__header">By</th><th scope="col" class="govuk-table__header">Rating</th><th scope="col" class="govuk-table__header">Scale</th><th scope="col" class="govuk-table__header">Source</th></tr></thead>
      <tbody class="govuk-table__body">${
        (p.confidenceHistory ?? []).length === 0
          ? html`<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="5">No assessment recorded.</td></tr>`
          : [...p.confidenceHistory!]
              .sort((a, b) => a.assessedOn.date.localeCompare(b.assessedOn.date))
              .map(
                (a) =>
                  html`<tr class="govuk-table__row"><td class="govuk-table__cell">${a.assessedOn.label}</td><td class="govuk-table__cell">${a.assessor}</td><td class="govuk-table__cell">${confidenceTag(a.rating)}</td><td class="govuk-table__cell">${words(a.scale)}</td><td class="govuk-table__cell">${a.sourceNote ?? ''}</td></tr>`,
              )
      }</tbody>
    </table></div>
  </section>`;
}

// ---- Published programmes (the GMPP): what each publication said, and what changed in the latest one ----

const published = (p: Programme) => (p.publications?.length ?? 0) > 0;

/** The date of the latest publication any of these programmes appears in. */
function latestPublication(programmes: Programme[]): string | null {
  return programmes
    .flatMap((p) => p.publications ?? [])
    .reduce<string | null>(
      (latest, { asAt }) => (latest === null || asAt > latest ? asAt : latest),
      null,
    );
}

const inPublication = (p: Programme, asAt: string | null) =>
  asAt !== null && (p.publications ?? []).some((x) => x.asAt === asAt);

/** The assessment a publication gave it (the IPA's when it gave one, else the senior responsible owner's), with its change since that assessor's previous. */
function changeAt(p: Programme, asAt: string): Change | null {
  return (
    [p.latestConfidence, p.latestSroConfidence].find(
      (c): c is Change => !!c && c.latest.assessedOn.date === asAt,
    ) ?? null
  );
}

/** The completion date (a programme's last milestone, the GMPP's "End") as each publication forecast it, oldest first. */
function endDates(p: Programme): { asAt: string; date: string; label: string }[] {
  const end = p.milestones.at(-1);
  return [...(end?.forecastHistory ?? [])]
    .sort((a, b) => a.returnDate.localeCompare(b.returnDate))
    .map((s) => ({ asAt: s.returnDate, date: s.forecast.date, label: s.forecast.label }));
}

/** How far the completion date moved in a publication against the one before that forecast it; null when either is missing. */
function endMoveAt(
  p: Programme,
  asAt: string,
): { from: { asAt: string; label: string }; to: { label: string }; days: number } | null {
  const dates = endDates(p);
  const i = dates.findIndex((d) => d.asAt === asAt);
  const [before, now] = [dates[i - 1], dates[i]];
  if (i < 1 || !before || !now) return null;
  const [a, b] = [dayOf(before.date), dayOf(now.date)];
  return a === null || b === null ? null : { from: before, to: now, days: b - a };
}

/** How far a date moved, in words: "about 4 months later", "about 3 years earlier" (a span of years is not read well in months). */
function moved(days: number): string {
  if (days === 0) return 'unchanged';
  const years = Math.abs(days) / 365.25;
  const span = years >= 2 ? `about ${Math.round(years)} years` : duration(Math.abs(days));
  return `${span} ${days > 0 ? 'later' : 'earlier'}`;
}

const SHORT_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
/** A date as a short month and year, "Dec 2026", for a narrow column; anything else as it came. */
function monthYear(iso: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(iso);
  return m ? `${SHORT_MONTHS[Number(m[2]) - 1] ?? ''} ${m[1]}` : iso;
}

interface Worsened {
  organisation: Organisation;
  programme: Programme;
  change: Change;
}

function worsenedIn(organisations: Organisation[], asAt: string): Worsened[] {
  return organisations.flatMap((o) =>
    (o.programmes ?? []).flatMap((p) => {
      const change = changeAt(p, asAt);
      return change?.change === 'WORSENED' ? [{ organisation: o, programme: p, change }] : [];
    }),
  );
}

function worsenedTable(rows: Worsened[], asAt: string, withOrganisation: boolean): Html {
  if (rows.length === 0)
    return html`<p class="govuk-body">No project's delivery confidence worsened in the publication as at ${longDate(asAt)}.</p>`;
  return html`<div class="app-scroll" role="region" aria-label="Projects whose delivery confidence worsened" tabindex="0"><table class="govuk-table" id="worsened">
    <caption class="govuk-table__caption govuk-table__caption--m">${counted(rows.length, 'project')} whose delivery confidence worsened in the publication as at ${longDate(asAt)}</caption>
    <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Project</th>${withOrganisation ? html`<th scope="col" class="govuk-table__header">Department</th>` : ''}<th scope="col" class="govuk-table__header">Before</th><th scope="col" class="govuk-table__header">Now</th><th scope="col" class="govuk-table__header">Assessed by</th></tr></thead>
    <tbody class="govuk-table__body">${rows.map(
      ({ organisation, programme: p, change }) => html`<tr class="govuk-table__row">
        <th scope="row" class="govuk-table__header">${p.name}</th>
        ${withOrganisation ? html`<td class="govuk-table__cell"><a class="govuk-link" href="/strategy?organisation=${encodeURIComponent(organisation.id)}">${organisation.name}</a></td>` : ''}
        <td class="govuk-table__cell">${change.previous ? html`${confidenceTag(change.previous.rating)} <span class="app-signal govuk-body-s">${longDate(change.previous.assessedOn.label)}</span>` : '–'}</td>
        <td class="govuk-table__cell">${confidenceTag(change.latest.rating)}</td>
        <td class="govuk-table__cell">${change.latest.assessor === 'SRO' ? 'Senior responsible owner' : change.latest.assessor}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

/** The completion dates that moved furthest later in the latest publication, across organisations. */
function slippedTable(organisations: Organisation[], asAt: string, shown: number): Html {
  const rows = organisations
    .flatMap((o) => (o.programmes ?? []).map((p) => ({ o, p, move: endMoveAt(p, asAt) })))
    .filter((r) => r.move !== null && r.move.days > 0)
    .sort((a, b) => b.move!.days - a.move!.days);
  if (rows.length === 0)
    return html`<p class="govuk-body">No project's completion date moved later in the publication as at ${longDate(asAt)}.</p>`;
  return html`<div class="app-scroll" role="region" aria-label="Completion dates that moved later" tabindex="0"><table class="govuk-table" id="slipped">
    <caption class="govuk-table__caption govuk-table__caption--m">Completion dates that moved later in the publication as at ${longDate(asAt)}: ${rows.length > shown ? `the ${shown} that moved furthest of ${rows.length}` : counted(rows.length, 'project')}</caption>
    <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Project</th><th scope="col" class="govuk-table__header">Department</th><th scope="col" class="govuk-table__header">Before</th><th scope="col" class="govuk-table__header">Now</th><th scope="col" class="govuk-table__header">Moved</th></tr></thead>
    <tbody class="govuk-table__body">${rows.slice(0, shown).map(
      ({ o, p, move }) => html`<tr class="govuk-table__row">
        <th scope="row" class="govuk-table__header">${p.name}</th>
        <td class="govuk-table__cell"><a class="govuk-link" href="/strategy?organisation=${encodeURIComponent(o.id)}">${o.name}</a></td>
        <td class="govuk-table__cell">${longDate(move!.from.label)} <span class="app-signal govuk-body-s">as at ${longDate(move!.from.asAt)}</span></td>
        <td class="govuk-table__cell">${longDate(move!.to.label)}</td>
        <td class="govuk-table__cell">${moved(move!.days)}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

/** Counts of each rating, worst first: "Red 2, Amber 10". */
function ratingCounts(ratings: string[]): Html | string {
  if (ratings.length === 0) return '–';
  const counts = RATING_ORDER.map(
    (r) => [r, ratings.filter((x) => x === r).length] as const,
  ).filter(([, n]) => n > 0);
  return html`<ul class="govuk-list app-ratings">${counts.map(([r, n]) => html`<li>${confidenceTag(r)} ${n}</li>`)}</ul>`;
}

/** One row per organisation with programmes: how many, their ratings in the latest publication, how many worsened and slipped. */
function portfolioTable(organisations: Organisation[], asAt: string | null): Html {
  const rows = organisations.filter((o) => (o.programmes?.length ?? 0) > 0);
  return html`<div class="app-scroll" role="region" aria-label="Projects by department" tabindex="0"><table class="govuk-table" id="portfolio">
    <caption class="govuk-table__caption govuk-table__caption--m">Projects by department${asAt ? `, and what the publication as at ${longDate(asAt)} said of them` : ''}</caption>
    <thead class="govuk-table__head"><tr class="govuk-table__row">
      <th scope="col" class="govuk-table__header">Department</th>
      <th scope="col" class="govuk-table__header govuk-table__header--numeric">Projects ever</th>
      <th scope="col" class="govuk-table__header govuk-table__header--numeric">In the latest publication</th>
      <th scope="col" class="govuk-table__header">Delivery confidence then</th>
      <th scope="col" class="govuk-table__header govuk-table__header--numeric">Worsened</th>
      <th scope="col" class="govuk-table__header govuk-table__header--numeric">Completion later</th>
    </tr></thead>
    <tbody class="govuk-table__body">${rows.map((o) => {
      const programmes = o.programmes!;
      const current = programmes.filter((p) => inPublication(p, asAt));
      const changes = asAt
        ? current.map((p) => changeAt(p, asAt)).filter((c): c is Change => c !== null)
        : [];
      const later = asAt ? current.filter((p) => (endMoveAt(p, asAt)?.days ?? 0) > 0).length : 0;
      return html`<tr class="govuk-table__row">
        <th scope="row" class="govuk-table__header"><a class="govuk-link" href="/strategy?organisation=${encodeURIComponent(o.id)}">${o.name}</a></th>
        <td class="govuk-table__cell govuk-table__cell--numeric">${programmes.length}</td>
        <td class="govuk-table__cell govuk-table__cell--numeric">${current.length}</td>
        <td class="govuk-table__cell">${ratingCounts(changes.map((c) => c.latest.rating))}</td>
        <td class="govuk-table__cell govuk-table__cell--numeric">${changes.filter((c) => c.change === 'WORSENED').length}</td>
        <td class="govuk-table__cell govuk-table__cell--numeric">${later}</td>
      </tr>`;
    })}</tbody>
  </table></div>`;
}

/** Every other organisation's programmes, summarised: by department, the ratings that worsened and the completion dates that slipped. */
function portfolioSummary(organisations: Organisation[]): Html | string {
  const withProgrammes = organisations.filter((o) => (o.programmes?.length ?? 0) > 0);
  if (withProgrammes.length === 0) return '';
  const programmes = withProgrammes.flatMap((o) => o.programmes!);
  const asAt = latestPublication(programmes);
  const kinds = new Set(withProgrammes.map((o) => o.kind));
  const whose =
    kinds.size === 1
      ? kindName([...kinds][0]!, withProgrammes.length)
      : counted(withProgrammes.length, 'organisation');
  return html`<h2 class="govuk-heading-l" id="major-projects">Major projects by department</h2>
    <p class="govuk-body">${counted(programmes.length, 'project')} of ${whose}, followed through ${asAt ? `the published annual reports to the one as at ${longDate(asAt)}` : 'their returns'}. Choose a department for each project's delivery confidence and completion date in every publication.</p>
    ${portfolioTable(withProgrammes, asAt)}
    ${asAt ? worsenedTable(worsenedIn(withProgrammes, asAt), asAt, true) : ''}
    ${asAt ? slippedTable(withProgrammes, asAt, 15) : ''}`;
}

/** What one publication said of a project: its rating (the IPA's, else the SRO's) and completion date, and how far that moved. */
function publicationCell(p: Programme, asAt: string): Html {
  const listed = inPublication(p, asAt);
  const history = (p.confidenceHistory ?? []).filter((a) => a.assessedOn.date === asAt);
  const rating = history.find((a) => a.assessor === 'IPA') ?? history[0];
  const end = endDates(p).find((d) => d.asAt === asAt);
  const move = endMoveAt(p, asAt);
  if (!listed && !rating && !end) return html`<td class="govuk-table__cell"></td>`;
  return html`<td class="govuk-table__cell">
    ${rating ? confidenceTag(rating.rating, rating.assessor === 'SRO' ? ' (SRO)' : '') : html`<span class="govuk-body-s">Not rated</span>`}
    ${end ? html`<span class="app-signal govuk-body-s">End ${monthYear(end.label)}${move && move.days !== 0 ? html`, <strong>${moved(move.days)}</strong>` : ''}</span>` : ''}
  </td>`;
}

/** One department's projects, one row each, one column per publication: delivery confidence and completion date as each said. */
function publishedTable(
  o: Organisation,
  programmes: Programme[],
  dates: string[],
  caption: string,
  latest: string | null,
): Html {
  return html`<div class="app-matrix" role="region" aria-label="${caption}" tabindex="0">
    <table class="govuk-table app-publications">
      <caption class="govuk-table__caption govuk-table__caption--m">${caption}</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row">
        <th scope="col" class="govuk-table__header">Project</th>
        ${dates.map((d) => html`<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Publication as at ${longDate(d)}</span><span aria-hidden="true">${monthYear(d)}</span></th>`)}
      </tr></thead>
      <tbody class="govuk-table__body">${programmes.map((p) => {
        const costed = [...(p.publications ?? [])]
          .reverse()
          .find((x) => x.wholeLifeCost !== null && x.wholeLifeCost !== undefined);
        const worsened = latest !== null && changeAt(p, latest)?.change === 'WORSENED';
        return html`<tr class="govuk-table__row">
          <th scope="row" class="govuk-table__header" id="programme-${anchor(p.id)}">${p.name}${worsened ? html` <strong class="govuk-tag govuk-tag--red">Worsened</strong>` : ''}${p.category ? html`<span class="app-signal govuk-body-s">${p.category}</span>` : ''}${costed ? html`<span class="app-signal govuk-body-s">Whole-life cost ${formatValue(costed.wholeLifeCost!, 'CURRENCY')}m (${monthYear(costed.asAt)})</span>` : ''}</th>
          ${dates.map((d) => publicationCell(p, d))}
        </tr>`;
      })}</tbody>
    </table>
  </div>`;
}

/** One organisation's published projects: what changed in the latest publication, then every project in every publication. */
function publishedView(o: Organisation, today: string): Html {
  const programmes = o.programmes ?? [];
  const own = programmes.filter((p) => !published(p));
  const gmpp = programmes.filter(published);
  const asAt = latestPublication(gmpp);
  const dates = [...new Set(gmpp.flatMap((p) => (p.publications ?? []).map((x) => x.asAt)))].sort();
  const byName = (a: Programme, b: Programme) => a.name.localeCompare(b.name);
  const current = gmpp.filter((p) => inPublication(p, asAt)).sort(byName);
  const earlier = gmpp.filter((p) => !inPublication(p, asAt)).sort(byName);
  return html`
    ${
      gmpp.length > 0
        ? html`<p class="govuk-body">${counted(gmpp.length, 'project')} in ${counted(dates.length, 'publication')}${asAt ? `, ${current.length} of them in the latest, as at ${longDate(asAt)}` : ''}. Each column is one publication: its delivery confidence rating (the Infrastructure and Projects Authority's where it gave one, else the senior responsible owner's, marked SRO) and the completion date it forecast ("End"), with how far that moved since the publication before.</p>
    ${asAt ? worsenedTable(worsenedIn([{ ...o, programmes: gmpp }], asAt), asAt, false) : ''}
    ${current.length > 0 ? publishedTable(o, current, dates, `Projects in the publication as at ${longDate(asAt!)}`, asAt) : ''}
    ${earlier.length > 0 ? publishedTable(o, earlier, dates, 'Projects that left the portfolio before it', asAt) : ''}`
        : ''
    }
    ${own.map((p) => programme(o, p, today))}`;
}

// ---- The strategy's summary: government.progress, as the API computes it ----

/** Median slippage in words: "about 8 months late", "on time"; a dash when no milestone has dates to compare. */
function slippageWords(days: number | null): string {
  if (days === null) return '–';
  const whole = Math.round(days);
  return whole === 0 ? 'on time' : `${duration(Math.abs(whole))} ${whole > 0 ? 'late' : 'early'}`;
}

/** "72% (26 of 36)": the share and the counts it comes from. */
function completenessWords(f: Figures): string {
  if (f.completeness === null) return 'None due';
  return `${Math.round(f.completeness * 100)}% (${formatValue(f.receivedReturns, 'COUNT')} of ${formatValue(f.expectedReturns, 'COUNT')})`;
}

function figureCells(f: Figures): Html {
  const n = (value: number) =>
    html`<td class="govuk-table__cell govuk-table__cell--numeric">${formatValue(value, 'COUNT')}</td>`;
  return html`${n(f.milestonesDue)}${n(f.milestonesDone)}${n(f.milestonesLate)}<td class="govuk-table__cell">${slippageWords(f.medianSlippageDays)}</td>`;
}

function returnCells(f: Figures): Html {
  const n = (value: number) =>
    html`<td class="govuk-table__cell govuk-table__cell--numeric">${formatValue(value, 'COUNT')}</td>`;
  return html`${n(f.expectedReturns)}${n(f.receivedReturns)}${n(f.lateReturns)}${n(f.outstandingReturns)}${n(f.missingReturns)}<td class="govuk-table__cell govuk-table__cell--numeric">${completenessWords(f)}</td>`;
}

const header = (text: string, numeric = true) =>
  html`<th scope="col" class="govuk-table__header${numeric ? ' govuk-table__header--numeric' : ''}">${text}</th>`;

/**
 * The summary a strategy reader needs first, before any timeline: for each cluster and supporting programme, its
 * milestones and delivery confidence, then its returns, each figure with the rule that makes it.
 */
function summary(progress: Progress | null | undefined): Html | string {
  if (progress === undefined) return '';
  if (progress === null) {
    return html`<h2 class="govuk-heading-l" id="summary">Summary</h2><div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> The strategy's summary did not answer: its figures are missing.</strong></div>`;
  }
  const orgs = progress.organisations;
  const name = (o: Progress['organisations'][number]) =>
    html`<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/organisations/${encodeURIComponent(o.organisationId)}">${o.organisationName}</a></th>`;
  const unknown = (columns: number) =>
    html`<td class="govuk-table__cell" colspan="${columns}">No answer: its figures are unknown, not zero</td>`;
  const confidence = (o: Progress['organisations'][number]) =>
    o.latestConfidence
      ? html`${confidenceTag(o.latestConfidence)} <span class="app-signal govuk-body-s">${o.confidenceAssessedOn ?? ''}${o.confidenceChange ? `, ${words(o.confidenceChange)}` : ''}</span>`
      : 'Not assessed';
  return html`<h2 class="govuk-heading-l" id="summary">Summary</h2>
    <p class="govuk-body">Judged on ${longDate(progress.asOf)}, for the strategy's ${counted(orgs.length, 'cluster and supporting programme', 'clusters and supporting programmes')}.</p>
    <div class="app-matrix" role="region" aria-label="Milestones and delivery confidence" tabindex="0">
    <table class="govuk-table" id="summary-milestones">
      <caption class="govuk-table__caption govuk-table__caption--m">Milestones and delivery confidence</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row">${header('Organisation', false)}${header('Milestones due')}${header('Done')}${header('Late')}${header('Median slippage', false)}${header('Delivery confidence', false)}</tr></thead>
      <tbody class="govuk-table__body">
        ${orgs.map((o) => html`<tr class="govuk-table__row">${name(o)}${o.answered ? html`${figureCells(o)}<td class="govuk-table__cell">${confidence(o)}</td>` : unknown(5)}</tr>`)}
        <tr class="govuk-table__row"><th scope="row" class="govuk-table__header">All of the strategy</th>${figureCells(progress.overall)}<td class="govuk-table__cell"></td></tr>
      </tbody>
    </table>
    </div>
    <ul class="govuk-list govuk-list--bullet govuk-body-s">
      <li>Milestones due: those whose baseline date has come, or that are already done (${formatValue(progress.overall.milestones, 'COUNT')} milestones in all).</li>
      <li>Done: an actual date is recorded. Late: no actual date and the forecast (or baseline) has passed, or the forecast is certainly after the baseline.</li>
      <li>Median slippage: the median of each milestone's forecast (or actual) date against its baseline, central estimate.</li>
      <li>Delivery confidence: the latest IPA assessment across the organisation's programmes, when it was made, and how it changed since the one before.</li>
    </ul>
    <div class="app-matrix" role="region" aria-label="Completeness of returns" tabindex="0">
    <table class="govuk-table" id="summary-returns">
      <caption class="govuk-table__caption govuk-table__caption--m">Completeness of returns</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row">${header('Organisation', false)}${header('Expected')}${header('Received')}${header('of which late')}${header('Late, not yet received')}${header('Missing')}${header('Complete')}</tr></thead>
      <tbody class="govuk-table__body">
        ${orgs.map((o) => html`<tr class="govuk-table__row">${name(o)}${o.answered ? returnCells(o) : unknown(6)}</tr>`)}
        <tr class="govuk-table__row"><th scope="row" class="govuk-table__header">All of the strategy</th>${returnCells(progress.overall)}</tr>
      </tbody>
    </table>
    </div>
    <p class="govuk-body-s" id="summary-returns-rule">${progress.overall.completenessRule ? `${capitalised(progress.overall.completenessRule.replace(/\d{4}-\d{2}-\d{2}/g, longDate))}. ` : ''}A return is due at its period's end plus 30 days (monthly), 45 (quarterly) or 90 (annual). Not received by then, it is late for as many days again, then missing. The quarterly milestone return is owed only while one of the organisation's programmes has a milestone not yet done. <a class="govuk-link" href="/#returns">Every organisation's returns</a>.</p>`;
}

/** Every programme's organisations, whichever query shape answered. */
function organisationsOf(data: StrategyData): { strategy: Organisation[]; others: Organisation[] } {
  if (data.organisations) return { strategy: data.organisations, others: [] };
  return {
    strategy: [...(data.clusters ?? []), ...(data.supporting ?? [])],
    others: [...(data.departments ?? []), ...(data.authorities ?? []), ...(data.trusts ?? [])],
  };
}

function missingWarning(organisations: Organisation[]): Html | string {
  // A publisher that did not answer leaves its organisations' programmes null (an empty list is an answer: none):
  // they are named, as on the overview, rather than silently left off the page.
  const missing = organisations.filter((o) => o.programmes === null);
  if (missing.length === 0) return '';
  const named =
    missing.length > 10
      ? `${missing
          .slice(0, 10)
          .map((o) => o.name)
          .join(', ')} and ${missing.length - 10} more`
      : missing.map((o) => o.name).join(', ');
  return html`<div class="govuk-warning-text" data-missing-organisations="${missing.map((o) => o.id).join(' ')}" id="missing"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> No answer from ${named}: their programmes are missing below.</strong></div>`;
}

/** One organisation's programmes in full (?organisation=). */
function renderOne(o: Organisation, today: string): string {
  const body = html`
    <a class="govuk-back-link" href="/strategy">Back to strategy progress</a>
    <span class="govuk-caption-xl">Strategy progress</span>
    <h1 class="govuk-heading-xl">${o.name}</h1>
    ${missingWarning([o])}
    ${(o.programmes?.length ?? 0) === 0 && o.programmes !== null ? html`<p class="govuk-body">No programmes are recorded for ${o.name}.</p>` : publishedView(o, today)}
    <p class="govuk-body"><a class="govuk-link" href="/organisations/${encodeURIComponent(o.id)}">${o.name}'s indicators</a></p>`;
  return page({
    title: `${o.name}: strategy progress`,
    section: 'strategy',
    body,
    query: STRATEGY_QUERY,
  });
}

/** The strategy's programmes in full (milestones on a timeline, delivery confidence over time); everyone else's summarised. */
export function renderStrategy(data: StrategyData, today: string): string {
  if (data.chosen) return renderOne(data.chosen, today);
  const { strategy, others } = organisationsOf(data);
  const withProgrammes = strategy.filter((o) => (o.programmes?.length ?? 0) > 0);
  const body = html`
    <h1 class="govuk-heading-xl">Strategy progress</h1>
    <p class="govuk-body-l">Each programme's milestones, baseline against the latest forecast or actual date, and its delivery confidence over time.</p>
    ${missingWarning([...strategy, ...others])}
    ${summary(data.government === undefined ? undefined : (data.government?.progress ?? null))}
    <h2 class="govuk-heading-l" id="programmes">Programmes</h2>
    <ul class="govuk-list">${withProgrammes.flatMap((o) => o.programmes!.map((p) => html`<li><a class="govuk-link" href="#programme-${anchor(p.id)}">${p.name}</a> (${o.name})</li>`))}${others.some((o) => (o.programmes?.length ?? 0) > 0) ? html`<li><a class="govuk-link" href="#major-projects">Major projects by department</a></li>` : ''}</ul>
    ${portfolioSummary(others)}
    ${withProgrammes.flatMap((o) => o.programmes!.map((p) => programme(o, p, today)))}`;
  return page({ title: 'Strategy progress', section: 'strategy', body, query: STRATEGY_QUERY });
}
