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

/**
 * The environments of the provinces one process serves: `env` itself, or with `HOSTED_PROVINCES`
 * (a JSON array of objects of variables, e.g. `[{"PROVINCE":"110000","PORT":"4111",
 * "DATABASE_URL":"postgres://…/p2p_110000"}, …]`) one per entry, its variables over `env`'s.
 * Several provinces in one process share its node, its compiled code and (on PGlite) its
 * compiled WebAssembly; each keeps its own port, database, pool and background tasks.
 * @throws Error when `HOSTED_PROVINCES` is not such an array, or names a province twice.
 */
export function hostedProvinceEnvs(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv[] {
  const hosted = env.HOSTED_PROVINCES;
  if (!hosted?.trim()) return [env];
  const { HOSTED_PROVINCES: _, ...shared } = env;
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
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    if (
      !entry ||
      typeof entry !== 'object' ||
      Array.isArray(entry) ||
      !Object.values(entry).every((v) => typeof v === 'string')
    )
      throw new Error(`HOSTED_PROVINCES[${i}] must be an object of string variables`);
    const province = (entry as Record<string, string>).PROVINCE ?? '';
    if (seen.has(province)) throw new Error(`HOSTED_PROVINCES names province ${province} twice`);
    seen.add(province);
    return { ...shared, ...(entry as Record<string, string>) };
  });
}
