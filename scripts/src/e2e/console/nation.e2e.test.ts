import ExcelJS from 'exceljs';
import { residentIdFrom } from '@p2p/schema';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  consoleContext,
  graphqlData,
  saveScreenshot,
  seriousAxeViolations,
  signInAs,
} from '../../harness/index.js';
import { describeInBrowser, startConsoleHub, type ConsoleHub } from './console-hub.js';

const PROVINCES = ['110000', '410000', '420000', '440000', '450000'];

const REGISTER = 'mutation($i: [RegisterWorkerInput!]!) { registerWorkers(inputs: $i) { id } }';
const EMPLOY = 'mutation($w: ID!, $r: RegionCode!) { reportEmployment(workerId: $w, workRegion: $r) { id } }';
const ENTERPRISE = 'mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }';
const DEMAND =
  'mutation($e: ID!, $o: Int!, $f: Int) { reportLaborDemand(enterpriseId: $e, openings: $o, filled: $f) { id } }';
const PLAN = 'mutation($i: PlanTripInput!) { planTrip(input: $i) { id } }';
const ASSIGN = 'mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }';
const HEALTH_CHECKS =
  'mutation($items: [HealthCheckItemInput!]!) { recordHealthChecks(items: $items) { items { error { code } } } }';
const DEPART = 'mutation($t: ID!, $b: [BoardingInput!]!) { departTrip(tripId: $t, boarded: $b) { id } }';
const CORRIDORS =
  '{ summary { transport { corridors { key trips passengers moved { trips passengers } } } } }';

const FIGURES = `scope workers { registered atWork out flow { withinTownship withinCounty withinCity withinProvince crossProvince } }
  transport { outbound { trips passengers } inbound { trips passengers } }
  employment { keyFillRate }`;
const SUMMARY = `query($scope: RegionCode) { summary(scope: $scope) { ${FIGURES} children { ${FIGURES} } } }`;

interface Figures {
  scope: string;
  workers: { registered: number; atWork: number; out: number; flow: Record<string, number> };
  transport: {
    outbound: { trips: number; passengers: number };
    inbound: { trips: number; passengers: number };
  };
  employment: { keyFillRate: number };
}

/** The numbers a row of a figures table shows (its cells' `data-value`), by column key. */
async function rowFigures(page: Page, testId: string): Promise<Record<string, number>> {
  const cells = page.getByTestId(testId).locator('td[data-key]');
  await cells.first().waitFor();
  const pairs = await cells.evaluateAll((tds) =>
    tds.map((td) => [td.getAttribute('data-key'), td.getAttribute('data-value')] as const),
  );
  return Object.fromEntries(
    pairs.filter(([, v]) => v !== '' && !Number.isNaN(Number(v))).map(([k, v]) => [k, Number(v)]),
  );
}

/** The figures of the API in the table's column keys. */
const asRow = (f: Figures) => ({
  registered: f.workers.registered,
  atWork: f.workers.atWork,
  out: f.workers.out,
  tripsOut: f.transport.outbound.trips,
  passengersOut: f.transport.outbound.passengers,
  tripsIn: f.transport.inbound.trips,
  passengersIn: f.transport.inbound.passengers,
  keyFillRate: f.employment.keyFillRate,
});

