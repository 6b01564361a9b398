import { join } from 'node:path';
import { startGateway } from '@crossgov/gateway';
import type { Browser, Locator, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE } from '@crossgov/testing/database';
import { ARTEFACTS, launchChromium, seriousViolations } from '@crossgov/testing/browser';
import { type TestGraph, startTestGraph } from '@crossgov/testing/graph';
import { startTcpProxy } from '@crossgov/testing/proxy';

// Every page of the dashboard on the seeded graph (today 2026-11-21), read the way a civil servant on a strategy team
// reads it: what each page must say is checked, each is saved as a screenshot at 1366 x 768 (a laptop) and 390 wide
// (a phone) in test/artefacts, checked with axe-core, for GOV.UK's side margins at 1366 and for nothing wider than a
// phone at 390.

/** The text of each cell of a table's rows, by row. */
const tableRows = async (table: Locator) =>
  Promise.all(
    (await table.locator('tbody tr').all()).map(async (row) =>
      (await row.locator('th, td').allInnerTexts()).map((t) => t.trim()),
    ),
  );

/** A row of a table by its first cell. */
async function rowNamed(table: Locator, name: string): Promise<string[]> {
  const row = (await tableRows(table)).find((cells) => cells[0] === name);
  expect(row, `a row for ${name}`).toBeDefined();
  return row!;
}

/** Expected = received + late not yet received + missing, for every row of a completeness table; returns the rows by organisation. */
async function completenessAddsUp(table: Locator): Promise<Map<string, number[]>> {
  const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim());
  const at = (name: RegExp) => headers.findIndex((h) => name.test(h));
  const columns = [at(/^Expected/), at(/^Received/), at(/^Late, not yet received/), at(/^Missing/)];
  expect(
    columns.every((c) => c > 0),
    headers.join(' | '),
  ).toBe(true);
  const byName = new Map<string, number[]>();
  for (const cells of await tableRows(table)) {
    const [expected, received, outstanding, missing] = columns.map((c) =>
      Number(cells[c]!.replace(/,/g, '')),
    );
    expect(received! + outstanding! + missing!, cells.join(' | ')).toBe(expected);
    byName.set(cells[0]!, [expected!, received!, outstanding!, missing!]);
  }
  return byName;
}

interface View {
  name: string;
  path: string;
  status?: number;
  heading: string;
  check: (page: Page) => Promise<void>;
}

