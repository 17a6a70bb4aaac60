/**
 * Command line of the dev launcher (`npm start -- [options]`), parsed and checked.
 */
import { parseArgs } from 'node:util';
import { childRegionCodes } from '@p2p/schema';
import { DEMO_PROVINCES } from './demo/data.js';
import { assertProvinceCodes } from './harness/federation.js';

/** What `npm start` was asked to do. */
export interface DevOptions {
  /** @default DEMO_PROVINCES (110000, 130000, 410000, 440000, 450000) */
  provinces: string[];
  /** A PostgreSQL server URL: databases p2p_dev_<code> are created there and kept. */
  databaseUrl?: string;
  /** PGlite data kept in <dir>/<code> across runs; absent: temporary. */
  pgliteDir?: string;
  /** Provinces served by one process (several share a node and its compiled code). @default 1, or 8 for more than 8 provinces */
  provincesPerProcess: number;
  /** @default true */
  seed: boolean;
  /** Show every log line of every service, not only warnings and errors. @default false */
  verbose: boolean;
  /** @default 4000 */
  gatewayPort: number;
  /** @default 4001 */
  nationalPort: number;
  help: boolean;
}

/** The usage text. */
export const DEV_USAGE = `npm start -- [options]   start national, the provinces and the gateway, and seed the 2020 demo

  --provinces 110000,450000   provinces to run (default: ${DEMO_PROVINCES.join(',')}); \`all\`: the 31
                              provinces of the mainland
  --database-url postgres://… one PostgreSQL database per province (p2p_dev_<code>, kept); each
                              province's pool is sized to share the server's max_connections
                              (default: embedded PGlite)
  --pglite-dir <dir>          keep PGlite data in <dir>/<code> across runs (default: temporary)
  --provinces-per-process N   serve N provinces in each process, each with its own port and
                              database (default 1, or 8 for more than 8 provinces: with \`all\`, 4
                              processes instead of 31 start in a third of the time and a third
                              of the memory, BENCHMARKS.md)
  --no-seed                   do not seed the demo
  --verbose                   show every service log line
  --help

  env GATEWAY_PORT (default 4000), NATIONAL_PORT (default 4001); provinces listen on 4100 + their
  two-digit prefix (Beijing 4111, Hebei 4113, Henan 4141, Guangdong 4144, Guangxi 4145)`;

/** The port of a province in dev: 4100 plus its two-digit prefix (Guangxi 450000 → 4145). */
export function devProvincePort(code: string): number {
  return 4100 + Number(code.slice(0, 2));
}

/**
 * Parses the launcher's arguments.
 * @throws Error with a message for the user when an option is unknown or wrong.
 */
export function parseDevOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): DevOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      provinces: { type: 'string' },
      'database-url': { type: 'string' },
      'pglite-dir': { type: 'string' },
      'provinces-per-process': { type: 'string' },
      'no-seed': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const provinces =
    values.provinces?.trim() === 'all'
      ? [...childRegionCodes(null)]
      : values.provinces
        ? values.provinces
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean)
        : [...DEMO_PROVINCES];
  assertProvinceCodes(provinces);
  const databaseUrl = values['database-url'];
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new Error(`--database-url must be a postgres:// URL; got ${databaseUrl}`);
  if (databaseUrl && values['pglite-dir'])
    throw new Error('--database-url and --pglite-dir exclude each other');
  const perProcess = values['provinces-per-process']?.trim() ?? (provinces.length > 8 ? '8' : '1');
  if (!/^\d+$/.test(perProcess) || Number(perProcess) < 1 || Number(perProcess) > 31)
    throw new Error(`--provinces-per-process must be a whole number from 1 to 31; got ${perProcess}`);
  return {
    provinces,
    provincesPerProcess: Number(perProcess),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(values['pglite-dir'] ? { pgliteDir: values['pglite-dir'] } : {}),
    seed: !values['no-seed'],
    verbose: values.verbose,
    gatewayPort: Number(env.GATEWAY_PORT ?? 4000),
    nationalPort: Number(env.NATIONAL_PORT ?? 4001),
    help: values.help,
  };
}
