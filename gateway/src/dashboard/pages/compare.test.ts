import { describe, expect, it } from 'vitest';
import {
  type CompareData,
  checkCompare,
  compareAsked,
  compareProblem,
  renderCompare,
} from './compare.ts';

const CODE = 'ss-invoices-paid-5-days';

/** A league of `reported` of 5 clusters for 2026-08, everyone else not reported. */
function data(
  reported: number,
  extra: Partial<NonNullable<CompareData['government']['league']>> = {},
): CompareData {
  const names = ['Defence', 'Matrix', 'Overseas', 'Synergy', 'Unity'];
  return {
    indicatorCatalogue: [
      {
        code: CODE,
        name: 'Invoices paid within 5 days',
        unit: 'PERCENT',
        denominator: 'invoices paid',
      },
    ],
    publishers: [],
    government: {
      league: {
        indicator: CODE,
        period: '2026-08',
        periodRule: `2026-08: asked for (${reported} of 5 reported)`,
        periods: [
          { period: '2026-09', reported: 1 },
          { period: '2026-08', reported },
        ],
        unit: 'PERCENT',
        polarity: 'BIGGER_IS_BETTER',
        reported,
        expected: 5,
        overall: null,
        rows: names.slice(0, reported).map((name, i) => ({
          rank: i + 1,
          tied: false,
          organisationId: name.toLowerCase(),
          organisationName: name,
          value: 90 - i,
          numerator: null,
          denominator: null,
          rag: null,
          funnel: null,
        })),
        funnel: {
          drawn: false,
          rule: "A funnel plot needs each organisation's numerator and denominator; 2 of the 2 that reported gave a percentage without them.",
        },
        notReported: names
          .slice(reported)
          .map((name) => ({ organisationName: name, reason: 'no figure for 2026-08' })),
        ...extra,
      },
    },
  };
}

const WARNING = 'this is not a comparison of everyone';

describe('the Compare form as submitted', () => {
  it('finds a period that is no period before asking, and asks without it so the form can be shown again', () => {
    expect(compareAsked({ indicator: CODE, period: '2026-13' })).toEqual({
      indicator: CODE,
      period: null,
      peerGroup: null,
      problem: {
        field: 'period',
        message:
          'Select a period from the list: "2026-13" is not a period (a month is written 2026-08, a quarter 2026-Q3)',
      },
    });
    expect(compareAsked({ indicator: CODE, period: '2026-08' })).toEqual({
      indicator: CODE,
      period: '2026-08',
      peerGroup: null,
    });
  });

  it('drops the period of the indicator shown before when another is chosen', () => {
    expect(
      compareAsked({ indicator: 'gds-completion-rate', shown: CODE, period: '2026-13' }),
    ).toEqual({ indicator: 'gds-completion-rate', period: null, peerGroup: null });
  });

  it('puts a refused indicator beside its field, and nothing else the API refuses', () => {
    const asked = { indicator: 'nope', period: null };
    expect(
      compareProblem(
        {
          message: 'indicator "nope" is not ...',
          extensions: { code: 'BAD_USER_INPUT', field: 'indicator' },
        },
        asked,
      ),
    ).toEqual({
      field: 'indicator',
      message:
        'Select an indicator from the list: nobody reports "nope" and it is not a standard indicator',
    });
    expect(
      compareProblem(
        {
          message: 'periods 0 must be ...',
          extensions: { code: 'BAD_USER_INPUT', field: 'periods' },
        },
        asked,
      ),
    ).toBeNull();
  });

  it('refuses a well-formed period with no figures, which the select never offers', () => {
    expect(checkCompare(data(3), { indicator: CODE, period: '2030-01' }).problem).toEqual({
      field: 'period',
      message:
        'Select a period from the list: nobody has a figure for Invoices paid within 5 days for 2030-01',
    });
    expect(checkCompare(data(3), { indicator: CODE, period: '2026-08' }).problem).toBeUndefined();
  });
});

describe('the Compare page', () => {
  it('warns above the table when fewer than half of those expected reported: 2 of 5, not 3 of 5', () => {
    const two = renderCompare(data(2), { indicator: CODE, period: '2026-08' });
    expect(two).toContain(`Only 2 of 5 organisations reported 2026-08: ${WARNING}.`);
    expect(two.indexOf(WARNING)).toBeLessThan(two.indexOf('League table'));
    expect(renderCompare(data(3), { indicator: CODE, period: '2026-08' })).not.toContain(WARNING);
  });

  it('says the rule that chose the period, and offers only periods with figures with their counts', () => {
    const body = renderCompare(data(3), { indicator: CODE, period: null });
    expect(body).toContain(
      '<p class="govuk-body" id="period-rule">Period 2026-08: asked for (3 of 5 reported).</p>',
    );
    expect(body).toContain(
      '<option value="" selected>Latest most have reported (default)</option><option value="2026-09">2026-09 (1 of 5 reported)</option><option value="2026-08">2026-08 (3 of 5 reported)</option></select>',
    );
  });

  it("says why no funnel plot is drawn in the API's words", () => {
    expect(renderCompare(data(2), { indicator: CODE, period: '2026-08' })).toContain(
      'Not drawn. A funnel plot needs each organisation&#39;s numerator and denominator',
    );
  });

  it('shows the error summary above the same form, the field marked, and no league', () => {
    const asked = compareAsked({ indicator: CODE, period: '2026-13' });
    const body = renderCompare(data(3), asked);
    expect(body.indexOf('govuk-error-summary')).toBeLessThan(body.indexOf('<form'));
    expect(body).toContain('<title>Error: Compare: Invoices paid within 5 days – Crossgov</title>');
    expect(body).toContain(
      '<a href="#period">Select a period from the list: &quot;2026-13&quot; is not a period',
    );
    expect(body).toContain('aria-describedby="period-hint period-error"');
    expect(body).toContain(`<option value="${CODE}" selected>`);
    expect(body).not.toContain('League table');
  });
});
