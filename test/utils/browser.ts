import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launchChromium as launch } from '@crossgov/scripts';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';

/** Where each browser test saves its screenshots: kept as artefacts, ignored by git. */
export const ARTEFACTS = join(ROOT, 'test', 'artefacts');

/** Chromium for the browser tests, with the folder for their screenshots made first. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTEFACTS, { recursive: true });
  return launch();
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.0-2.2 A and AA rules) on the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the dashboard's CSP (script-src 'none') does not
  // govern, so the pages are checked exactly as served; a <script> tag would be refused.
  await page.evaluate(axe.source);
  // Runs in the page, where axe-core has just been loaded (this project's TypeScript has no DOM types).
  const violations = await page.evaluate(async () => {
    const { axe: runner, document } = globalThis as unknown as {
      axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> };
      document: unknown;
    };
    const result = await runner.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
