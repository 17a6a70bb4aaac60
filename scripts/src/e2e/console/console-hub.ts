/**
 * The console's browser tests' shared start: the console built (on demand, from sources), a
 * federation whose gateway serves it, with the development sign-in's roles listed in a file the
 * test writes (the seeded enterprise's id is known only after seeding), and headless Chromium.
 * In CI Chromium must be there (`.ci/run` installs it); elsewhere the browser tests skip without it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureConsoleBuilt } from '@p2p/console';
import type { PersonRole } from '@p2p/schema';
import type { Browser } from 'playwright-core';
import { describe } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
  startFederation,
  type FederationOptions,
  type RunningFederation,
} from '../../harness/index.js';

/** `describe` for browser tests: skipped without Chromium, except in CI where that is a failure. */
export const describeInBrowser: typeof describe =
  chromiumAvailable() || process.env.CI ? describe : (describe.skip as typeof describe);

/** A role of the development sign-in. */
export interface ConsoleRoleSpec {
  label: string;
  role: PersonRole;
  region?: string;
  enterpriseId?: string;
}

/** A running console hub. */
export interface ConsoleHub {
  federation: RunningFederation;
  browser: Browser;
  /** The console's base URL, e.g. `http://127.0.0.1:4567/console/`. */
  consoleUrl: string;
  /** Replaces the roles the development sign-in offers (re-read by the gateway at every request). */
  setRoles(roles: readonly ConsoleRoleSpec[]): void;
  close(): Promise<void>;
}

/** The development roles a console test starts with. */
export const BASE_CONSOLE_ROLES: readonly ConsoleRoleSpec[] = [
  { label: 'Ministry', role: 'ministry' },
  { label: 'Guangxi province', role: 'province', region: '450000' },
  { label: 'Liuzhou city', role: 'city', region: '450200' },
  { label: 'Beijing Chaoyang', role: 'city', region: '110105' },
];

/** Builds the console if needed, starts a federation serving it and Chromium. */
export async function startConsoleHub(
  options: Omit<FederationOptions, 'gatewayEnv'> & { gatewayEnv?: Record<string, string> },
): Promise<ConsoleHub> {
  await ensureConsoleBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'p2p-console-'));
  const rolesFile = join(dir, 'roles.json');
  const setRoles = (roles: readonly ConsoleRoleSpec[]) => writeFileSync(rolesFile, JSON.stringify(roles));
  setRoles(BASE_CONSOLE_ROLES);
  const federation = await startFederation({
    ...options,
    gatewayEnv: { CONSOLE_DEV_ROLES_FILE: rolesFile, ...options.gatewayEnv },
  });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    await federation.close();
    throw err;
  }
  return {
    federation,
    browser,
    consoleUrl: new URL('/console/', federation.gatewayUrl).toString(),
    setRoles,
    async close() {
      await browser.close().catch(() => {});
      await federation.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
