/**
 * `npm run release:verify -- [province] [national] [gateway]` (all three by default): proves that
 * a built service installs and runs with production dependencies only. For each service it stages
 * the release (release-layout.ts: package files, `dist/`, runtime files, no sources) into a temp
 * directory, runs `npm ci --omit=dev --workspace <its package name>` there, checks that no
 * development package was installed, starts the service's bin with plain `node` in production
 * mode (real keys generated for the run, no P2P_DEV) and waits for `/health` to answer 200; the
 * gateway must also serve the console it carries at `/console/`.
 * Needs `npm run build` first and the npm registry (or its cache). Prints one line per service.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainModule } from '@p2p/runtime';
import { generateGatewayKeyPair } from '@p2p/schema';
import { REPO_ROOT, startService } from '../harness/service-process.js';
import { installWorkspace, RELEASE_SERVICES, stageRelease, type ReleaseService } from './release-layout.js';

/** Packages a production install must not contain (the build and test tools). */
export const DEVELOPMENT_PACKAGES = ['tsx', 'vitest', 'typescript', 'drizzle-kit', 'turbo', '@biomejs/biome'];

/** The production env of a service for a throw-away run: real keys, a temp PGlite directory. */
async function productionEnv(service: ReleaseService, dir: string): Promise<Record<string, string>> {
  const keys = await generateGatewayKeyPair();
  const secret = () => randomBytes(32).toString('base64url');
  const common = { PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' };
  switch (service) {
    case 'province':
      return {
        ...common,
        PROVINCE: '450000',
        GATEWAY_PUBLIC_KEY: keys.publicKeyPem,
        WORKER_ID_KEY: secret(),
        PGLITE_DIR: join(dir, 'pglite'),
      };
    case 'national':
      return common;
    case 'gateway':
      return {
        ...common,
        AUTH_JWT_SECRET: secret(),
        GATEWAY_SIGNING_KEY: keys.privateKeyPem,
        ADMIN_TOKEN: secret(),
        // Nobody listens there: the gateway starts and reports the province down.
        PROVINCES: '450000=http://127.0.0.1:9',
        NATIONAL_URL: 'http://127.0.0.1:9/graphql',
      };
  }
}

/** What one verification measured. */
export interface InstallReport {
  service: ReleaseService;
  /** Seconds `npm ci --omit=dev` took. */
  installSeconds: number;
  /** Packages under node_modules (top level and scoped). */
  packages: number;
  /** Size of node_modules in MB (`du`). */
  nodeModulesMb: number;
  /** Milliseconds from spawn to `/health` answering 200. */
  healthyMs: number;
}

/**
 * Stages, installs and starts one service; resolves once its `/health` answered 200.
 * @throws Error when the install fails, a development package is present or the service does not start
 */
export async function verifyInstall(service: ReleaseService): Promise<InstallReport> {
  const dir = mkdtempSync(join(tmpdir(), `p2p-release-${service}-`));
  try {
    const app = join(dir, 'app');
    stageRelease(REPO_ROOT, service, { manifests: app, app });
    const { bin } = RELEASE_SERVICES[service];
    const installStart = performance.now();
    const workspace = installWorkspace(REPO_ROOT, service);
    execFileSync('npm', ['ci', '--omit=dev', '--workspace', workspace, '--no-audit', '--no-fund'], {
      cwd: app,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const installSeconds = (performance.now() - installStart) / 1000;
    const present = DEVELOPMENT_PACKAGES.filter((name) => existsSync(join(app, 'node_modules', name)));
    if (present.length > 0)
      throw new Error(`${service}: development packages installed: ${present.join(', ')}`);
    const binPath = join(app, 'node_modules', '.bin', bin);
    if (!existsSync(binPath)) throw new Error(`${service}: npm did not link the ${bin} bin`);
    const packages = Number(
      execFileSync('sh', ['-c', 'ls -d node_modules/* node_modules/@*/* | grep -v "/@[^/]*$" | wc -l'], {
        cwd: app,
        encoding: 'utf8',
      }).trim(),
    );
    const nodeModulesMb = Number(
      execFileSync('du', ['-sm', 'node_modules'], { cwd: app, encoding: 'utf8' }).split('\t')[0],
    );

    const started = performance.now();
    const running = await startService({
      name: `${service} (installed)`,
      entry: binPath,
      cwd: app,
      env: await productionEnv(service, dir),
    });
    try {
      const health = await fetch(new URL('/health', running.url));
      if (health.status !== 200)
        throw new Error(`${service}: /health answered ${health.status}\n${running.recentOutput()}`);
      if (service === 'gateway') await checkConsole(running.url);
      return {
        service,
        installSeconds,
        packages,
        nodeModulesMb,
        healthyMs: Math.round(performance.now() - started),
      };
    } finally {
      await running.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The gateway's release serves the console it carries: `/console/` answers 200 with the console's
 * page, and, in production mode without an identity provider, `config.json` says no sign-in is set.
 * @throws Error saying what was answered instead
 */
export async function checkConsole(gatewayUrl: string): Promise<void> {
  const page = await fetch(new URL('/console/', gatewayUrl));
  const html = await page.text();
  if (page.status !== 200 || !html.includes('<div id="root">'))
    throw new Error(
      `gateway: /console/ answered ${page.status}, not the console's page: ${html.slice(0, 200)}`,
    );
  const config = (await (await fetch(new URL('/console/config.json', gatewayUrl))).json()) as {
    signIn?: string;
  };
  if (config.signIn !== 'none')
    throw new Error(
      `gateway: /console/config.json says signIn ${config.signIn}; expected none (no OIDC set)`,
    );
}

/** Verifies the services named on the command line (all by default), one after the other. */
async function main(argv: string[]): Promise<void> {
  const names = argv.length > 0 ? argv : (Object.keys(RELEASE_SERVICES) as ReleaseService[]);
  for (const name of names) {
    if (!(name in RELEASE_SERVICES))
      throw new Error(`unknown service "${name}": one of ${Object.keys(RELEASE_SERVICES).join(', ')}`);
  }
  for (const name of names as ReleaseService[]) {
    const r = await verifyInstall(name);
    console.log(
      `${r.service}: npm ci --omit=dev ${r.installSeconds.toFixed(1)} s, ${r.packages} packages, ` +
        `${r.nodeModulesMb} MB node_modules, /health 200 after ${r.healthyMs} ms (plain node, production mode)`,
    );
  }
}

if (isMainModule(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String((error as Error)?.message ?? error));
    process.exit(1);
  });
}
