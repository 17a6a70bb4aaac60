/**
 * The province officer's worklist in Chromium, over Guangxi (450000) and Beijing (110000): a
 * 200-row registry CSV with 3 bad rows imported from the page (progress, 197 registered, the 3
 * rejects by line and as a CSV download), the imported workers listed as the API counts them, and
 * "one vehicle, one plan": workers chosen by travel intent, a trip planned, assigned and boarded.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphqlData } from '@p2p/runtime';
import { residentIdFrom } from '@p2p/schema';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { consoleContext, saveScreenshot, seriousAxeViolations, signInAs } from '../../harness/index.js';
import { describeInBrowser, startConsoleHub, type ConsoleHub } from './console-hub.js';

const GX = '450000';
const ROWS = 200;
/** Bad on purpose, by line: a wrong check digit (found in the page), a phone Guangxi refuses, a region that does not exist. */
const BAD_LINES = { 12: 'BAD_USER_INPUT', 77: 'BAD_USER_INPUT', 150: 'BAD_USER_INPUT' } as const;
const DESTINATION = '110105';
const DAY = 86_400_000;

/** The registry: Chinese headings, a BOM, an extra column; row i on line i + 2, Liuzhou homes. */
function registry(): string {
  const lines = ['\uFEFF序号,姓名,身份证号,手机号码,户籍地区划代码,技能,建档立卡贫困户'];
  for (let i = 0; i < ROWS; i++) {
    const line = i + 2;
    let id = residentIdFrom('450203', `1991${String(1 + (i % 12)).padStart(2, '0')}15`, i);
    let phone = `137${String(i).padStart(8, '0')}`;
    let home = i % 2 ? '450203001' : '450203';
    if (line === 12) id = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    if (line === 77) phone = '12345';
    if (line === 150) home = '459999';
    lines.push(
      [i + 1, `桂工${i}`, id, phone, home, i % 3 ? '电工、焊工' : '', i % 5 ? '否' : '是'].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Every value the page's <progress> element takes, recorded in the page from now on. */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { progressSeen: number[] }).progressSeen = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('progress');
      if (bar) seen.push(bar.value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

describeInBrowser('province worklist', () => {
  let hub: ConsoleHub;
  let dir: string;
  let officer: Record<string, string>;
  const api = <T = any>(query: string, variables?: Record<string, unknown>) =>
    graphqlData<T>(hub.federation.gatewayUrl, query, variables, officer);

  beforeAll(async () => {
    hub = await startConsoleHub({ provinces: ['110000', GX] });
    officer = await hub.federation.authorization('province', GX);
    dir = mkdtempSync(join(tmpdir(), 'p2p-worklist-'));
  }, 180_000);
  afterAll(async () => {
    await hub?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should import a 200-row registry with 3 bad rows, showing progress and the rejects by line', async () => {
    const file = join(dir, 'guangxi-registry.csv');
    writeFileSync(file, registry());
    const context = await consoleContext(hub.browser);
    const page = await context.newPage();
    await signInAs(page, hub.federation.gatewayUrl, 'Guangxi province');
    await page.getByRole('link', { name: '工作清单' }).click();
    await page.getByRole('tab', { name: '名册导入' }).click();
    await page.getByLabel('名册文件').setInputFiles(file);
    await recordProgress(page);
    await page.getByRole('button', { name: '开始导入' }).click();

    await expect
      .poll(() => page.getByTestId('import-registered').textContent(), { timeout: 30_000 })
      .toBe('197');
    await expect(page.getByTestId('import-rows').textContent()).resolves.toBe(String(ROWS));
    await expect(page.getByTestId('import-rejected').textContent()).resolves.toBe('3');
    const progress = page.locator('#import-progress');
    expect(await progress.evaluate((bar: HTMLProgressElement) => [bar.value, bar.max])).toEqual([ROWS, ROWS]);
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(
      seen.some((v) => v > 0 && v < ROWS),
      `progress values ${seen.join(',')}`,
    ).toBe(true);

    const rejects = page.getByTestId('rejects').locator('tbody tr');
    const shown = await rejects.evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => td.textContent ?? '')),
    );
    expect(shown.map(([line, code]) => [Number(line), code])).toEqual(
      Object.entries(BAD_LINES).map(([line, code]) => [Number(line), code]),
    );
    expect(shown[0]![2]).toMatch(/check digit/);
    expect(shown[1]![2]).toMatch(/^phone:/);
    expect(shown[2]![2]).toMatch(/^homeRegion: not a GB\/T 2260 region code/);
    expect(JSON.stringify(shown)).not.toMatch(/桂工|4502031991|12345/); // no personal value in the rejects

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载未导入清单（CSV）' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('line,code,reason');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      '12,BAD_USER_INPUT',
      '77,BAD_USER_INPUT',
      '150,BAD_USER_INPUT',
    ]);

    await saveScreenshot(page, 'import');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it('should list the imported workers as the API counts them, and plan, fill and board a trip by intent', async () => {
    const total = (await api(`{ workers(homeRegion: "${GX}") { totalCount } }`)).workers.totalCount as number;
    expect(total).toBe(ROWS - 3);
    // Five of them declare they go to Beijing Chaoyang; four have a GREEN code checked by an officer.
    const chosen = (
      await api(`{ workers(homeRegion: "${GX}", first: 5) { edges { node { id name } } } }`)
    ).workers.edges.map((e: { node: { id: string; name: string } }) => e.node) as {
      id: string;
      name: string;
    }[];
    const today = new Date().toISOString().slice(0, 10);
    const later = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    const intents = await api(
      'mutation($items: [TravelIntentItemInput!]!) { reportTravelIntents(items: $items) { items { error { code message } } } }',
      {
        items: chosen.map((w) => ({
          workerId: w.id,
          input: { earliestDate: today, latestDate: later, destination: DESTINATION, mode: 'BUS' },
        })),
      },
    );
    expect(intents.reportTravelIntents.items.filter((i: { error: unknown }) => i.error)).toEqual([]);
    const checks = await api(
      'mutation($items: [HealthCheckItemInput!]!) { recordHealthChecks(items: $items) { items { error { code message } } } }',
      {
        items: chosen.slice(0, 4).map((w) => ({
          workerId: w.id,
          input: {
            code: 'GREEN',
            issuedBy: GX,
            checkedAt: new Date(Date.now() - 3_600_000).toISOString(),
            validUntil: new Date(Date.now() + 7 * DAY).toISOString(),
          },
        })),
      },
    );
    expect(checks.recordHealthChecks.items.filter((i: { error: unknown }) => i.error)).toEqual([]);

    const context = await consoleContext(hub.browser);
    const page = await context.newPage();
    await signInAs(page, hub.federation.gatewayUrl, 'Guangxi province');
    await page.getByRole('link', { name: '工作清单' }).click();
    await expect
      .poll(() => page.getByTestId('worker-count').textContent())
      .toBe(`共 ${total} 人，已显示 50 人`);
    await page.getByRole('button', { name: '加载更多' }).click();
    await expect
      .poll(() => page.getByTestId('worker-count').textContent())
      .toBe(`共 ${total} 人，已显示 100 人`);

    await page.getByLabel('意向目的地（区划代码）').fill(DESTINATION);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.getByTestId('worker-count').textContent()).toBe('共 5 人，已显示 5 人');
    await page.getByLabel('选择本页全部工人').check();
    await page.getByLabel('车牌/车次/航班号').fill('桂B·W0001');
    // A refused plan says why, with the error's code.
    await page.getByLabel('出发地（区划代码）').fill('459999');
    await page.getByRole('button', { name: '计划行程' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/BAD_USER_INPUT.*459999/);
    await page.getByLabel('出发地（区划代码）').fill(GX);
    await page.getByRole('button', { name: '计划行程' }).click();
    await expect.poll(() => page.getByTestId('trip-status').textContent()).toBe('已计划');
    await page.getByRole('button', { name: '安排所选 5 人上车' }).click();
    const manifest = page.getByTestId('manifest').locator('tbody th');
    await expect.poll(() => manifest.allTextContents()).toHaveLength(5);
    expect((await manifest.allTextContents()).sort()).toEqual(chosen.map((w) => w.name).sort());

    // The trip as the API has it: the same passengers.
    const trips = (
      await api(
        `{ trips(origin: "${GX}", first: 10) { edges { node { id vehicleCode passengers { worker { id } } } } } }`,
      )
    ).trips.edges.map((e: { node: unknown }) => e.node) as {
      id: string;
      vehicleCode: string;
      passengers: { worker: { id: string } }[];
    }[];
    const trip = trips.find((t) => t.vehicleCode === '桂B·W0001')!;
    expect(trip.passengers.map((p) => p.worker.id).sort()).toEqual(chosen.map((w) => w.id).sort());

    await saveScreenshot(page, 'worklist');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The boarding gate: four with a GREEN code board, the one without a health record stays off.
    await page.getByRole('button', { name: '登记上车（发车）' }).click();
    await expect.poll(() => page.getByTestId('trip-status').textContent()).toBe('已出发');
    const outcomes = await page
      .getByTestId('manifest')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.querySelector('td:last-child')?.textContent ?? ''));
    expect(outcomes.sort()).toEqual(['已上车', '已上车', '已上车', '已上车', '无健康记录，未上车']);
    await context.close();
  }, 60_000);

  it('should show return requests filed for Guangxi workers as they are filed, without a reload', async () => {
    const beijing = await hub.federation.authorization('province', '110000');
    const enterprise = (
      await graphqlData(
        hub.federation.gatewayUrl,
        'mutation { registerEnterprise(input: { name: "朝阳物业", region: "110105", sector: "物业" }) { id } }',
        undefined,
        beijing,
      )
    ).registerEnterprise.id as string;
    const context = await consoleContext(hub.browser);
    const page = await context.newPage();
    const subscribed = new Promise<void>((resolve) =>
      page.on('websocket', (socket) =>
        socket.on('framesent', (frame) => {
          if (String(frame.payload).includes('"subscribe"')) resolve();
        }),
      ),
    );
    await signInAs(page, hub.federation.gatewayUrl, 'Guangxi province');
    await page.getByRole('link', { name: '工作清单' }).click();
    await page.getByRole('tab', { name: '返岗申请' }).click();
    await expect.poll(() => page.getByTestId('request-count').textContent()).toBe('共 0 条 · 实时更新中');
    await subscribed;
    // Filed in Beijing for two of the imported workers (lines 2 and 3 of the registry), one after the other.
    const rows = registry()
      .split('\r\n')
      .slice(1, 3)
      .map((line) => line.split(','));
    for (const [n, [, name, idNumber, phone, homeRegion]] of rows.entries()) {
      await graphqlData(
        hub.federation.gatewayUrl,
        'mutation($i: FileReturnRequestInput!) { fileReturnRequest(input: $i) { id } }',
        {
          i: {
            enterpriseId: enterprise,
            worker: { name, idNumber, phone, homeRegion },
            plannedReturnDate: new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10),
            departureRegion: homeRegion,
          },
        },
        beijing,
      );
      await expect
        .poll(() => page.getByTestId('requests').locator('tbody th').allTextContents(), { timeout: 5_000 })
        .toEqual(n === 0 ? [name] : [name, rows[0]![1]]);
    }
    await expect(page.getByTestId('request-count').textContent()).resolves.toBe('共 2 条 · 实时更新中');
    expect(await page.getByTestId('requests').locator('tbody td').allTextContents()).toContain(
      '朝阳物业 (朝阳区)',
    );
    // The English switch: the same list in English.
    await page.getByRole('button', { name: 'English' }).click();
    await expect(
      page.getByRole('tab', { name: 'Return requests' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await expect(page.getByTestId('request-count').textContent()).resolves.toBe('2 requests · Live');
    await context.close();
  }, 30_000);
});
