import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicDataDir } from '@crossgov/organisation/sources';
import type { Browser, Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTEFACTS, launchChromium, seriousViolations } from '@crossgov/testing/browser';
import { type TestGraph, startPublicGraph } from '@crossgov/testing/graph';

// The dashboard on the real government (346 organisations from the published data sets, ten publishers) in headless
// Chromium, as a strategy team uses it: each page is looked at, its real names and figures checked (figures against
// totals this test computes from the raw files itself), saved as a screenshot and checked with axe-core.

const DATA = publicDataDir();
const MONTH = '2018-03';
/** LGBF family group 3 of the place and corporate services indicators, as the Improvement Service publishes it. */
const FAMILY_GROUP = 'LGBF family group: Place and corporate services, 3';
/** Support services as a % of total gross expenditure: reported with its numerator and denominator. */
const COUNCIL_INDICATOR = 'CORP01';

const csv = (path: string) => {
  const [header, ...lines] = readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n');
  const columns = header!.split(',');
  return lines.map(
    (line) =>
      Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])) as Record<
        string,
        string
      >,
  );
};

/** England's 4-hour performance for a month from the raw file: 1 - sum of breaches / sum of attendances, over every provider and department type. */
function englandFourHours(month: string) {
  const rows = csv(join(DATA, 'nhs-ae-attendances', 'derived', 'ae_attendances.csv')).filter((r) =>
    r.period!.startsWith(month),
  );
  const attendances = rows.reduce((sum, r) => sum + Number(r.attendances), 0);
  const breaches = rows.reduce((sum, r) => sum + Number(r.breaches), 0);
  return {
    percent: (1 - breaches / attendances) * 100,
    within: attendances - breaches,
    attendances,
    providers: new Set(rows.map((r) => r.org_code)).size,
  };
}

