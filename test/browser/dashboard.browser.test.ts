import { join } from 'node:path';
import { startGateway } from '@crossgov/gateway';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTEFACTS, launchChromium, seriousViolations } from '../utils/browser.ts';
import { STORAGE, type TestGraph, startTestGraph } from '../utils/graph.ts';
import { startTcpProxy } from '../utils/proxy.ts';

/** Each page of the dashboard, what a strategy team must find on it, and how to find it. */
const PAGES: { name: string; path: string; heading: string; check: (page: Page) => Promise<void> }[] = [
  {
    name: 'overview',
    path: '/',
    heading: 'Performance across government',
    check: async (page) => {
      const matrix = page.getByRole('table', { name: /Latest figure of each standard indicator by organisation/ });
      await expect.poll(() => matrix.getByRole('columnheader').allInnerTexts()).toEqual(expect.arrayContaining(['Synergy', 'Matrix', 'Unity', 'Defence', 'Overseas']));
      // RAG is written, never colour alone.
      expect(await matrix.locator('.govuk-tag').first().innerText()).toMatch(/^(Green|Amber|Red|No target)$/);
      expect(await matrix.getByText(/^SPC: /).count()).toBeGreaterThan(10);
      expect(await page.getByRole('table', { name: /exceptions/ }).getByRole('row').count()).toBeGreaterThan(1);
      expect(await page.getByRole('table', { name: /Returns received against returns expected/ }).getByRole('row').count()).toBe(1 + 8);
    },
  },
  {
    name: 'organisation',
    path: '/organisations/norfolk',
    heading: 'Norfolk County Council',
    check: async (page) => {
      const card = page.getByRole('region', { name: 'Abandonment rate - % of calls abandoned on the ICT Service Desk' });
      await expect.poll(() => card.getByRole('img').count()).toBe(1);
      expect(await card.getByRole('img').getAttribute('aria-labelledby')).toBeTruthy();
      for (const key of ['Why it matters', 'What success looks like', 'Actions', 'Lead officer', 'Data owner']) expect(await card.getByText(key, { exact: true }).count(), key).toBe(1);
      // The table alternative (in a details element, closed until asked for) holds every period the chart shows.
      await card.getByText(/as a table$/).click();
      expect(await card.getByRole('table').getByRole('row').count()).toBeGreaterThan(12);
    },
  },
  {
    name: 'strategy',
    path: '/strategy',
    heading: 'Strategy progress',
    check: async (page) => {
      expect(await page.getByRole('img', { name: /milestones, baseline against forecast and actual/ }).count()).toBeGreaterThan(3);
      expect(await page.getByRole('table', { name: /^Milestones of / }).count()).toBeGreaterThan(3);
      expect(await page.getByRole('table', { name: /^Delivery confidence history of / }).count()).toBeGreaterThan(3);
    },
  },
  {
    name: 'compare',
    // A month every cluster has reported (the latest month is one only some have).
    path: '/compare?indicator=ss-invoices-paid-5-days&period=2026-06',
    heading: 'Compare organisations',
    check: async (page) => {
      const league = page.getByRole('table', { name: /League table/ });
      expect(await league.getByRole('row').count()).toBe(1 + 5);
      expect(await page.getByRole('img', { name: /funnel plot/ }).count()).toBe(1);
      expect(await page.getByLabel('Indicator').inputValue()).toBe('ss-invoices-paid-5-days');
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

  for (const view of PAGES) {
    it(`shows the ${view.name} page with its key content from one GraphQL query, with no serious or critical accessibility violation`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(new URL(request.url()).pathname));
      const response = await page.goto(base + view.path);
      expect(response!.status()).toBe(200);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(view.heading);
      await view.check(page);
      // One query per view, run by the server; the browser fetches only the page and its styles.
      expect(response!.headers()['server-timing']).toMatch(/^graphql;desc="1 query";dur=[\d.]+, render;dur=[\d.]+$/);
      expect(requests.filter((path) => path.includes('graphql'))).toEqual([]);
      await page.screenshot({ path: join(ARTEFACTS, `dashboard-${view.name}.png`), fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });
  }

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
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      expect((await page.goto(gateway.baseUrl))!.status()).toBe(200);
      await proxy.set('refuse');
      expect((await page.goto(gateway.baseUrl))!.status()).toBe(200);
      const notice = page.getByRole('region', { name: 'Important' });
      expect(await notice.innerText()).toMatch(
        /The directory of organisations could not be reached; organisations and memberships are as of \d{1,2}:\d\d[ap]m UTC on \d{1,2} \w+ \d{4}\./,
      );
      expect(await page.locator('main > *').first().getAttribute('id')).toBe('stale');
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Performance across government');
      await page.screenshot({ path: join(ARTEFACTS, 'dashboard-overview-stale.png'), fullPage: true });
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
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#main-content');
    await page.close();
  });

  it('answers a bad period on the comparison page with the rule it broke, and an unknown organisation with 404', async () => {
    const page = await browser.newPage();
    const bad = await page.goto(`${base}/compare?indicator=ss-invoices-paid-5-days&period=2026-13`);
    expect(bad!.status()).toBe(400);
    expect(await page.locator('main').innerText()).toMatch(/2026-13/);
    const missing = await page.goto(`${base}/organisations/atlantis`);
    expect(missing!.status()).toBe(404);
    await page.close();
  });
});