describeInBrowser('console: the nation at a glance', () => {
  let hub: ConsoleHub;
  let ministry: Record<string, string>;
  const summary = async (scope?: string) =>
    (
      await graphqlData<{ summary: Figures & { children: Figures[] } }>(
        hub.federation.gatewayUrl,
        SUMMARY,
        { scope },
        ministry,
      )
    ).summary;

  beforeAll(async () => {
    hub = await startConsoleHub({ provinces: PROVINCES });
    const { gatewayUrl, authorization } = hub.federation;
    ministry = await authorization('ministry');
    const as = async (province: string, query: string, variables: Record<string, unknown>) =>
      graphqlData(gatewayUrl, query, variables, await authorization('province', province));
    let serial = 0;
    const workers = (home: string, n: number) =>
      Array.from({ length: n }, () => {
        serial += 1;
        return {
          name: `测试工人${serial}`,
          idNumber: residentIdFrom(home, `1990010${1 + (serial % 9)}`, serial),
          phone: `139${String(serial).padStart(8, '0')}`,
          homeRegion: home,
        };
      });
    // Workers at home in four provinces; Liuzhou's two counties differ, so the drill-down shows them apart.
    const [guangxi, henan] = await Promise.all([
      as('450000', REGISTER, {
        i: [...workers('450202', 3), ...workers('450203', 2), ...workers('450102', 1)],
      }),
      as('410000', REGISTER, { i: workers('410102', 2) }),
      as('420000', REGISTER, { i: workers('420102', 4) }),
      as('110000', REGISTER, { i: workers('110105', 1) }),
    ]);
    const guangxiIds = (guangxi as { registerWorkers: { id: string }[] }).registerWorkers.map((w) => w.id);
    const henanIds = (henan as { registerWorkers: { id: string }[] }).registerWorkers.map((w) => w.id);
    // Some are at work (one in Guangdong, one at home), a key enterprise in Guangdong short of workers,
    // and a bus planned from Liuzhou to Shenzhen with two passengers.
    await as('450000', EMPLOY, { w: guangxiIds[0], r: '440305' });
    await as('410000', EMPLOY, { w: henanIds[0], r: '410105' });
    const { registerEnterprise } = await as('440000', ENTERPRISE, {
      i: { name: '测试电子厂', region: '440305', sector: '制造业', key: true },
    });
    await as('440000', DEMAND, { e: registerEnterprise.id, o: 100, f: 40 });
    // A bus from Liuzhou to Shenzhen left three hours ago with two passengers (GREEN codes at the
    // gate); a bus from Zhengzhou to Beijing is only planned.
    const departure = Date.now() - 3 * 3_600_000;
    const bus = (origin: string, destination: string, vehicleCode: string) => ({
      i: {
        mode: 'BUS',
        vehicleCode,
        origin,
        destination,
        departureAt: new Date(departure).toISOString(),
        expectedArrivalAt: new Date(departure + 20 * 3_600_000).toISOString(),
        capacity: 40,
      },
    });
    const passengers = guangxiIds.slice(1, 3);
    const checkedAt = new Date(Date.now() - 4 * 3_600_000).toISOString();
    const validUntil = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await as('450000', HEALTH_CHECKS, {
      items: passengers.map((workerId) => ({
        workerId,
        input: { code: 'GREEN', issuedBy: '450000', checkedAt, validUntil },
      })),
    });
    const liuzhouBus = (await as('450000', PLAN, bus('450202', '440305', '桂B12345'))).planTrip.id;
    await as('450000', ASSIGN, { t: liuzhouBus, w: passengers });
    await as('450000', DEPART, {
      t: liuzhouBus,
      b: passengers.map((workerId) => ({ workerId, temperature: 36.4 })),
    });
    const henanBus = (await as('410000', PLAN, bus('410102', '110105', '豫A54321'))).planTrip.id;
    await as('410000', ASSIGN, { t: henanBus, w: henanIds.slice(1, 2) });
  }, 180_000);
  afterAll(async () => hub?.close());

  it('should show the provinces with the numbers of summary, drill down to a city and download its figures', {
    timeout: 60_000,
  }, async () => {
    const context = await consoleContext(hub.browser);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInAs(page, hub.federation.gatewayUrl, 'Ministry');
    await page.getByRole('heading', { name: '全国概览' }).waitFor();
    await page.getByTestId('nation-tile-map').locator('canvas').first().waitFor();

    // The map's numbers, in its table, equal what summary answers for each province.
    const nation = await summary();
    await page.getByTestId('nation-map-toggle').click();
    for (const code of PROVINCES) {
      const api = nation.children.find((c) => c.scope === code)!;
      expect(await rowFigures(page, `nation-map-table-row-${code}`), code).toMatchObject(asRow(api));
    }
    expect(nation.children.find((c) => c.scope === '450000')!.workers.registered).toBe(6);
    await expect(page.getByTestId('card-registered').locator('dd').getAttribute('data-value')).resolves.toBe(
      String(nation.workers.registered),
    );
    // A province outside the federation reads "no data".
    await expect(
      page.getByTestId('nation-map-table-row-650000').locator('td[data-key="statusText"]').textContent(),
    ).resolves.toBe('无数据');
    await page.getByTestId('nation-map-toggle').click();
    // The daily series ends today with the live totals; the flow classes and the key-enterprise
    // fill rate per province are those of summary.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await page.getByTestId('nation-series-toggle').click();
    expect(await rowFigures(page, `nation-series-table-row-${today}`)).toMatchObject({
      registered: nation.workers.registered,
      atWork: nation.workers.atWork,
    });
    await page.getByTestId('nation-series-toggle').click();
    await page.getByTestId('nation-flow-toggle').click();
    const guangxi = nation.children.find((c) => c.scope === '450000')!;
    expect(await rowFigures(page, 'nation-flow-table-row-450000')).toMatchObject(guangxi.workers.flow);
    await page.getByTestId('nation-flow-toggle').click();
    await page.getByTestId('nation-keyfill-toggle').click();
    expect(await rowFigures(page, 'nation-keyfill-table-row-440000')).toMatchObject({ keyFillRate: 0.4 });
    await page.getByTestId('nation-keyfill-toggle').click();
    // The corridors (the map's flow lines) are those of summary; Guangxi's two passengers left today.
    const { summary: corridorSummary } = await graphqlData(
      hub.federation.gatewayUrl,
      CORRIDORS,
      {},
      ministry,
    );
    const corridors = corridorSummary.transport.corridors as {
      key: string;
      trips: number;
      passengers: number;
      moved: { trips: number; passengers: number };
    }[];
    expect(corridors.map((c) => c.key)).toEqual(['410000-110000', '450000-440000']);
    await page.getByTestId('nation-corridors-toggle').click();
    for (const c of corridors)
      expect(await rowFigures(page, `nation-corridors-table-row-${c.key}`)).toEqual({
        trips: c.trips,
        passengers: c.passengers,
        movedTrips: c.moved.trips,
        movedPassengers: c.moved.passengers,
      });
    expect(corridors[1]!.moved.passengers).toBe(2);
    await page.getByTestId('nation-corridors-toggle').click();
    await page.getByTestId('nation-map-toggle').click();
    expect(await rowFigures(page, 'nation-map-table-row-450000')).toMatchObject({ movedToday: 2 });
    await page.getByTestId('nation-map-toggle').click();
    await saveScreenshot(page, 'nation');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Drill down: Guangxi, then Liuzhou.
    await page.getByTestId('nation-map-toggle').click();
    await page.getByTestId('drill-450000').click();
    await expect.poll(() => page.getByTestId('nation-scope').getAttribute('data-scope')).toBe('450000');
    await page.getByTestId('nation-map-toggle').click();
    await page.getByTestId('drill-450200').click();
    await expect.poll(() => page.getByTestId('nation-scope').getAttribute('data-scope')).toBe('450200');
    const liuzhou = await summary('450200');
    expect(liuzhou.workers.registered).toBe(5);
    await expect(page.getByTestId('card-registered').locator('dd').getAttribute('data-value')).resolves.toBe(
      '5',
    );
    await expect(
      page.getByTestId('card-passengersOut').locator('dd').getAttribute('data-value'),
    ).resolves.toBe(String(liuzhou.transport.outbound.passengers));
    await page.getByTestId('nation-map-toggle').click();
    for (const county of liuzhou.children.filter((c) => c.workers.registered > 0)) {
      expect(await rowFigures(page, `nation-map-table-row-${county.scope}`), county.scope).toMatchObject(
        asRow(county),
      );
    }
    await expect(page.getByTestId('nation-breadcrumb').textContent()).resolves.toContain('广西壮族自治区');
    await saveScreenshot(page, 'nation-drilldown');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The CSV and the XLSX hold the scope, the day, the time and the numbers shown.
    const csvDownload = page.waitForEvent('download');
    await page.getByTestId('nation-map-table-csv').click();
    const csv = await (await csvDownload).createReadStream().then(readAll);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toBe('范围,柳州市 (450200)');
    expect(lines[2]).toMatch(/^日期,LATEST/);
    expect(lines[3]).toMatch(/^数据时间,\d{4}-\d\d-\d\dT/);
    const header = lines[5]!.split(',');
    const chengzhong = lines.find((l) => l.includes(',450202,'))!.split(',');
    expect(Number(chengzhong[header.indexOf('登记人数')])).toBe(3);

    const xlsxDownload = page.waitForEvent('download');
    await page.getByTestId('nation-map-table-xlsx').click();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await (await xlsxDownload).createReadStream().then(readBytes)) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(2).values).toEqual([undefined, '范围', '柳州市 (450200)']);
    expect(String(sheet.getRow(4).getCell(2).value)).toMatch(/^\d{4}-\d\d-\d\dT/);
    const rows = sheet.getSheetValues() as unknown[][];
    const headRow = rows[6]!;
    const chengzhongRow = rows.find((r) => r?.includes('450202'))!;
    expect(chengzhongRow[headRow.indexOf('登记人数')]).toBe(3);

    // Back to the nation through the breadcrumb, then English.
    await page.getByTestId('nation-breadcrumb').getByRole('button', { name: '全国' }).click();
    await expect.poll(() => page.getByTestId('nation-scope').getAttribute('data-scope')).toBe('CN');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Nation at a glance' }).waitFor();
    await expect(page.getByTestId('card-registered').locator('dt').textContent()).resolves.toBe('Registered');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('should start a province officer and a city officer at their own regions', async () => {
    const context = await consoleContext(hub.browser);
    const page = await context.newPage();
    await signInAs(page, hub.federation.gatewayUrl, 'Guangxi province');
    await page.goto(new URL('/console/nation', hub.federation.gatewayUrl).toString());
    await expect.poll(() => page.getByTestId('nation-scope').getAttribute('data-scope')).toBe('450000');
    await expect(page.getByTestId('card-registered').locator('dd').getAttribute('data-value')).resolves.toBe(
      '6',
    );
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('button', { name: 'Liuzhou city' }).click();
    await expect.poll(() => page.getByTestId('nation-scope').getAttribute('data-scope')).toBe('450200');
    await expect(page.getByTestId('card-registered').locator('dd').getAttribute('data-value')).resolves.toBe(
      '5',
    );
    await context.close();
  });

  it('should show a province that does not answer as unavailable and the others as before', async () => {
    await hub.federation.stopProvince('420000', { graceMs: 0 });
    const context = await consoleContext(hub.browser);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInAs(page, hub.federation.gatewayUrl, 'Ministry');
    await page.getByTestId('nation-partial').waitFor();
    await expect(page.getByTestId('nation-partial').textContent()).resolves.toMatch(
      /PROVINCE_UNAVAILABLE.*湖北/,
    );
    await page.getByTestId('nation-map-toggle').click();
    await expect(
      page.getByTestId('nation-map-table-row-420000').locator('td[data-key="statusText"]').textContent(),
    ).resolves.toBe('省份不可用');
    expect(await rowFigures(page, 'nation-map-table-row-450000')).toMatchObject({ registered: 6 });
    // Guangxi's own figures are whole: only the trips Hubei would have counted are missing.
    await expect(
      page.getByTestId('nation-map-table-row-450000').locator('td[data-key="statusText"]').textContent(),
    ).resolves.toBe('正常');
    // A click on Guangxi's tile (column 2, row 6 of the 7 × 8 grid inside the chart's margins) drills down.
    const map = (await page.getByTestId('nation-tile-map').boundingBox())!;
    await page.mouse.click(
      map.x + 8 + 2.5 * ((map.width - 16) / 7),
      map.y + 8 + 6.5 * ((map.height - 56) / 8),
    );
    await expect.poll(() => page.getByTestId('nation-scope').getAttribute('data-scope')).toBe('450000');
    await context.close();
  });
});

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return (await readBytes(stream)).toString('utf8');
}

async function readBytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
