/**
 * The settings of one province service read from an environment (main.ts's variables): what
 * `p2p-province` reads from its process env, and `p2p-province-host` from each hosted province's
 * entry on top of its process env.
 */
import { choiceFromEnv, developmentMode, integerFromEnv } from '@p2p/runtime';
import type { Logger } from 'pino';
import { epidemicSettingsFromEnv } from './health/epidemic-settings.js';
import { assertProvinceCode, type ProvinceOptions } from './index.js';

/**
 * The options of `startProvince` for the province `env.PROVINCE` (see main.ts for the variables).
 * @throws Error naming a missing or malformed setting.
 */
export function provinceOptionsFromEnv(env: NodeJS.ProcessEnv, logger: Logger): ProvinceOptions {
  const province = assertProvinceCode(env.PROVINCE ?? '');
  return {
    province,
    port: integerFromEnv('PORT', { max: 65_535 }, env) ?? 4100,
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: integerFromEnv('DATABASE_POOL_SIZE', { min: 1, max: 1000 }, env),
    retention: Object.fromEntries(
      (
        [
          ['outboxDays', 'OUTBOX_RETENTION_DAYS'],
          ['idempotencyKeyDays', 'IDEMPOTENCY_KEY_RETENTION_DAYS'],
        ] as const
      )
        .map(([key, name]) => [key, integerFromEnv(name, { max: 36_500 }, env)])
        .filter(([, days]) => days !== undefined),
    ),
    pgliteDir: env.PGLITE_DIR || undefined,
    workerIdKey: env.WORKER_ID_KEY || undefined,
    gatewayPublicKey: env.GATEWAY_PUBLIC_KEY || undefined,
    conformancePublicKey: env.CONFORMANCE_PUBLIC_KEY || undefined,
    requireGatewaySignature: env.ALLOW_UNSIGNED !== '1',
    epidemic: epidemicSettingsFromEnv(env),
    servedContract: choiceFromEnv('SERVED_CONTRACT', ['current', 'previous'] as const, env) ?? 'current',
    development: developmentMode(env),
    logger,
  };
}

/** What each hosted province names for itself: never taken from the process's env. */
const OWN_VARIABLES = ['PROVINCE', 'PORT', 'DATABASE_URL', 'PGLITE_DIR'] as const;

/** Settings of the process, not of one province: refused in a `HOSTED_PROVINCES` entry. */
const isProcessWide = (name: string) =>
  name === 'HOSTED_PROVINCES' || name === 'LOG_LEVEL' || name === 'NODE_OPTIONS' || name.startsWith('OTEL_');

/**
 * The environments of the provinces one process serves: `env` itself, or with `HOSTED_PROVINCES`
 * (a JSON array of objects of variables, e.g. `[{"PROVINCE":"110000","PORT":"4111",
 * "DATABASE_URL":"postgres://…/p2p_110000"}, …]`) one per entry, its variables over `env`'s.
 * Several provinces in one process share its node, its compiled code, (on PGlite) its compiled
 * WebAssembly, its logger (`LOG_LEVEL`) and its tracing (`OTEL_*`); each keeps its own port,
 * database, pool and background tasks. `PROVINCE`, `PORT`, `DATABASE_URL` and `PGLITE_DIR` come
 * from the entry alone (`PORT` 4100 and an in-memory PGlite when it names none), never from the
 * process's env, so two provinces cannot end up on one database or port.
 * @throws Error when `HOSTED_PROVINCES` is not such an array, an entry names no province or a
 *   process-wide setting, or two entries share a province, a port (other than 0), a database URL or a
 *   PGlite directory.
 */
export function hostedProvinceEnvs(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv[] {
  const hosted = env.HOSTED_PROVINCES;
  if (!hosted?.trim()) return [env];
  const shared = Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => name !== 'HOSTED_PROVINCES' && !(OWN_VARIABLES as readonly string[]).includes(name),
    ),
  );
  let entries: unknown;
  try {
    entries = JSON.parse(hosted);
  } catch {
    throw new Error(
      'HOSTED_PROVINCES must be a JSON array of objects of variables, e.g. [{"PROVINCE":"110000"}]',
    );
  }
  if (!Array.isArray(entries) || entries.length === 0)
    throw new Error('HOSTED_PROVINCES must be a non-empty JSON array of objects of variables');
  const seen = new Map<string, number>();
  return entries.map((entry, i) => {
    if (
      !entry ||
      typeof entry !== 'object' ||
      Array.isArray(entry) ||
      !Object.values(entry).every((v) => typeof v === 'string')
    )
      throw new Error(`HOSTED_PROVINCES[${i}] must be an object of string variables`);
    const own = entry as Record<string, string>;
    if (!own.PROVINCE?.trim()) throw new Error(`HOSTED_PROVINCES[${i}] must name its PROVINCE`);
    const processWide = Object.keys(own).filter(isProcessWide);
    if (processWide.length > 0)
      throw new Error(
        `HOSTED_PROVINCES[${i}] sets ${processWide.join(', ')}: a setting of the whole process, set it in the process's env`,
      );
    const port = own.PORT?.trim() || '4100';
    const claims = [
      `province ${own.PROVINCE.trim()}`,
      ...(Number(port) !== 0 ? [`port ${port}`] : []),
      ...(own.DATABASE_URL?.trim() ? [`database ${own.DATABASE_URL.trim()}`] : []),
      ...(own.PGLITE_DIR?.trim() ? [`PGlite directory ${own.PGLITE_DIR.trim()}`] : []),
    ];
    for (const claim of claims) {
      const other = seen.get(claim);
      if (other !== undefined) {
        // A URL may carry a password: name the entries, not the value.
        const what = claim.startsWith('database') ? 'DATABASE_URL' : claim;
        throw new Error(`HOSTED_PROVINCES[${other}] and [${i}] share ${what}`);
      }
      seen.set(claim, i);
    }
    return { ...shared, ...own };
  });
}
