/**
 * `npm start`: the whole hub on this machine. Starts national (4001) and the provinces
 * (4100 + prefix) on embedded PGlite or a PostgreSQL server, then the gateway on
 * http://localhost:4000/graphql, seeds the 2020 demo through the gateway, prints the URLs, and
 * stops everything on Ctrl-C. Options: see DEV_USAGE (`npm start -- --help`).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureConsoleBuilt } from '@p2p/console';
import { findRegion } from '@p2p/schema';
import { provincePoolSize, readServerConnections } from './connection-budget.js';
import { startFederation, type RunningFederation } from './harness/federation.js';
import { killAllServices, type OutputStream } from './harness/service-process.js';
import { seedDemo, type DemoIds } from './demo/seed.js';
import { consoleRoles, demoTokenLines } from './token.js';
import { startLiveTrips, type LiveTrips } from './demo/live.js';
import { DEV_USAGE, devProvincePort, parseDevOptions, type DevOptions } from './dev-options.js';

/** Levels of service log lines shown without --verbose. */
const LOUD_LEVELS = new Set(['warn', 'error', 'fatal', 40, 50, 60]);

/** Prints a service's output line when it matters (or always with --verbose). */
function serviceLog(verbose: boolean) {
  return (service: string, line: string, stream: OutputStream) => {
    let loud = stream === 'stderr' && !line.startsWith('{');
    if (line.startsWith('{')) {
      try {
        loud = LOUD_LEVELS.has((JSON.parse(line) as { level?: string | number }).level ?? '');
      } catch {
        loud = true;
      }
    }
    if (verbose || loud) process.stderr.write(`[${service}] ${line}\n`);
  };
}

/** The URLs a developer wants, one per line. */
function banner(federation: RunningFederation, options: DevOptions): string {
  const local = (url: string) => url.replace('127.0.0.1', 'localhost');
  const lines = [
    '',
    `  gateway       ${local(federation.gatewayUrl)}`,
    `  console       ${local(new URL('/console/', federation.gatewayUrl).toString())}`,
    `  GraphQL IDE   ${local(new URL('/graphiql', federation.gatewayUrl).toString())}`,
    `  admin         ${local(new URL('/metrics', federation.gatewayUrl).toString())}, /health/details  (Authorization: Bearer ${federation.adminToken})`,
    `  national      ${local(federation.nationalUrl)}`,
    ...Object.entries(federation.provinceUrls).map(
      ([code, url]) =>
        `  ${code}        ${local(url)}   ${findRegion(code)?.name ?? ''}, ${federation.provinceStorage[code]}`,
    ),
    '',
    options.seed
      ? '  demo seeded: try the landing page tabs (summary, trips into Beijing, requests for Guangxi)'
      : '  not seeded (--no-seed)',
    '  Ctrl-C stops everything',
    '',
  ];
  return lines.join('\n');
}

/**
 * The pool size of each province on the PostgreSQL server of `--database-url`, from its
 * `max_connections` (connection-budget.ts), unless `DATABASE_POOL_SIZE` is set.
 * @throws Error when the server cannot hold that many provinces, saying what it needs
 */
async function sharedServerPoolSize(databaseUrl: string, provinces: number): Promise<number | undefined> {
  if (process.env.DATABASE_POOL_SIZE) return undefined;
  const server = await readServerConnections(databaseUrl);
  const pool = provincePoolSize(server, provinces);
  console.error(
    `PostgreSQL allows ${server.maxConnections} connections: each of the ${provinces} provinces pools ${pool} (+1 LISTEN)`,
  );
  return pool;
}

/** Runs the launcher until Ctrl-C. */
async function main(): Promise<void> {
  let options: DevOptions;
  try {
    options = parseDevOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${DEV_USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(DEV_USAGE);
    return;
  }

  // The console's development sign-in offers the demo's roles; once seeded, the enterprise too.
  const consoleRolesFile = join(tmpdir(), `p2p-console-roles-${process.pid}.json`);
  let federation: RunningFederation | undefined;
  let live: LiveTrips | undefined;
  let seeded: DemoIds | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.error(`${signal} again: killing every service`);
      killAllServices();
      process.exit(1);
    }
    stopping = true;
    console.error(`\n${signal}: stopping the hub…`);
    await live?.stop();
    await federation?.close();
    rmSync(consoleRolesFile, { force: true });
    console.error('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await ensureConsoleBuilt({ log: (line) => console.error(line) });
  console.error(`starting national, ${options.provinces.length} provinces and the gateway…`);
  const poolSize = options.databaseUrl
    ? await sharedServerPoolSize(options.databaseUrl, options.provinces.length)
    : undefined;
  federation = await startFederation({
    provinces: options.provinces,
    ...(options.databaseUrl
      ? { databaseUrl: options.databaseUrl, persistentDatabasePrefix: 'p2p_dev' }
      : { databaseUrl: '' }),
    ...(options.pgliteDir ? { pgliteDir: options.pgliteDir } : {}),
    ports: {
      gateway: options.gatewayPort,
      national: options.nationalPort,
      provinces: Object.fromEntries(options.provinces.map((code) => [code, devProvincePort(code)])),
    },
    onLog: serviceLog(options.verbose),
    provincesPerProcess: options.provincesPerProcess,
    // Two provinces start at a time on two cores: with 31, national and the last ones wait longer.
    readyTimeoutMs: 60_000 + options.provinces.length * 5_000,
    // The launcher's OTEL_* settings reach every service (tracing: docs/tracing.md); each keeps its own service name.
    env: {
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          (e): e is [string, string] =>
            e[0].startsWith('OTEL_') && e[0] !== 'OTEL_SERVICE_NAME' && e[1] !== undefined,
        ),
      ),
      // Every province's pool fits the shared server (connection-budget.ts).
      ...(poolSize ? { DATABASE_POOL_SIZE: String(poolSize) } : {}),
    },
    gatewayEnv: { CONSOLE_DEV_ROLES_FILE: consoleRolesFile },
    // Development mode (P2P_DEV=1): the public development keys are accepted; never in production.
    development: true,
  });
  if (stopping) return;

  if (options.seed) {
    console.error('seeding the 2020 demo through the gateway…');
    try {
      // Each write is sent as its proper role (officer of the owning province, the enterprise itself).
      const ids = await seedDemo(federation.gatewayUrl, {
        provinces: options.provinces,
        tokenFor: federation.tokenFor,
        waitForRelay: () => federation.waitForRelay({ timeoutMs: 60_000 }),
        log: (line) => console.error(`  ${line}`),
      });
      seeded = ids;
      live = startLiveTrips(federation.gatewayUrl, ids, {
        tokenFor: federation.tokenFor,
        log: (line) => console.error(`  live: ${line}`),
      });
    } catch (error) {
      // Keep the hub up: what was seeded, and the services' logs, help to find out why.
      console.error(
        `seeding failed: ${error instanceof Error ? error.message : String(error)}\nthe hub keeps running`,
      );
    }
  }
  writeFileSync(consoleRolesFile, JSON.stringify(consoleRoles(seeded?.enterprises)));
  console.log(banner(federation, options));
  console.log(`${(await demoTokenLines(federation.tokenFor, seeded?.enterprises)).join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  killAllServices();
  process.exit(1);
});
