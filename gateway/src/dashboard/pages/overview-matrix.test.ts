import { describe, expect, it } from 'vitest';
import { type OverviewData, renderOverview } from './overview.ts';

type Organisation = OverviewData['organisations'][number];
type Entry = NonNullable<Organisation['scorecard']>[number];

const entry = (
  indicator: string,
  name: string,
  latest: Partial<NonNullable<Entry['latest']>> | null,
  more: Partial<Entry> = {},
): Entry => ({
  indicator,
  name,
  unit: 'PERCENT',
  latest: latest && {
    period: '2026-09',
    value: 80,
    target: null,
    synthetic: false,
    rag: null,
    spc: null,
    ...latest,
  },
  staleness: latest && { stale: false, expectedPeriod: '2026-10', dueOn: '2026-11-30' },
  sincePreviousPeriod: null,
  sinceYearEarlier: null,
  exceptions: [],
  ...more,
});
const organisation = (id: string, kind: string, scorecard: Entry[] | null): Organisation => ({
  id,
  name: id.toUpperCase(),
  kind,
  scorecard,
  returns: undefined,
});

const CATALOGUE = [
  { code: 'gds-take-up', name: 'Digital take-up', unit: 'PERCENT' },
  { code: 'ss-invoices', name: 'Invoices paid within 5 days', unit: 'PERCENT' },
  { code: 'ss-nps', name: 'Net Promoter Score', unit: 'SCORE' },
];

/** The text of each body row of the first table, cells joined by " | ", tags stripped. */
function matrixRows(page: string): string[] {
  const table = page.slice(page.indexOf('<table'), page.indexOf('</table>'));
  return [...table.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)]
      .map((c) =>
        c[1]!
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .join(' | '),
  );
}

describe('the overview matrix', () => {
  const data: OverviewData = {
    indicatorCatalogue: CATALOGUE,
    organisations: [
      // A cluster owes the shared-services indicators: one with a figure, one without.
      organisation('unity', 'CLUSTER', [
        entry('ss-invoices', 'Invoices paid within 5 days', { value: 83.266 }),
        entry('ss-nps', 'Net Promoter Score', null),
      ]),
      // A department owes the GDS indicator only, and its figure is stale and synthetic.
      organisation('hmrc', 'DEPARTMENT', [
        entry(
          'gds-take-up',
          'Digital take-up',
          { value: 81.24, synthetic: true, period: '2019-02' },
          { staleness: { stale: true, expectedPeriod: '2019-03', dueOn: '2019-04-30' } },
        ),
      ]),
      // A council owes none of the standard indicators, only its own.
      organisation('norfolk', 'LOCAL_AUTHORITY', [
        entry('608', 'Abandonment rate', { value: 10.4 }),
      ]),
    ],
  };
  const page = renderOverview(data);

  it('says "Not reported" for an indicator owed without a figure and "Not owed" for one not adopted', () => {
    expect(matrixRows(page)).toEqual([
      'Indicator | UNITY | HMRC',
      'Digital take-up | Not owed | No target Stale Synthetic 81.2% (2019-02) The figure for 2019-03 was due by 30 April 2019 and is missing SPC: common cause',
      'Invoices paid within 5 days | No target 83.3% (2026-09) SPC: common cause | Not owed',
      'Net Promoter Score | Not reported | Not owed',
    ]);
    // The failure stands out as a tag; nothing expected stays quiet text.
    expect(page).toContain('<strong class="govuk-tag govuk-tag--orange">Not reported</strong>');
    expect(page).toContain('<span class="govuk-body-s govuk-!-colour-secondary">Not owed</span>');
  });

  it('leaves out an organisation that owes none of the indicators, naming it, and an indicator nobody owes', () => {
    expect(page).toMatch(
      /<a class="govuk-link" href="\/organisations\/norfolk">NORFOLK<\/a> owes none of these indicators and is not shown/,
    );
    const catalogueOnly = renderOverview({
      indicatorCatalogue: CATALOGUE,
      organisations: [data.organisations[0]!],
    });
    expect(matrixRows(catalogueOnly).map((r) => r.split(' | ')[0])).toEqual([
      'Indicator',
      'Invoices paid within 5 days',
      'Net Promoter Score',
    ]);
  });

  it('cannot say an organisation whose subgraph did not answer owes nothing: its column stays, saying "No answer"', () => {
    const silent = renderOverview({
      indicatorCatalogue: CATALOGUE,
      organisations: [data.organisations[1]!, organisation('defence', 'CLUSTER', null)],
    });
    expect(matrixRows(silent)).toEqual([
      'Indicator | HMRC | DEFENCE',
      'Digital take-up | No target Stale Synthetic 81.2% (2019-02) The figure for 2019-03 was due by 30 April 2019 and is missing SPC: common cause | No answer',
      'Invoices paid within 5 days | Not owed | No answer',
      'Net Promoter Score | Not owed | No answer',
    ]);
  });

  it('names the comparison of each direction of travel', () => {
    const travelling = entry(
      'ss-invoices',
      'Invoices paid within 5 days',
      { value: 83.3 },
      {
        sincePreviousPeriod: { direction: 'IMPROVING', comparedWith: '2026-08' },
        sinceYearEarlier: { direction: 'WORSENING', comparedWith: '2025-09' },
      },
    );
    const rows = matrixRows(
      renderOverview({
        indicatorCatalogue: CATALOGUE,
        organisations: [organisation('unity', 'CLUSTER', [travelling])],
      }),
    );
    expect(rows[1]).toBe(
      'Invoices paid within 5 days | No target 83.3% (2026-09) Since previous period (2026-08): improving Year on year (2025-09): worsening SPC: common cause',
    );
  });
});

