/**
 * `npm run bench:console -- [--runs 5] [--ready <css selector>]`: the console's bundle size and
 * its first paint on the ministry page (#16). Builds the console when its build is stale, lists
 * the files the page loads first and those loaded on demand (raw, gzip and brotli bytes), then
 * starts the demo federation (PGlite, or PostgreSQL with DATABASE_URL), seeds the 2020 demo,
 * and opens the ministry's page `runs` times in a fresh Chromium context each (cold cache, signed
 * in as the ministry through the development sign-in): first contentful paint, the moment the
 * nation's map is drawn (`--ready`), and the bytes transferred. Prints Markdown (medians and
 * min–max).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONSOLE_APP_DIR, ensureConsoleBuilt } from '@p2p/console';
import { consoleContext, launchChromium } from '../harness/browser.js';
import { startFederation } from '../harness/federation.js';
import { DEMO_PROVINCES } from '../demo/data.js';
import { seedDemo } from '../demo/seed.js';
import { bundleFiles, bundleTotals, type BundleFile } from './console-bundle.js';

const KB = 1024;
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const spread = (values: number[]) =>
  `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;

/** One opening of the ministry's page. */
interface PaintSample {
  firstContentfulPaintMs: number;
  mapDrawnMs: number;
  transferredBytes: number;
}

function bundleTable(files: readonly BundleFile[]): string[] {
  const row = (name: string, f: { bytes: number; gzipBytes: number; brotliBytes: number }) =>
    `| ${name} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} | ${kb(f.brotliBytes)} |`;
  const initial = files.filter((f) => f.initial);
  const lazy = files.filter((f) => !f.initial);
  return [
    '| file | raw | gzip | brotli |',
    '| --- | ---: | ---: | ---: |',
    ...initial.map((f) => row(`${f.path} (with the page)`, f)),
    row('**loaded with the page**', bundleTotals(initial)),
    ...lazy.map((f) => row(`${f.path} (on demand)`, f)),
    row('**everything**', bundleTotals(files)),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      ready: { type: 'string', default: '[data-testid="nation-map"] canvas' },
    },
  });
  const runs = Number(values.runs);
  await ensureConsoleBuilt({ log: (line) => console.error(line) });
  const files = bundleFiles(CONSOLE_APP_DIR);

  const dir = mkdtempSync(join(tmpdir(), 'p2p-bench-console-'));
  const rolesFile = join(dir, 'roles.json');
  writeFileSync(rolesFile, JSON.stringify([{ label: 'Ministry', role: 'ministry' }]));
  console.error(`starting ${DEMO_PROVINCES.length} provinces and seeding the demo…`);
  const federation = await startFederation({
    provinces: [...DEMO_PROVINCES],
    gatewayEnv: { CONSOLE_DEV_ROLES_FILE: rolesFile },
  });
  const browser = await launchChromium();
  const samples: PaintSample[] = [];
  try {
    await seedDemo(federation.gatewayUrl, {
      provinces: [...DEMO_PROVINCES],
      tokenFor: federation.tokenFor,
      waitForRelay: () => federation.waitForRelay({ timeoutMs: 60_000 }),
    });
    const pageUrl = new URL('/console/nation', federation.gatewayUrl).toString();
    for (let run = 0; run <= runs; run++) {
      const context = await consoleContext(browser);
      // The development sign-in keeps the picked role in the tab: the page opens signed in.
      await context.addInitScript(() => sessionStorage.setItem('p2p.console.devRole', 'Ministry'));
      const page = await context.newPage();
      await page.goto(pageUrl);
      await page.locator(values.ready!).first().waitFor({ timeout: 30_000 });
      const sample = await page.evaluate(() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return {
          firstContentfulPaintMs: paint?.startTime ?? Number.NaN,
          mapDrawnMs: performance.now(),
          transferredBytes:
            navigation.transferSize + resources.reduce((sum, r) => sum + (r.transferSize || 0), 0),
        };
      });
      // The first opening warms the services (and the gateway's query plans): not counted.
      if (run > 0) samples.push(sample);
      await context.close();
    }
  } finally {
    await browser.close();
    await federation.close();
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(
    [
      '### The console bundle (`vite build`)',
      '',
      ...bundleTable(files),
      '',
      `### The ministry's page, ${runs} cold openings (median, min–max)`,
      '',
      '| measure | ms or bytes |',
      '| --- | ---: |',
      `| first contentful paint | ${spread(samples.map((s) => s.firstContentfulPaintMs))} ms |`,
      `| map drawn (\`${values.ready}\`) | ${spread(samples.map((s) => s.mapDrawnMs))} ms |`,
      `| bytes transferred until then | ${kb(median(samples.map((s) => s.transferredBytes)))} |`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
