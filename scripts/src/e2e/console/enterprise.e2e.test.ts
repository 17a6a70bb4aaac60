/**
 * The enterprise's screen (#16.5) in Chromium against a Beijing (110000) + Henan (410000) hub, as
 * in the demo: a Beijing enterprise signed in through the development role picker files a
 * return request for a Henan worker from the page; Henan (whose turn it is) acknowledges it and
 * puts him on a bus through the API, and the page shows each status, the bus and its ETA live
 * (no reload); labour demand reported from the page is what the API answers; the worker is
 * confirmed on post from the page and the filled openings follow.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoIdNumber } from '../../demo/model.js';
import {
  consoleContext,
  graphqlData,
  saveScreenshot,
  seriousAxeViolations,
  signInAs,
} from '../../harness/index.js';
import { BASE_CONSOLE_ROLES, describeInBrowser, startConsoleHub, type ConsoleHub } from './console-hub.js';

const ENTERPRISE_REGION = '110105';
const WORKER = { name: '李志强', home: '411602', birth: '19900315', seq: 77 };
const WORKER_PHONE = '13900007701';
const VEHICLE = '豫P·E7701';
const JOB_TITLE = '电子装配工';

/** `YYYY-MM-DD HH:mm` in Beijing time, as the screen shows an instant. */
const beijing = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describeInBrowser('console: the enterprise screen', () => {
  let hub: ConsoleHub;
  let beijingOfficer: Record<string, string>;
  let henanOfficer: Record<string, string>;
  let enterpriseAuth: Record<string, string>;
  let enterpriseId: string;
  let workerId: string;
  const q = <T = any>(query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    graphqlData<T>(hub.federation.gatewayUrl, query, variables, headers);

  beforeAll(async () => {
    hub = await startConsoleHub({ provinces: ['110000', '410000'] });
    beijingOfficer = await hub.federation.authorization('province', '110000');
    henanOfficer = await hub.federation.authorization('province', '410000');
    // an enterprise is registered by its region's officers (seed.ts does the same)
    enterpriseId = (
      await q(
        `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { id } }`,
        { input: { name: '北京朝阳测试电子厂', region: ENTERPRISE_REGION, sector: '制造业' } },
        beijingOfficer,
      )
    ).registerEnterprise.id;
    enterpriseAuth = await hub.federation.authorization('enterprise', ENTERPRISE_REGION, enterpriseId);
    workerId = (
      await q(
        `mutation($input: RegisterWorkerInput!) { registerWorker(input: $input) { id } }`,
        {
          input: {
            name: WORKER.name,
            idNumber: demoIdNumber(WORKER),
            phone: WORKER_PHONE,
            homeRegion: WORKER.home,
          },
        },
        henanOfficer,
      )
    ).registerWorker.id;
    hub.setRoles([
      ...BASE_CONSOLE_ROLES,
      { label: 'Test enterprise', role: 'enterprise', region: ENTERPRISE_REGION, enterpriseId },
    ]);
  }, 180_000);
  afterAll(async () => hub?.close());

  it('should file a return request, follow its trip and ETA live, report labour demand and confirm the worker on post', async () => {
    const context = await consoleContext(hub.browser);
    const page = await context.newPage();
    await signInAs(page, hub.federation.gatewayUrl, 'Test enterprise');
    const screen = page.getByTestId('enterprise-screen');
    await page.getByRole('heading', { name: '北京朝阳测试电子厂' }).waitFor();
    await expect.poll(() => page.getByTestId('live-state').textContent()).toContain('实时更新');

    // a job post from the page, as the API answers it
    await page.getByText('发布招聘岗位').click();
    await page.getByLabel('岗位名称').fill(JOB_TITLE);
    await page.getByLabel('招聘人数').fill('30');
    await page.getByLabel('招聘来源地（行政区划代码）').fill('410000');
    await page.getByRole('button', { name: '发布岗位' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `已发布岗位：${JOB_TITLE}` })
      .waitFor();
    const jobs = `query { jobs(region: "110000") { edges { node { id title openings filled enterprise { id } region { code } } } } }`;
    const [job] = (await q(jobs, {}, enterpriseAuth)).jobs.edges.map((e: any) => e.node);
    expect(job).toMatchObject({
      title: JOB_TITLE,
      openings: 30,
      filled: 0,
      enterprise: { id: enterpriseId },
      region: { code: ENTERPRISE_REGION },
    });
    const postRow = page.getByTestId('job-posts').getByRole('row', { name: new RegExp(JOB_TITLE) });
    await expect.poll(() => postRow.textContent()).toContain('30');
    await page.getByText('发布招聘岗位').click(); // folded again

    // file from the page, for that post
    await page.getByLabel('姓名').fill(WORKER.name);
    await page.getByLabel('居民身份证号').fill(demoIdNumber(WORKER));
    await page.getByLabel('手机号码').fill(WORKER_PHONE);
    await page.getByLabel('户籍地（行政区划代码）').fill(WORKER.home);
    const { region } = await q(`query { region(code: "${WORKER.home}") { fullName } }`, {}, enterpriseAuth);
    await page.getByText(region.fullName).waitFor(); // the code typed, named
    await page.getByLabel('计划返岗日期').fill('2020-02-25');
    await page.getByRole('combobox', { name: /^招聘岗位/ }).selectOption({ label: JOB_TITLE });
    await page.getByRole('button', { name: '提交申请' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `已为 ${WORKER.name} 提交返岗申请` })
      .waitFor();

    const listed = await q(
      `query($d: RegionCode!) { returnRequests(destination: $d) { totalCount edges { node { id status departureRegion { code } worker { id } } } } }`,
      { d: ENTERPRISE_REGION },
      enterpriseAuth,
    );
    expect(listed.returnRequests.totalCount).toBe(1);
    const request = listed.returnRequests.edges[0].node;
    expect(request.departureRegion.code).toBe(WORKER.home); // the home region when none is given
    const row = page.getByTestId(`request-${request.id}`);
    await expect.poll(() => row.textContent()).toContain(WORKER.name);
    // Henan stores its copy and acknowledges it: the page follows without a reload
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('户籍地已受理');

    // Henan's bus from Zhoukou to Chaoyang, the worker assigned to it
    const expectedArrivalAt = new Date(Date.now() + 6 * 3_600_000).toISOString();
    const tripId = (
      await q(
        `mutation($input: PlanTripInput!) { planTrip(input: $input) { id } }`,
        {
          input: {
            mode: 'BUS',
            vehicleCode: VEHICLE,
            origin: WORKER.home,
            destination: ENTERPRISE_REGION,
            departureAt: new Date(Date.now() + 3_600_000).toISOString(),
            expectedArrivalAt,
            capacity: 45,
          },
        },
        henanOfficer,
      )
    ).planTrip.id;
    await q(
      `mutation($t: ID!, $w: [ID!]!) { assignPassengers(tripId: $t, workerIds: $w) { id } }`,
      { t: tripId, w: [workerId] },
      henanOfficer,
    );
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('已安排行程');
    const arranged = await row.textContent();
    expect(arranged).toContain(VEHICLE);
    expect(arranged).toContain(beijing(expectedArrivalAt));
    expect(arranged).toContain('已计划');
    expect(arranged).toMatch(/约 [56] 小时 \d+ 分钟后到达/);
    expect(await page.getByTestId('last-update').textContent()).toContain('已安排行程');

    // labour demand from the page, as the API answers it
    await page.getByLabel('当前岗位数').fill('120');
    await page.getByRole('button', { name: '上报用工需求' }).click();
    await page.getByRole('status').filter({ hasText: '用工需求已更新' }).waitFor();
    const demand = `query($id: ID!) { enterprise(id: $id) { openings filled } }`;
    expect((await q(demand, { id: enterpriseId }, enterpriseAuth)).enterprise).toEqual({
      openings: 120,
      filled: 0,
    });
    await expect.poll(() => page.getByTestId('openings').textContent()).toBe('120');

    // the worker is on post: the request is final, one more opening filled
    await row.getByRole('button', { name: `确认 ${WORKER.name} 到岗` }).click();
    await expect.poll(() => row.textContent()).toContain('已到岗');
    expect((await q(demand, { id: enterpriseId }, enterpriseAuth)).enterprise).toEqual({
      openings: 120,
      filled: 1,
    });
    await expect.poll(() => page.getByTestId('filled').textContent()).toBe('1');
    expect(await page.getByTestId('fill-rate').textContent()).toBe('1%');
    expect(await row.getByRole('button').count()).toBe(0);
    // he counts in the post he was recruited through
    expect((await q(jobs, {}, enterpriseAuth)).jobs.edges[0].node.filled).toBe(1);
    await expect.poll(() => postRow.textContent()).toContain('3%');
    expect(await screen.getByRole('alert').count()).toBe(0);

    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await saveScreenshot(page, 'enterprise');
    // the English switch
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Return requests' }).waitFor();
    expect(await row.textContent()).toContain('On post');
    await context.close();
  }, 60_000);

  it("should still show the enterprise's requests, say which province failed and withdraw a request, when Henan is down", async () => {
    await hub.federation.stopProvince('410000', { graceMs: 0 });
    const context = await consoleContext(hub.browser);
    const page = await context.newPage();
    await signInAs(page, hub.federation.gatewayUrl, 'Test enterprise');
    const row = page.locator('[data-testid^="request-"]');
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain(WORKER.name);
    // his record and his trip are Henan's: unknown, the rest is Beijing's and shown
    expect(await row.textContent()).toContain('已到岗');
    expect(await row.textContent()).toContain('未知');
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('PROVINCE_UNAVAILABLE')]));
    expect(await page.getByTestId('openings').textContent()).toBe('120');

    // Beijing keeps the requests: one filed now is withdrawn from the page, Henan told later
    const second = { name: '王海燕', home: '411602', birth: '19950708', seq: 78 };
    await q(
      `mutation($input: FileReturnRequestInput!) { fileReturnRequest(input: $input) { id } }`,
      {
        input: {
          enterpriseId,
          worker: {
            name: second.name,
            idNumber: demoIdNumber(second),
            phone: '13900007801',
            homeRegion: second.home,
          },
          plannedReturnDate: '2020-03-02',
          departureRegion: second.home,
        },
      },
      enterpriseAuth,
    );
    const secondRow = page.getByRole('row', { name: new RegExp(second.name) });
    await expect.poll(() => secondRow.textContent(), { timeout: 10_000 }).toContain('已提交');
    await secondRow.getByRole('button', { name: `撤回 ${second.name} 的申请` }).click();
    await secondRow.getByPlaceholder('撤回原因').fill('岗位已满');
    await secondRow.getByRole('button', { name: `撤回 ${second.name} 的申请` }).click();
    await expect.poll(() => secondRow.textContent()).toContain('已撤回');
    expect(await secondRow.textContent()).toContain('岗位已满');
    await context.close();
  }, 40_000);
});
