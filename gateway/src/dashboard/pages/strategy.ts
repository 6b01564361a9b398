import { milestoneTimeline } from '../charts/milestone-timeline.ts';
import { type Html, html, raw } from '../html.ts';
import { page, words } from '../layout.ts';

export const STRATEGY_QUERY = `query Strategy {
  organisations {
    id name kind
    programmes {
      id name seniorResponsibleOwner
      latestConfidence { latest { rating assessor assessedOn { label } } change }
      confidenceHistory { assessor scale rating assessedOn { date label } sourceNote }
      milestones { id title baseline { date label } forecast { date label } actual { date label } slippage { description days } status statusRule }
    }
  }
}`;

type Dated = { date: string; label: string } | null;

interface Programme {
  id: string;
  name: string;
  seniorResponsibleOwner: string | null;
  latestConfidence: { latest: { rating: string; assessor: string; assessedOn: { label: string } }; change: string } | null;
  confidenceHistory: { assessor: string; scale: string; rating: string; assessedOn: { date: string; label: string }; sourceNote: string | null }[];
  milestones: { id: string; title: string; baseline: Dated; forecast: Dated; actual: Dated; slippage: { description: string; days: number } | null; status: string; statusRule: string }[];
}

export interface StrategyData {
  organisations: { id: string; name: string; kind: string; programmes: Programme[] | null }[];
}

/** Delivery confidence as a tag: words first, colour repeating them. */
function confidenceTag(rating: string): Html {
  const colour = rating.startsWith('GREEN') ? 'green' : rating.startsWith('AMBER') ? 'yellow' : rating.startsWith('RED') ? 'red' : 'grey';
  return html`<strong class="govuk-tag govuk-tag--${colour}">${words(rating).replace(/^./, (c) => c.toUpperCase())}</strong>`;
}

function programme(organisation: { name: string }, p: Programme, today: string): Html {
  const id = `programme-${p.id.replace(/[^a-zA-Z0-9-]/g, '-')}`;
  return html`<section class="govuk-!-margin-bottom-9" aria-labelledby="${id}">
    <span class="govuk-caption-l">${organisation.name}</span>
    <h2 class="govuk-heading-l" id="${id}">${p.name}</h2>
    <dl class="govuk-summary-list">
      ${p.seniorResponsibleOwner ? html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Senior responsible owner</dt><dd class="govuk-summary-list__value">${p.seniorResponsibleOwner}</dd></div>` : ''}
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Delivery confidence</dt><dd class="govuk-summary-list__value">${p.latestConfidence ? html`${confidenceTag(p.latestConfidence.latest.rating)} from the ${p.latestConfidence.latest.assessor}, ${p.latestConfidence.latest.assessedOn.label} (${words(p.latestConfidence.change)})` : 'Not assessed'}</dd></div>
    </dl>
    ${p.milestones.length > 0
      ? html`<div class="app-chart">${raw(
          milestoneTimeline({
            id: `${id}-timeline`,
            title: `${p.name}: milestones, baseline against forecast and actual`,
            today,
            milestones: p.milestones.map((m) => ({ title: m.title, baseline: m.baseline?.date ?? null, forecast: m.forecast?.date ?? null, actual: m.actual?.date ?? null, status: m.status, slippageDescription: m.slippage?.description ?? null })),
          }),
        )}</div>
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-table__caption--m">Milestones of ${p.name}</caption>
          <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Milestone</th><th scope="col" class="govuk-table__header">Baseline</th><th scope="col" class="govuk-table__header">Forecast</th><th scope="col" class="govuk-table__header">Actual</th><th scope="col" class="govuk-table__header">Slippage</th><th scope="col" class="govuk-table__header">Status</th></tr></thead>
          <tbody class="govuk-table__body">${p.milestones.map(
            (m) => html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${m.title}</th><td class="govuk-table__cell">${m.baseline?.label ?? '–'}</td><td class="govuk-table__cell">${m.forecast?.label ?? '–'}</td><td class="govuk-table__cell">${m.actual?.label ?? '–'}</td><td class="govuk-table__cell">${m.slippage?.description ?? '–'}</td><td class="govuk-table__cell">${words(m.status)}</td></tr>`,
          )}</tbody>
        </table>`
      : html`<p class="govuk-body">No milestones are published for this programme.</p>`}
    <table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">Delivery confidence history of ${p.name}</caption>
      <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Assessed</th><th scope="col" class="govuk-table__header">By</th><th scope="col" class="govuk-table__header">Rating</th><th scope="col" class="govuk-table__header">Scale</th><th scope="col" class="govuk-table__header">Source</th></tr></thead>
      <tbody class="govuk-table__body">${
        p.confidenceHistory.length === 0
          ? html`<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="5">No assessment recorded.</td></tr>`
          : [...p.confidenceHistory]
              .sort((a, b) => a.assessedOn.date.localeCompare(b.assessedOn.date))
              .map(
                (a) => html`<tr class="govuk-table__row"><td class="govuk-table__cell">${a.assessedOn.label}</td><td class="govuk-table__cell">${a.assessor}</td><td class="govuk-table__cell">${confidenceTag(a.rating)}</td><td class="govuk-table__cell">${words(a.scale)}</td><td class="govuk-table__cell">${a.sourceNote ?? ''}</td></tr>`,
              )
      }</tbody>
    </table>
  </section>`;
}

/** Each programme's milestones on a timeline (baseline, forecast, actual, slippage) and its delivery confidence history. */
export function renderStrategy(data: StrategyData, today: string): string {
  const withProgrammes = data.organisations.filter((o) => (o.programmes?.length ?? 0) > 0);
  // A publisher that did not answer leaves its organisations' programmes null (an empty list is an answer: none):
  // they are named, as on the overview, rather than silently left off the page.
  const missing = data.organisations.filter((o) => o.programmes === null);
  const body = html`
    <h1 class="govuk-heading-xl">Strategy progress</h1>
    <p class="govuk-body-l">Each programme's milestones, baseline against the latest forecast or actual date, and its delivery confidence over time.</p>
    ${missing.length > 0 ? html`<div class="govuk-warning-text" data-missing-organisations="${missing.map((o) => o.id).join(' ')}" id="missing"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> No answer from ${missing.map((o) => o.name).join(', ')}: their programmes are missing below.</strong></div>` : ''}
    <ul class="govuk-list">${withProgrammes.flatMap((o) => o.programmes!.map((p) => html`<li><a class="govuk-link" href="#programme-${p.id.replace(/[^a-zA-Z0-9-]/g, '-')}">${p.name}</a> (${o.name})</li>`))}</ul>
    ${withProgrammes.flatMap((o) => o.programmes!.map((p) => programme(o, p, today)))}`;
  return page({ title: 'Strategy progress', section: 'strategy', body, query: STRATEGY_QUERY });
}