describe('the overview exceptions', () => {
  const red = (shortfall: number) => ({ status: 'RED', rule: '', shortfall });
  const data: OverviewData = {
    indicatorCatalogue: CATALOGUE,
    organisations: [
      organisation('unity', 'CLUSTER', [
        entry(
          'ss-invoices',
          'Invoices paid within 5 days',
          { value: 83.266, rag: red(0.06) },
          {
            exceptions: [
              {
                rule: 'THREE_DETERIORATIONS',
                description: 'Worse in each of the latest three periods.',
              },
              { rule: 'LATEST_RED', description: 'The latest value (83.3% in 2026-09) is Red.' },
            ],
          },
        ),
        entry(
          'ss-nps',
          'Net Promoter Score',
          { value: 20, rag: { status: 'AMBER', rule: '', shortfall: 0.01 } },
          {
            unit: 'SCORE',
            exceptions: [
              { rule: 'THREE_AMBER', description: 'Amber in each of the latest three periods.' },
            ],
          },
        ),
      ]),
      organisation('norfolk', 'LOCAL_AUTHORITY', [
        entry(
          '610',
          'First line fix',
          { value: 21.6, period: '2019-02', rag: red(0.23) },
          {
            staleness: { stale: true, expectedPeriod: '2019-03', dueOn: '2019-04-30' },
            exceptions: [
              { rule: 'LATEST_RED', description: 'The latest value (21.6% in 2019-02) is Red.' },
            ],
          },
        ),
      ]),
      organisation('matrix', 'CLUSTER', [
        entry(
          'ss-nps',
          'Net Promoter Score',
          { value: 13, rag: red(0.35) },
          {
            unit: 'SCORE',
            exceptions: [
              { rule: 'LATEST_RED', description: 'The latest value (13 in 2026-09) is Red.' },
            ],
          },
        ),
      ]),
    ],
  };
  const page = renderOverview(data);
  const table = page.slice(page.indexOf('id="exceptions"'));

  it('lists one row per indicator, most severe first, its reasons most severe first, with stale figures marked', () => {
    expect(matrixRows(table)).toEqual([
      'Organisation | Indicator | Latest | Why',
      'MATRIX | Net Promoter Score | Red 13 (2026-09) | The latest value (13 in 2026-09) is Red.',
      'UNITY | Invoices paid within 5 days | Red 83.3% (2026-09) | The latest value (83.3% in 2026-09) is Red. Worse in each of the latest three periods.',
      'NORFOLK | First line fix | Red Stale 21.6% (2019-02) | The latest value (21.6% in 2019-02) is Red.',
      'UNITY | Net Promoter Score | Amber 20 (2026-09) | Amber in each of the latest three periods.',
    ]);
  });

  it('says the order and counts exceptions and indicators apart', () => {
    expect(table).toContain('5 exceptions on 4 indicators, most severe first');
    expect(table).toContain(
      'Ranked by severity: a latest figure that is Red first, then three deteriorations in a row, then three Ambers in a row',
    );
  });
});
