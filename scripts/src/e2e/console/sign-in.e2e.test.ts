/**
 * The console's sign-in (#16.1): the development role picker signs in as each role (the
 * enterprise's with an id registered through the API, as `npm start` writes it after seeding) and
 * lands on the role's screen; then, with the gateway verifying a local OpenID Connect provider's
 * tokens (oidc-provider on loopback, RS256 JWT access tokens for the gateway's audience), the
 * browser signs in there (authorization code + PKCE), queries the hub with the provider's token,
 * renews it silently without recreating its clients, and signs out at the provider.
 */
import { graphqlData } from '@p2p/runtime';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { consoleContext, saveScreenshot, seriousAxeViolations, signInAs } from '../../harness/index.js';
import { BASE_CONSOLE_ROLES, describeInBrowser, startConsoleHub, type ConsoleHub } from './console-hub.js';
import { startTestIdentityProvider, type TestIdentityProvider } from './test-identity-provider.js';

/** Where each role lands (shell/screens.ts `homeOf`). */
const HOME = {
  ministry: '/console/nation',
  province: '/console/nation',
  city: '/console/nation',
  enterprise: '/console/enterprise',
};

/** The bearer token of a request the page sent to `/graphql`, if any. */
const bearerOf = (request: Request) =>
  request.url().endsWith('/graphql') ? request.headers().authorization?.replace(/^Bearer /, '') : undefined;

