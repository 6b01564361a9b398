import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { readScriptEnv } from './env.ts';

/**
 * Launches headless Chromium as this machine needs it: no sandbox (root), and no background
 * networking, whose connections a closed network refuses. The browser tests have no entry point of
 * their own to read CHROMIUM_PATH and pass it, so the default reads it here.
 * @param executablePath the Chromium to run; by default CHROMIUM_PATH, else Debian's (`apt-get install chromium`)
 */
export async function launchChromium(
  executablePath = readScriptEnv().CHROMIUM_PATH,
): Promise<Browser> {
  if (!existsSync(executablePath))
    throw new Error(
      `no Chromium at ${executablePath}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
