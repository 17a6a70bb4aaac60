/**
 * Real Chromium for the console's browser tests: Debian's `chromium` (`.ci/run` installs it with
 * apt when missing; no test downloads a browser), driven by playwright-core. Pages open at
 * 1440×900 in Chinese; screenshots go to `gateway/console/screenshots/` (not committed); the
 * accessibility check is axe-core run in the page.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where Chromium is: `CHROMIUM_PATH`, else Debian's. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Where the tests' screenshots go (gitignored). */
export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../../gateway/console/screenshots/', import.meta.url),
);
/** The viewport of every page and screenshot. */
export const VIEWPORT = { width: 1440, height: 900 } as const;

/** True when Chromium can be started here (CI installs it; a developer without it skips the browser tests). */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Starts headless Chromium with the flags this machine's closed network needs. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
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

/** A fresh browser context (its own storage) at 1440×900, Chinese, with downloads allowed. */
export async function consoleContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', acceptDownloads: true });
}

/** Opens the console of `gatewayUrl` (its `/graphql` URL or base) and signs in with the development role whose label contains `label`. */
export async function signInAs(page: Page, gatewayUrl: string, label: string): Promise<void> {
  await page.goto(new URL('/console/', gatewayUrl).toString());
  await page.getByRole('button', { name: label }).click();
  await page.getByTestId('caller').waitFor();
}

/** Saves a screenshot of the page as `<name>.png` in {@link SCREENSHOT_DIR}. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** An axe-core violation as the tests report it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

const axeSource = () => readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2 A/AA rules) in the page; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the console's CSP (no inline script) stays on.
  await page.evaluate(axeSource());
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.flatMap((n) => n.target).slice(0, 5),
      }));
  });
}