const VIEWS: View[] = [
  {
    name: 'overview',
    path: '/',
    heading: 'Performance across government',
    check: async (page) => {
      const matrix = page.getByRole('table', {
        name: /Latest figure of each standard indicator by organisation/,
      });
      // The six organisations that owe standard indicators are its columns; the two that owe none are named instead.
      expect(await matrix.locator('thead th').allInnerTexts()).toEqual([
        'Indicator',
        'Defence',
        'Matrix',
        'Overseas',
        'Synergy',
        'Unity',
        'HM Revenue and Customs',
      ]);
      expect(
        await page
          .getByText(/Norfolk County Council and Interoperability owe none of these indicators/)
          .count(),
      ).toBe(1);
      // A cluster does not owe the GDS service KPIs: "Not owed", which the key tells apart from "Not reported".
      const completion = await rowNamed(matrix, 'Completion rate');
      expect(completion.slice(1, 6)).toEqual(Array(5).fill('Not owed'));
      expect(completion[6]).toMatch(/^Green\s+Synthetic\s+86\.0% \(2026-09\)/);
      expect(
        await page.getByText(/Not reported: the organisation owes the indicator/).count(),
      ).toBe(1);
      // Marks: every seeded figure is synthetic; Matrix's July invoices figure is stale (August's was due 30 September, missing from 31 October).
      const invoices = await rowNamed(matrix, 'Invoices paid within 5 days');
      expect(invoices[2]).toMatch(
        /^Green\s+Stale\s+Synthetic\s+92\.0% \(2026-07\)\s+The figure for 2026-08 was due by 30 September 2026 and is missing/,
      );
      // Both directions of travel are named.
      expect(invoices[5]).toMatch(
        /Since previous period \(2026-08\): worsening\s+Year on year \(2025-09\): worsening/,
      );
      // Exceptions, most severe first: every Red before every Amber, the rule for the order said.
      const exceptions = page.getByRole('table', {
        name: /exceptions on \d+ indicators, most severe first/,
      });
      const ratings = (await tableRows(exceptions)).map((cells) => cells[2]!.split(/\s/)[0]);
      expect(ratings.length).toBeGreaterThan(5);
      expect(ratings.lastIndexOf('Red')).toBeLessThan(ratings.indexOf('Amber'));
      // The same numbers as the matrix: 83.3%, not 83.266.
      expect(
        await exceptions
          .getByText('The latest value (83.3% in 2026-09) is Red.', { exact: false })
          .count(),
      ).toBe(1);
      // Completeness: one window, every row adds up; Overseas (all milestones complete) owes no milestone returns.
      const returns = page.getByRole('table', {
        name: /Returns received against returns expected/,
      });
      const counts = await completenessAddsUp(returns);
      expect([...counts.keys()]).toHaveLength(8);
      const overseas = await rowNamed(returns, 'Overseas');
      expect(overseas.at(-1)).not.toMatch(/milestones/);
      expect(
        await page
          .getByText(
            /Every figure and list counts the returns due from 22 November 2025 to 21 November 2026/,
          )
          .count(),
      ).toBe(1);
    },
  },
  {
    name: 'organisation-norfolk',
    path: '/organisations/norfolk',
    heading: 'Norfolk County Council',
    check: async (page) => {
      const card = page.getByRole('region', {
        name: 'Abandonment rate - % of calls abandoned on the ICT Service Desk',
        exact: true,
      });
      await expect.poll(() => card.getByRole('img').count()).toBe(1);
      expect(await card.getByRole('img').getAttribute('aria-labelledby')).toBeTruthy();
      // Stale: its latest figure is from February 2019.
      expect(await card.getByRole('heading', { level: 2 }).innerText()).toMatch(/Stale/);
      // The council's published card (../shared/data/norfolk-report-cards.json, card 608).
      for (const key of [
        'Why it matters',
        'What success looks like',
        'Actions',
        'Lead officer',
        'Data owner',
      ])
        expect(await card.getByText(key, { exact: true }).count(), key).toBe(1);
      // Card 636 was published with only "Why is this important?": a short card, no rows of "Not recorded".
      const availability = page.getByRole('region', { name: 'Systems availability', exact: true });
      expect(await availability.getByText('Why it matters', { exact: true }).count()).toBe(1);
      expect(await availability.getByText('What success looks like', { exact: true }).count()).toBe(
        0,
      );
      expect(await page.getByText('Not recorded').count()).toBe(0);
      // The table alternative (in a details element, closed until asked for) holds every period the chart shows.
      await card.getByText(/as a table$/).click();
      expect(await card.getByRole('table').getByRole('row').count()).toBeGreaterThan(12);
    },
  },
  {
    name: 'organisation-unity',
    path: '/organisations/unity',
    heading: 'Unity',
    check: async (page) => {
      // A cluster: its lead, its member departments today, its programmes and its returns.
      const members = page.getByRole('table', { name: '3 departments are members of Unity today' });
      expect((await tableRows(members)).map((cells) => cells[0])).toEqual([
        'HM Revenue and Customs (HMRC) Lead',
        'Department for Transport (DFT)',
        'Ministry of Housing, Communities and Local Government (MHCLG)',
      ]);
      expect(
        await members.getByRole('link', { name: 'HM Revenue and Customs' }).getAttribute('href'),
      ).toBe('/organisations/hmrc');
      const programmes = page.getByRole('table', {
        name: /^1 programme: delivery confidence and milestones/,
      });
      expect(await rowNamed(programmes, 'Unity shared services programme')).toEqual([
        'Unity shared services programme',
        expect.stringMatching(/^Red/),
        '2 milestones: 2 done, 0 late',
      ]);
      const returns = page.getByRole('table', {
        name: 'Returns received against returns expected',
      });
      expect(await returns.count()).toBe(1);
      const card = page.getByRole('region', { name: 'Invoices paid within 5 days', exact: true });
      expect(
        await card
          .getByText(
            /^Since previous period \(2026-08\): worsening; year on year \(2025-09\): worsening$/,
          )
          .count(),
      ).toBe(1);
    },
  },
  {
    name: 'organisation-hmrc',
    path: '/organisations/hmrc',
    heading: 'HM Revenue and Customs',
    check: async (page) => {
      // A department: the cluster it belongs to, linked, and its services.
      const cluster = page.getByRole('link', { name: 'Unity', exact: true }).first();
      expect(await cluster.getAttribute('href')).toBe('/organisations/unity');
      const membership = page.locator('.govuk-summary-list__row', {
        has: page.getByText('Member of', { exact: true }),
      });
      expect((await membership.locator('dd').innerText()).trim()).toBe('Unity from 1 March 2021');
      expect(
        await page
          .getByRole('table', { name: '4 services HM Revenue and Customs runs' })
          .locator('tbody tr')
          .count(),
      ).toBe(4);
    },
  },
  {
    name: 'strategy',
    path: '/strategy',
    heading: 'Strategy progress',
    check: async (page) => {
      // The summary the API computes (government.progress) comes first, before any timeline.
      const tables = page.getByRole('table');
      expect(await tables.first().locator('caption').innerText()).toBe(
        'Milestones and delivery confidence',
      );
      const summary = page.getByRole('table', { name: 'Milestones and delivery confidence' });
      expect(await rowNamed(summary, 'Overseas')).toEqual([
        'Overseas',
        '2',
        '2',
        '0',
        'on time',
        expect.stringMatching(/^Amber/),
      ]);
      expect(await rowNamed(summary, 'All of the strategy')).toEqual([
        'All of the strategy',
        '12',
        '10',
        '3',
        'on time',
        '',
      ]);
      const completeness = await completenessAddsUp(
        page.getByRole('table', { name: 'Completeness of returns' }),
      );
      expect(completeness.get('All of the strategy')![0]).toBe(
        [...completeness]
          .filter(([name]) => name !== 'All of the strategy')
          .reduce((sum, [, [expected]]) => sum + expected!, 0),
      );
      expect(
        await page
          .getByRole('img', { name: /milestones, baseline against forecast and actual/ })
          .count(),
      ).toBeGreaterThan(3);
      expect(await page.getByRole('table', { name: /^Milestones of / }).count()).toBeGreaterThan(3);
      expect(
        await page.getByRole('table', { name: /^Delivery confidence history of / }).count(),
      ).toBeGreaterThan(3);
    },
  },
  {
    name: 'compare',
    // No period: the latest most of the five clusters have reported (2026-09 has Unity alone).
    path: '/compare?indicator=ss-invoices-paid-5-days',
    heading: 'Compare organisations',
    check: async (page) => {
      expect(
        await page
          .getByRole('heading', { level: 2, name: 'Invoices paid within 5 days, 2026-08' })
          .count(),
      ).toBe(1);
      expect(
        await page
          .getByText(
            'Period 2026-08: the latest period at least half of the 5 expected organisations reported (3 of 5)',
            { exact: false },
          )
          .count(),
      ).toBe(1);
      const league = page.getByRole('table', { name: /League table/ });
      expect((await tableRows(league)).map((cells) => cells[1])).toEqual([
        'Defence Synthetic',
        'Overseas Synthetic',
        'Unity Synthetic',
      ]);
      expect(await page.getByRole('img', { name: /funnel plot/ }).count()).toBe(1);
      expect(await page.getByText('Volume (invoices paid)').count()).toBe(1);
      expect(await page.getByText('Outside 99.8% limits (filled diamond)').count()).toBe(1);
      // Only periods with figures are offered, each with its count.
      const periods = await page.getByLabel('Period').locator('option').allInnerTexts();
      expect(periods.slice(0, 4)).toEqual([
        'Latest most have reported (default)',
        '2026-09 (1 of 5 reported)',
        '2026-08 (3 of 5 reported)',
        '2026-07 (5 of 5 reported)',
      ]);
    },
  },
  {
    name: 'compare-few-reported',
    path: '/compare?indicator=ss-invoices-paid-5-days&period=2026-09',
    heading: 'Compare organisations',
    check: async (page) => {
      expect(await page.locator('.govuk-warning-text').innerText()).toMatch(
        /Only 1 of 5 organisations reported 2026-09/,
      );
    },
  },
  {
    name: 'compare-cost-per-transaction',
    path: '/compare?indicator=gds-cost-per-transaction',
    heading: 'Compare organisations',
    check: async (page) => {
      expect(await page.getByRole('img', { name: /funnel plot/ }).count()).toBe(0);
      expect(
        await page
          .getByText(
            'A funnel plot compares proportions; this indicator is an amount of money, not a proportion.',
            { exact: false },
          )
          .count(),
      ).toBe(1);
    },
  },
  {
    name: 'compare-bad-period',
    path: '/compare?indicator=ss-invoices-paid-5-days&period=2026-13',
    status: 400,
    heading: 'Compare organisations',
    check: async (page) => {
      // The GOV.UK error summary first, linking to the field, above the same form with the indicator kept.
      const summary = page.locator('.govuk-error-summary');
      expect(await page.locator('main > *').first().getAttribute('class')).toContain(
        'govuk-error-summary',
      );
      expect(await summary.getByRole('alert').locator('h2').innerText()).toBe('There is a problem');
      expect(await summary.getByRole('link').getAttribute('href')).toBe('#period');
      expect(await summary.innerText()).toMatch(/"2026-13" is not a period/);
      expect(await page.locator('.govuk-form-group--error #period').count()).toBe(1);
      expect(await page.getByLabel('Indicator').inputValue()).toBe('ss-invoices-paid-5-days');
      expect(await page.title()).toMatch(/^Error: /);
    },
  },
];

