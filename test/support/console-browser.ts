// The console's browser tests: Debian's Chromium (/usr/bin/chromium, no browser download) driven by playwright-core,
// headless and quiet (no background network, no component updates), and a page in the console's language that
// records every console error and uncaught exception for the test to assert on.
import { chromium, type Browser, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
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

/** A fresh context (own storage) at 1366×900 with the console set to `lang`, opened at `${gatewayUrl}/console/`. */
export async function openConsole(
  browser: Browser,
  gatewayUrl: string,
  lang: 'zh' | 'en',
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: lang === 'zh' ? 'zh-CN' : 'en-GB',
  });
  await context.addInitScript({ content: `localStorage.setItem('xborder.lang', '${lang}');` });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${gatewayUrl}/console/`);
  return { page, errors };
}
