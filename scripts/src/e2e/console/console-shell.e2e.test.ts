import { afterAll, beforeAll, expect, it } from 'vitest';
import { consoleContext, saveScreenshot, seriousAxeViolations, signInAs } from '../../harness/index.js';
import { describeInBrowser, startConsoleHub, type ConsoleHub } from './console-hub.js';

describeInBrowser('console shell', () => {
  let hub: ConsoleHub;
  beforeAll(async () => {
    hub = await startConsoleHub({ provinces: ['110000', '450000'] });
  }, 180_000);
  afterAll(async () => hub?.close());

  it('should be served by the gateway at /console/ with the IDE at /graphiql and / redirected', async () => {
    const root = await fetch(new URL('/', hub.federation.gatewayUrl), { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/console/']);
    const ide = await fetch(new URL('/graphiql', hub.federation.gatewayUrl));
    expect([ide.status, (await ide.text()).includes('graphiql')]).toEqual([200, true]);
    const page = await fetch(hub.consoleUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('should sign in as the ministry through the development role picker', async () => {
    const context = await consoleContext(hub.browser);
    const page = await context.newPage();
    await signInAs(page, hub.federation.gatewayUrl, 'Ministry');
    await expect(page.getByTestId('caller').textContent()).resolves.toBe('Ministry');
    await saveScreenshot(page, 'shell-ministry');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