/** A family group's members and its ratio of sums for an indicator in 2022-23, from the LGBF's own files (quoted fields hold commas, so split with care). */
function familyGroup(code: string, group: number) {
  const lines = readFileSync(join(DATA, 'scotland-lgbf', 'raw', 'Family Groups.csv'), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n')
    .slice(1);
  const members = lines
    .map((line) => /^Family Group (\d+),([^,]+),"?Environmental/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) === group)
    .map((m) => m[2]!);
  const rows = csv(join(DATA, 'scotland-lgbf', 'raw', 'LGBF_ScotDataReal_ISSpatialHub.csv')).filter(
    (r) => r.Code === code && r.Year === '2022-23' && members.includes(r.LocalAuthority!),
  );
  const numerator = rows.reduce((sum, r) => sum + Number(r.LA_Numerator_real), 0);
  const denominator = rows.reduce((sum, r) => sum + Number(r.LA_Den_Real), 0);
  return { members, percent: (numerator / denominator) * 100, numerator, denominator };
}

const number = (n: number) => n.toLocaleString('en-GB');
const percent = (n: number) => `${n.toFixed(1)}%`;

let graph: TestGraph & Awaited<ReturnType<typeof startPublicGraph>>;
let browser: Browser;
let base: string;

/** Opens a page the way a person would, checks it answered from one GraphQL query, and returns it with its response. */
async function open(path: string): Promise<{ page: Page; response: Response; bytes: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const response = (await page.goto(base + path, { timeout: 60_000 }))!;
  expect(response.status(), path).toBe(200);
  expect(response.headers()['server-timing'], path).toMatch(
    /^graphql;desc="1 query";dur=[\d.]+, render;dur=[\d.]+$/,
  );
  return { page, response, bytes: (await response.body()).length };
}

/** Saves the page whole (or its top when it is very long) and expects no serious or critical accessibility violation. */
async function finish(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(
    () =>
      (globalThis as unknown as { document: { body: { scrollHeight: number } } }).document.body
        .scrollHeight,
  );
  await page.screenshot({
    path: join(ARTEFACTS, `public-${name}.png`),
    fullPage: true,
    ...(height > 12_000 ? { clip: { x: 0, y: 0, width: 1280, height: 12_000 } } : {}),
  });
  expect(await seriousViolations(page)).toEqual([]);
  await page.close();
}

/** The value a GOV.UK summary list gives for a key, on the page or within part of it. */
const summaryValue = (page: Page, key: string | RegExp, within: Page | Locator = page) =>
  within
    .locator('.govuk-summary-list__row', { has: page.locator('dt', { hasText: key }) })
    .first()
    .locator('dd')
    .innerText();

describe('the dashboard on the real government, in headless Chromium', () => {
  beforeAll(async () => {
    [graph, browser] = await Promise.all([startPublicGraph(), launchChromium()]);
    base = graph.gatewayUrl.replace(/\/graphql$/, '');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await graph?.stop();
  });

  it('opens the overview on the standard indicators of the organisations that report them, with every kind to choose from', async () => {
    const { page, bytes } = await open('/');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      'Performance across government',
    );
    const kinds = await page.getByLabel('Organisations').locator('option').allInnerTexts();
    expect(kinds).toEqual([
      'All organisations (346)',
      'Clusters (5)',
      'Departments (33)',
      'Local authorities (33)',
      'NHS trusts (274)',
      'Supporting programmes (1)',
    ]);
    const matrix = page.getByRole('table', {
      name: /Latest figure of each standard indicator by organisation/,
    });
    const rows = await matrix.locator('tbody th[scope="row"] a').allInnerTexts();
    expect(rows).toEqual(
      expect.arrayContaining([
        'Defence',
        'Matrix',
        'Overseas',
        'Synergy',
        'Unity',
        'Department for Transport',
      ]),
    );
    expect(rows).not.toContain('NHS provider RJF');
    expect(await page.locator('main').innerText()).toMatch(
      /\d+ organisations of 346 owe at least one of these indicators.*274 NHS trusts/s,
    );
    // Hundreds of organisations' returns take seconds: they are one kind at a time.
    expect(
      await page.getByRole('table', { name: /Returns received against returns expected/ }).count(),
    ).toBe(0);
    expect(bytes).toBeLessThan(200_000);
    await finish(page, 'overview');
  });

  it("shows one kind's organisations with their own indicators, and that they owe no returns: the NHS trusts' A&E figures", async () => {
    const { page } = await open('/?kind=NHS_TRUST');
    const matrix = page.getByRole('table', {
      name: /Latest figure of each indicator by organisation/,
    });
    const columns = await matrix.locator('thead th').allInnerTexts();
    expect(columns[0]).toBe('Organisation');
    expect(columns).toEqual(
      expect.arrayContaining([
        'A&E 4-hour performance',
        'A&E attendances',
        'Emergency admissions via A&E',
      ]),
    );
    const rjf = matrix.getByRole('row', { name: /NHS provider RJF/ });
    expect(await rjf.innerText()).toMatch(/92\.8% \(2018-06\)/);
    // Their figures are NHS England's published data set: they owe the hub no returns, and the page says so rather than list 274 rows of 0 of 0.
    expect(
      await page.getByRole('table', { name: /Returns received against returns expected/ }).count(),
    ).toBe(0);
    expect(
      await page
        .getByText(
          'Their figures are imported from published data sets, as published: they owe the hub no returns.',
        )
        .count(),
    ).toBe(1);
    await finish(page, 'overview-trusts');
  });

  it("compares the NHS trusts' 4-hour performance for a month, with England's overall as the ratio of sums and a funnel plot", async () => {
    const england = englandFourHours(MONTH);
    const { page } = await open(`/compare?indicator=ae-4-hours&period=${MONTH}`);
    expect(await page.getByLabel('Indicator').inputValue()).toBe('ae-4-hours');
    expect(await page.getByLabel('Period').inputValue()).toBe(MONTH);
    expect(
      await page
        .getByRole('heading', { level: 2, name: `A&E 4-hour performance, ${MONTH}` })
        .count(),
    ).toBe(1);
    const overall = await summaryValue(page, "Overall, NHS England's organisations");
    expect(overall).toContain(
      `${percent(england.percent)}: ${number(england.within)} of ${number(england.attendances)} across the ${england.providers} organisations that reported`,
    );
    expect(await summaryValue(page, 'Reported')).toBe(`${england.providers} of 274 organisations`);
    expect(
      await page
        .getByRole('table', { name: /League table/ })
        .locator('tbody tr')
        .count(),
    ).toBe(england.providers);
    const funnel = page.getByRole('img', { name: /funnel plot/ });
    expect(await funnel.count()).toBe(1);
    // Hundreds of points: only a few are named beside them, so the names can be read.
    expect(await funnel.locator('text.funnel-label').count()).toBeLessThanOrEqual(12);
    expect(await funnel.locator('.funnel-point').count()).toBe(england.providers);
    // The form offers every month reported, newest first, each with how many reported it, and no peer groups (the trusts have none).
    const months = await page.getByLabel('Period').locator('option').allInnerTexts();
    expect(months.slice(0, 2)).toEqual([
      'Latest most have reported (default)',
      expect.stringMatching(/^2019-03 \(\d+ of 274 reported\)$/),
    ]);
    expect(
      await page
        .getByLabel('Period')
        .locator('option')
        .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value)),
    ).toContain(MONTH);
    expect(await page.getByLabel('Peer group').count()).toBe(0);
    await finish(page, 'compare-trusts');
  });

  it("compares the councils of one LGBF family group, offering the councils' family groups, with the group's overall and its funnel plot", async () => {
    const expected = familyGroup(COUNCIL_INDICATOR, 3);
    // As a person gets there: choose the indicator, then the family group the page then offers.
    const { page } = await open(`/compare?indicator=${COUNCIL_INDICATOR}`);
    const groups = await page.getByLabel('Peer group').locator('option').allInnerTexts();
    expect(groups).toContain(FAMILY_GROUP);
    expect(groups.filter((g) => g.startsWith('LGBF family group:'))).toHaveLength(8);
    await page.getByLabel('Peer group').selectOption(FAMILY_GROUP);
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Compare' }).click(),
    ]);
    expect(response!.status()).toBe(200);
    expect(new URL(page.url()).searchParams.get('peerGroup')).toBe(FAMILY_GROUP);
    expect(await page.getByLabel('Peer group').inputValue()).toBe(FAMILY_GROUP);
    const league = page.getByRole('table', { name: /League table/ });
    expect((await league.locator('tbody th').allInnerTexts()).sort()).toEqual(
      [...expected.members].sort(),
    );
    expect(await summaryValue(page, `Overall, ${FAMILY_GROUP}`)).toContain(
      `${percent(expected.percent)}: ${number(expected.numerator)} of ${number(expected.denominator)}`,
    );
    expect(await page.getByRole('img', { name: /funnel plot/ }).count()).toBe(1);
    await finish(page, 'compare-councils');
  });

  it('summarises the major projects by department: ratings in the latest publication, which worsened and whose completion date slipped', async () => {
    const { page, bytes } = await open('/strategy');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Strategy progress');
    const portfolio = page.getByRole('table', { name: /Projects by department/ });
    expect(await portfolio.locator('tbody tr').count()).toBeGreaterThan(20);
    expect(
      await portfolio.getByRole('row', { name: /Department for Transport/ }).innerText(),
    ).toMatch(/54\s+23\b/);
    const worsened = page.getByRole('table', {
      name: /whose delivery confidence worsened in the publication as at 31 March 2023/,
    });
    expect(await worsened.getByRole('row', { name: /HS2 Phase 1/ }).innerText()).toMatch(
      /Amber.*Red/s,
    );
    expect(
      await page
        .getByRole('table', { name: /Completion dates that moved later/ })
        .locator('tbody tr')
        .count(),
    ).toBeGreaterThan(5);
    // Today's clusters keep their timelines and histories.
    expect(
      await page
        .getByRole('img', { name: /milestones, baseline against forecast and actual/ })
        .count(),
    ).toBeGreaterThan(3);
    expect(
      await page.getByRole('table', { name: /^Delivery confidence history of / }).count(),
    ).toBeGreaterThan(3);
    expect(bytes).toBeLessThan(300_000);
    await finish(page, 'strategy');
  });

  it("shows one department's projects in every publication: rating, completion date and how far it moved", async () => {
    await (await open('/strategy')).page.close();
    const { page, bytes } = await open('/strategy?organisation=dft');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      'Department for Transport',
    );
    const current = page.getByRole('table', {
      name: 'Projects in the publication as at 31 March 2023',
    });
    expect(await current.locator('tbody tr').count()).toBe(23);
    const a303 = await current
      .getByRole('row', { name: /A303 Amesbury to Berwick Down/ })
      .innerText();
    expect(a303).toMatch(/Red\s+End Jun 2024/);
    expect(a303).toMatch(/End Jun 2028, about 4 years later/);
    expect(
      await page
        .getByRole('table', { name: 'Projects that left the portfolio before it' })
        .locator('tbody tr')
        .count(),
    ).toBe(54 - 23);
    expect(
      await page
        .getByRole('table', { name: /worsened/ })
        .locator('tbody tr')
        .allInnerTexts(),
    ).toEqual([expect.stringMatching(/^HS2 Phase 1/), expect.stringMatching(/^HS2 Phase 2a/)]);
    expect(bytes).toBeLessThan(300_000);
    await finish(page, 'strategy-dft');
  });

  it("shows an NHS trust's page: what its data set says of it and its 4-hour report card against the 95% target", async () => {
    const { page } = await open('/organisations/rjf');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('NHS provider RJF');
    expect(await summaryValue(page, 'About its data')).toMatch(/ODS codes only/);
    const card = page.getByRole('region', { name: 'A&E 4-hour performance', exact: true });
    expect(await summaryValue(page, 'Latest', card)).toMatch(
      /^Amber\s+92\.8% in 2018-06 against a target of 95\.0%$/,
    );
    expect(await card.getByRole('img', { name: /statistical process control chart/ }).count()).toBe(
      1,
    );
    expect(await page.getByRole('heading', { name: 'Returns' }).count()).toBe(1);
    expect(
      await page
        .getByText(
          'Not chased: its figures are imported from the published data set nhs-ae-attendances as published, not returned to the hub.',
        )
        .count(),
    ).toBe(1);
    await finish(page, 'organisation-trust');
  });

  it("shows a council's 108 indicators in one table, its family groups, and one report card when chosen", async () => {
    const { page, bytes } = await open('/organisations/angus');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Angus');
    expect(await summaryValue(page, 'Compared within')).toContain(FAMILY_GROUP);
    const table = page.getByRole('table', { name: /^108 indicators/ });
    expect(await table.locator('tbody tr').count()).toBe(108);
    expect(await page.getByRole('img', { name: /statistical process control chart/ }).count()).toBe(
      0,
    );
    expect(bytes).toBeLessThan(250_000);
    await Promise.all([
      page.waitForNavigation(),
      table
        .getByRole('link', {
          name: 'Support Services as a % of Total Gross Expenditure',
          exact: true,
        })
        .click(),
    ]);
    expect(
      await page
        .getByRole('region', {
          name: 'Support Services as a % of Total Gross Expenditure',
          exact: true,
        })
        .getByRole('img')
        .count(),
    ).toBe(1);
    await finish(page, 'organisation-council');
  });

  it("shows a department's page with its indicators and a way to its major projects", async () => {
    const { page } = await open('/organisations/dft');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      'Department for Transport',
    );
    // Its programmes, each with its delivery confidence and milestones, linked to its timeline on the Strategy page.
    const programmes = page.getByRole('table', {
      name: /^54 programmes: delivery confidence and milestones/,
    });
    expect(await programmes.locator('tbody tr').count()).toBe(54);
    expect(await programmes.locator('tbody a').first().getAttribute('href')).toMatch(
      /^\/strategy\?organisation=dft#programme-/,
    );
    expect(
      await page
        .getByRole('region', { name: 'Digital take-up', exact: true })
        .getByRole('img')
        .count(),
    ).toBe(1);
    await finish(page, 'organisation-department');
  });
});
