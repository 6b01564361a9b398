import { describe, expect, it } from 'vitest';
import {
  type OrganisationPageData,
  cardText,
  directionOfTravel,
  renderOrganisation,
} from './organisation.ts';

type Organisation = NonNullable<OrganisationPageData['organisation']>;
type Indicator = NonNullable<Organisation['indicators']>[number];

const indicator = (overrides: Partial<Indicator> = {}): Indicator => ({
  code: 'x1',
  name: 'Calls answered',
  unit: 'PERCENT',
  polarity: 'BIGGER_IS_BETTER',
  definition: null,
  leadOfficer: null,
  dataOwner: null,
  synthetic: false,
  reportCard: { whyItMatters: null, background: null, whatSuccessLooksLike: null, actions: null },
  ...overrides,
});

const organisation = (overrides: Partial<Organisation> = {}): Organisation => ({
  id: 'unity',
  name: 'Unity',
  kind: 'CLUSTER',
  indicators: [],
  scorecard: [],
  ...overrides,
});
/** The page's main content with tags and runs of white space collapsed, as a reader reads it. */
const text = (o: Organisation) =>
  renderOrganisation({ organisation: o })
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('report-card text', () => {
  it('makes each line a paragraph and a run of lines starting "- " one bulleted list, escaping what it is given', () => {
    expect(cardText('Why it <matters>.\n- One\n- Two\n\nAfter.').text).toBe(
      '<p class="govuk-body">Why it &lt;matters&gt;.</p><ul class="govuk-list govuk-list--bullet"><li>One</li><li>Two</li></ul><p class="govuk-body">After.</p>',
    );
  });

  it('says once that a card has no text, rather than "Not recorded" for each field', () => {
    const page = text(organisation({ indicators: [indicator()] }));
    expect(page).toContain(
      'Report card No report-card text has been published for this indicator.',
    );
    expect(page).not.toContain('Not recorded');
    expect(page).not.toContain('Why it matters');
  });

  it('shows only the fields written, in the order of a council card', () => {
    const page = text(
      organisation({
        indicators: [
          indicator({
            dataOwner: 'Jo Carey',
            reportCard: {
              whyItMatters: 'People wait less.',
              background: '- 10% on target',
              whatSuccessLooksLike: null,
              actions: null,
            },
          }),
        ],
      }),
    );
    expect(page).toContain(
      'Why it matters People wait less. Background to current performance 10% on target Data owner Jo Carey',
    );
    expect(page).not.toContain('What success looks like');
    expect(page).not.toContain('No report-card text');
  });
});

describe('direction of travel', () => {
  const improving = { direction: 'IMPROVING', comparedWith: '2026-08' };
  const worsening = { direction: 'WORSENING', comparedWith: '2025-09' };

  it('names both comparisons and the period each compares with', () => {
    expect(directionOfTravel({ sincePreviousPeriod: improving, sinceYearEarlier: worsening })).toBe(
      'Since previous period (2026-08): improving; year on year (2025-09): worsening',
    );
  });

  it('names the one comparison there is, and gives nothing for none', () => {
    expect(directionOfTravel({ sincePreviousPeriod: improving, sinceYearEarlier: null })).toBe(
      'Since previous period (2026-08): improving',
    );
    expect(directionOfTravel({ sincePreviousPeriod: null, sinceYearEarlier: worsening })).toBe(
      'Year on year (2025-09): worsening',
    );
    expect(directionOfTravel({ sincePreviousPeriod: null, sinceYearEarlier: null })).toBeNull();
  });
});

describe('what an organisation is made of', () => {
  it("lists a cluster's members today with the lead first and tagged, and counts each programme's milestones done and late", () => {
    const page = text(
      organisation({
        lead: {
          code: 'HMRC',
          name: 'HM Revenue and Customs',
          organisationId: 'hmrc',
          memberships: [],
        },
        members: [
          {
            departmentCode: 'DFT',
            from: '2021-03-01',
            to: null,
            department: { name: 'Department for Transport', organisationId: null },
          },
          {
            departmentCode: 'HMRC',
            from: '2021-03-01',
            to: null,
            department: { name: 'HM Revenue and Customs', organisationId: 'hmrc' },
          },
        ],
        programmes: [
          {
            id: 'unity-programme',
            name: 'Unity programme',
            latestConfidence: {
              latest: { rating: 'AMBER', assessor: 'IPA', assessedOn: { label: '2025-07' } },
            },
            milestones: [
              { status: 'COMPLETE' },
              { status: 'LATE' },
              { status: 'LATE' },
              { status: 'ON_TRACK' },
            ],
          },
        ],
      }),
    );
    expect(page).toContain('Lead department HM Revenue and Customs (HMRC)');
    expect(page).toContain('2 departments are members of Unity today');
    expect(page).toContain(
      'HM Revenue and Customs (HMRC) Lead from 1 March 2021 Department for Transport (DFT) from 1 March 2021',
    );
    expect(page).toContain('Unity programme Amber IPA, 2025-07 4 milestones: 1 done, 2 late');
  });

  it('links a department to its clusters, current ones first, with the dates of one it left', () => {
    const html = renderOrganisation({
      organisation: organisation({
        id: 'beis',
        name: 'BEIS',
        kind: 'DEPARTMENT',
        lead: {
          code: 'BEIS',
          name: 'Department for Business, Energy and Industrial Strategy',
          organisationId: 'beis',
          memberships: [
            {
              organisationId: 'matrix',
              organisationName: 'Matrix',
              from: '2021-03-01',
              to: '2023-02-06',
            },
            { organisationId: 'unity', organisationName: 'Unity', from: '2023-02-07', to: null },
          ],
        },
      }),
    });
    expect(html.replace(/\s+/g, ' ')).toContain(
      '<li><a class="govuk-link" href="/organisations/unity">Unity</a> from 7 February 2023</li><li><a class="govuk-link" href="/organisations/matrix">Matrix</a> from 1 March 2021 to 6 February 2023</li>',
    );
    expect(html).not.toContain('Lead department');
  });
});