/** The payload of a JWT (not verified: the gateway did that). */
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describeInBrowser('console sign-in', () => {
  let hub: ConsoleHub;
  let provider: TestIdentityProvider | undefined;
  beforeAll(async () => {
    hub = await startConsoleHub({ provinces: ['450000'] });
  }, 180_000);
  afterAll(async () => {
    await hub?.close();
    await provider?.close();
  });

  it('should sign in through the development picker as the ministry, a province, a city and an enterprise', async () => {
    const { registerEnterprise } = await graphqlData<{ registerEnterprise: { id: string } }>(
      hub.federation.gatewayUrl,
      'mutation { registerEnterprise(input: { name: "柳州建工(测试)", region: "450203", sector: "建筑" }) { id } }',
      {},
      await hub.federation.authorization('province', '450000'),
    );
    hub.setRoles([
      ...BASE_CONSOLE_ROLES,
      {
        label: 'Liuzhou builders',
        role: 'enterprise',
        region: '450203',
        enterpriseId: registerEnterprise.id,
      },
    ]);
    const context = await consoleContext(hub.browser);
    const page = await context.newPage();
    await page.goto(hub.consoleUrl);
    const enterprise = page.getByRole('button', { name: 'Liuzhou builders' });
    await expect(enterprise.getAttribute('aria-describedby')).resolves.toBeTruthy();
    // Each role says what it is and where: role, region name (from the directory) and code.
    const details = page.locator(`#${await enterprise.getAttribute('aria-describedby')}`);
    await expect.poll(() => details.textContent(), { timeout: 10_000 }).toContain('企业');
    await expect.poll(() => details.textContent()).toContain(registerEnterprise.id);
    const guangxi = page.locator(
      `#${await page.getByRole('button', { name: 'Guangxi province' }).getAttribute('aria-describedby')}`,
    );
    await expect.poll(() => guangxi.textContent(), { timeout: 10_000 }).toContain('广西壮族自治区 (450000)');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'sign-in');

    for (const [label, role] of [
      ['Ministry', 'ministry'],
      ['Guangxi province', 'province'],
      ['Liuzhou city', 'city'],
      ['Liuzhou builders', 'enterprise'],
    ] as const) {
      await signInAs(page, hub.federation.gatewayUrl, label);
      await expect(page.getByTestId('caller').textContent()).resolves.toBe(label);
      await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).toBe(HOME[role]);
      await page.getByRole('button', { name: '退出' }).click();
      await page.getByRole('status').filter({ hasText: '您已退出登录。' }).waitFor();
    }

    // A production gateway without an identity provider answers `signIn: 'none'` (as the release
    // check sees it): the page says what to set, in words axe accepts.
    await page.route('**/console/config.json', (route) =>
      route.fulfill({ json: { signIn: 'none', trustedDocuments: 'off' } }),
    );
    await page.goto(hub.consoleUrl);
    const none = page.getByRole('alert');
    await expect.poll(() => none.textContent(), { timeout: 10_000 }).toContain('CONSOLE_OIDC_ISSUER');
    await expect(none.textContent()).resolves.toContain(`${hub.consoleUrl}callback`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it('should sign in at the identity provider, query with its token, renew it silently and sign out', async () => {
    const origin = new URL(hub.federation.gatewayUrl).origin;
    provider = await startTestIdentityProvider({
      consoleOrigin: origin,
      accounts: [
        { login: 'guangxi-officer', role: 'province', region: '450000' },
        // Misconfigured at the provider: a province officer whose region is a city.
        { login: 'misconfigured', role: 'province', region: '450200' },
      ],
      // Renewed a minute before expiry (oidc-client-ts's default): about 2 s after the sign-in.
      accessTokenTtl: 62,
    });
    await hub.federation.restartGateway({ env: provider.gatewayEnv });
    const config = await (await fetch(new URL('/console/config.json', origin))).json();
    expect(config).toMatchObject({ signIn: 'oidc', issuer: provider.issuer, clientId: provider.clientId });

    // A token the gateway refuses (UNAUTHENTICATED): back on the sign-in page, saying why.
    const refusedContext = await consoleContext(hub.browser);
    const refused = await refusedContext.newPage();
    await refused.goto(hub.consoleUrl);
    await signInAtProvider(refused, 'misconfigured');
    const alert = refused.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('网关拒绝了您的令牌');
    await expect(alert.textContent()).resolves.toContain("a province token's region must be a province");
    expect(await seriousAxeViolations(refused)).toEqual([]);
    await refusedContext.close();

    const context = await consoleContext(hub.browser);
    const page = await context.newPage();
    /** The access tokens the provider's token endpoint gave the page, in order. */
    const issued: string[] = [];
    /** The page's GraphQL answers: the bearer token sent and the answer. */
    const answers: { token: string; status: number; body: { data?: unknown; errors?: unknown } }[] = [];
    page.on('response', async (response) => {
      const url = response.url();
      if (url === `${provider!.issuer}/token` && response.ok())
        issued.push(((await response.json()) as { access_token: string }).access_token);
      const token = bearerOf(response.request());
      if (token) answers.push({ token, status: response.status(), body: await response.json() });
    });
    await page.goto(hub.consoleUrl);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await signInAtProvider(page, 'guangxi-officer');

    // Back in the console as the province's officer, on its screen: the header names the region
    // from a query the page sent with the provider's token, answered by the gateway.
    await expect
      .poll(() => page.getByTestId('caller').textContent(), { timeout: 15_000 })
      .toBe('省级 · 广西壮族自治区');
    expect(new URL(page.url()).pathname).toBe(HOME.province);
    expect(issued).toHaveLength(1);
    expect(claimsOf(issued[0]!)).toMatchObject({
      iss: provider.issuer,
      aud: provider.audience,
      role: 'province',
      region: '450000',
    });
    await expect
      .poll(() => answers.find((a) => a.token === issued[0]), { timeout: 5_000 })
      .toMatchObject({
        status: 200,
        body: { data: { region: { code: '450000', name: '广西壮族自治区' } } },
      });

    // The silent renewal (a hidden frame at the provider, answered by silent-renew.html): a new
    // token, and the console stays signed in.
    await expect.poll(() => issued.length, { timeout: 20_000 }).toBeGreaterThan(1);
    expect(claimsOf(issued[1]!)).toMatchObject({ role: 'province', region: '450000' });
    expect(claimsOf(issued[1]!).jti).not.toBe(claimsOf(issued[0]!).jti);
    await expect(page.getByTestId('caller').textContent()).resolves.toBe('省级 · 广西壮族自治区');

    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('status').filter({ hasText: '您已退出登录。' }).waitFor();
    await expect(page.getByRole('button', { name: '通过统一身份认证登录' }).isVisible()).resolves.toBe(true);
    await context.close();
    // A gateway restart, two sign-ins at the provider and a renewal a minute before a 62 s expiry.
  }, 120_000);
});

/** Signs in from the console's sign-in page through oidc-provider's development login and consent forms. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.getByRole('button', { name: '通过统一身份认证登录' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}