describe(`the dashboard in headless Chromium on ${STORAGE}`, () => {
  let graph: TestGraph;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    [graph, browser] = await Promise.all([startTestGraph(), launchChromium()]);
    base = graph.gatewayUrl.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await browser?.close();
    await graph?.stop();
  });

  for (const view of VIEWS) {
    it(`shows the ${view.name} page with its key content from one GraphQL query, with GOV.UK margins at 1366 px, nothing wider than a 390 px phone, and no serious or critical accessibility violation`, async () => {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(new URL(request.url()).pathname));
      const response = await page.goto(base + view.path);
      expect(response!.status()).toBe(view.status ?? 200);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(view.heading);
      await view.check(page);
      // One query per view, run by the server; the browser fetches only the page, its styles and its icon.
      if (response!.status() === 200)
        expect(response!.headers()['server-timing']).toMatch(
          /^graphql;desc="1 query";dur=[\d.]+, render;dur=[\d.]+$/,
        );
      expect(requests.filter((path) => path.includes('graphql'))).toEqual([]);
      // GOV.UK's side margins: no text starts within 15 px of either edge (at 1366 px it touched both).
      expect(await textNearEdges(page)).toEqual([]);
      await page.screenshot({
        path: join(ARTEFACTS, `dashboard-${view.name}-1366.png`),
        fullPage: true,
      });
      expect(await seriousViolations(page)).toEqual([]);
      // A phone: the page itself never scrolls sideways (a wide table scrolls inside its own region).
      await page.setViewportSize({ width: 390, height: 844 });
      expect(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
              .document.documentElement.scrollWidth,
        ),
      ).toBeLessThanOrEqual(390);
      await page.screenshot({
        path: join(ARTEFACTS, `dashboard-${view.name}-390.png`),
        fullPage: true,
      });
      await page.close();
    });
  }

  it('serves a GraphQL explorer at /graphql that renders and runs a query with no network beyond loopback', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const elsewhere: string[] = [];
    await context.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      if (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]')
        return route.continue();
      elsewhere.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    try {
      expect((await page.goto(`${base}/graphql`))!.status()).toBe(200);
      await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
      await page.locator('.graphiql-execute-button').click();
      await expect
        .poll(() => page.locator('.result-window').innerText(), { timeout: 30_000 })
        .toMatch(/"organisations"/);
      await page.screenshot({ path: join(ARTEFACTS, 'explorer-1366.png') });
      expect(elsewhere).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("says, before the heading, when the organisations shown are the directory's last good answers, with no serious or critical accessibility violation", async () => {
    // A second gateway whose directory is behind a proxy, stopped once the Overview has been seen.
    const proxy = await startTcpProxy(graph.subgraphUrls.directory!);
    const gateway = await startGateway({
      supergraphSdl: graph.supergraphSdl,
      subgraphUrls: { ...graph.subgraphUrls, directory: proxy.url },
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    // The pages' CSP allows no script, and axe is one injected into the page.
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    try {
      expect((await page.goto(gateway.baseUrl))!.status()).toBe(200);
      await proxy.set('refuse');
      expect((await page.goto(gateway.baseUrl))!.status()).toBe(200);
      const notice = page.getByRole('region', { name: 'Important' });
      expect(await notice.innerText()).toMatch(
        /The directory of organisations could not be reached; organisations and memberships are as of \d{1,2}:\d\d[ap]m UTC on \d{1,2} \w+ \d{4}\./,
      );
      expect(await page.locator('main > *').first().getAttribute('id')).toBe('stale');
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
        'Performance across government',
      );
      await page.screenshot({
        path: join(ARTEFACTS, 'dashboard-overview-stale-1366.png'),
        fullPage: true,
      });
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await page.close();
      await gateway.stop();
      await proxy.close();
    }
  });

  it('can be used from the keyboard: the skip link comes first and leads to the main content', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { textContent: string } | null } })
            .document.activeElement?.textContent,
      ),
    ).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#main-content');
    await page.close();
  });

  it('answers an unknown organisation with 404, and has a favicon', async () => {
    const page = await browser.newPage();
    const missing = await page.goto(`${base}/organisations/atlantis`);
    expect(missing!.status()).toBe(404);
    const icon = await page.request.get(`${base}/favicon.ico`);
    expect(icon.status()).toBe(200);
    await page.close();
  });
});

/**
 * Elements in the main content whose own text starts within 15 px of the window's left or right edge, each named
 * by its text: GOV.UK keeps a margin of 15 px on a phone and 30 px from a tablet up. A region that scrolls sideways
 * is measured by its own box, not its content.
 */
async function textNearEdges(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document, window } = globalThis as unknown as {
      document: {
        querySelectorAll(s: string): ArrayLike<{
          childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
          getBoundingClientRect(): { left: number; right: number; width: number };
          closest(s: string): unknown;
        }>;
      };
      window: { innerWidth: number };
    };
    const near: string[] = [];
    for (const element of Array.from(document.querySelectorAll('main *, header *, footer *'))) {
      const text = Array.from(element.childNodes)
        .filter((n) => n.nodeType === 3)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (!text || element.closest('.app-matrix, svg, [hidden], .govuk-visually-hidden')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0) continue;
      if (box.left < 15 || box.right > window.innerWidth - 15)
        near.push(`${text.slice(0, 40)} (${Math.round(box.left)}-${Math.round(box.right)})`);
    }
    return near;
  });
}
