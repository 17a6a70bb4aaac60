import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { developmentMode, integerSetting } from '@p2p/runtime';
import type { ConsoleSiteOptions } from './http/console-site.js';
import type { GatewayOptions } from './index.js';
import { authOptionsFromEnv } from './auth/auth-options.js';
import { limitsFromEnv } from './limits/limit-options.js';
import { trustedDocumentsFromEnv } from './trusted-documents/trusted-options.js';

/** The gateway's settings as a JSON config file (`GATEWAY_CONFIG`) holds them. */
export interface GatewayConfigFile {
  port?: number;
  host?: string;
  /** Code → base URL, or "110000=http://...,450000=http://...". */
  provinces?: Record<string, string> | string;
  nationalUrl?: string;
  /** Path of a supergraph SDL file (plain mode or another composition); relative to the config file. */
  supergraphPath?: string;
  /** Subgraph name → URL, or "name=url,...". */
  subgraphs?: Record<string, string> | string;
  provinceTimeoutMs?: number;
  healthCheckIntervalMs?: number;
  provinceRetryAfterMs?: number;
  /** Directory of the provinces' last conformance kit reports; relative to the config file. */
  conformanceReportDir?: string;
}

/**
 * Reads "key=value,key=value" (values may contain `=`) into a record.
 * @throws Error naming the setting when an entry has no `=`
 */
export function parsePairs(text: string, setting: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new Error(`${setting}: "${entry}" is not name=url`);
    out[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return out;
}

const int = (value: string | number | undefined, setting: string) => integerSetting(value, setting);
const port = (value: string | number | undefined, setting: string) =>
  integerSetting(value, setting, { max: 65_535 });

/** Shortest accepted `ADMIN_TOKEN` (it guards province URLs and the metrics). */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

function adminToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < MIN_ADMIN_TOKEN_LENGTH)
    throw new Error(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  return value;
}

const nonEmpty = <T extends object>(value: T): T | undefined =>
  Object.keys(value).length ? value : undefined;

const pairs = (v: Record<string, string> | string | undefined, setting: string) =>
  typeof v === 'string' ? parsePairs(v, setting) : v;

/**
 * `CONFORMANCE_REPORT_DIR` (or the config file's `conformanceReportDir`) as an absolute path.
 * @throws Error naming the setting when it names no directory (a typo would refuse every province)
 */
function conformanceReportDir(path: string | undefined, setting: string): string | undefined {
  if (!path) return undefined;
  let directory = false;
  try {
    directory = statSync(path).isDirectory();
  } catch {
    directory = false;
  }
  if (!directory) throw new Error(`${setting}: no directory at ${path}`);
  return path;
}

/**
 * The relay's settings: `RELAY=off` turns it off; `RELAY_WAIT_MS` (a read's long poll, default
 * 20000), `RELAY_BATCH_SIZE` (events per target per read, default 500) and `RELAY_ALARM_RETRY_MS`
 * (how soon a refused pair is tried again, e.g. after an operator reset an inbox; default 30000).
 * @throws Error naming the setting that is malformed
 */
function relaySettings(env: NodeJS.ProcessEnv): GatewayOptions['relay'] {
  const switch_ = (env.RELAY ?? '').trim().toLowerCase();
  if (switch_ === 'off' || switch_ === '0' || switch_ === 'false') return false;
  if (switch_ && !['on', '1', 'true'].includes(switch_))
    throw new Error(`RELAY must be on or off; got "${env.RELAY}"`);
  const waitMs = integerSetting(env.RELAY_WAIT_MS, 'RELAY_WAIT_MS', { max: 30_000 });
  const batchSize = integerSetting(env.RELAY_BATCH_SIZE, 'RELAY_BATCH_SIZE', { min: 1, max: 1_000 });
  const alarmRetryMs = integerSetting(env.RELAY_ALARM_RETRY_MS, 'RELAY_ALARM_RETRY_MS', {
    min: 100,
    max: 3_600_000,
  });
  const options = {
    ...(waitMs !== undefined ? { waitMs } : {}),
    ...(batchSize !== undefined ? { batchSize } : {}),
    ...(alarmRetryMs !== undefined ? { alarmRetryMs } : {}),
  };
  return Object.keys(options).length > 0 ? options : undefined;
}

/**
 * `LOCAL_REGIONS`: `off` sends `Region` entity fetches to national instead of answering them in
 * the gateway (e.g. while national serves another edition of the directory); default on.
 * @throws Error when it is neither on nor off
 */
function localRegionsSetting(value: string | undefined): false | undefined {
  const v = (value ?? '').trim().toLowerCase();
  if (v === 'off' || v === '0' || v === 'false') return false;
  if (v && !['on', '1', 'true'].includes(v))
    throw new Error(`LOCAL_REGIONS must be on or off; got "${value}"`);
  return undefined;
}

/**
 * The console's settings: `CONSOLE_DIR` (its build), `CONSOLE_OIDC_ISSUER` + `CONSOLE_OIDC_CLIENT_ID`
 * (+ `CONSOLE_OIDC_SCOPE`, `CONSOLE_OIDC_RESOURCE`) for the identity provider's login, and
 * `CONSOLE_DEV_ROLES_FILE` (development mode's role picker).
 * @throws Error when only one of the issuer and the client id is set
 */
function consoleSettings(env: NodeJS.ProcessEnv): ConsoleSiteOptions {
  const issuer = env.CONSOLE_OIDC_ISSUER?.trim();
  const clientId = env.CONSOLE_OIDC_CLIENT_ID?.trim();
  if (Boolean(issuer) !== Boolean(clientId))
    throw new Error('CONSOLE_OIDC_ISSUER and CONSOLE_OIDC_CLIENT_ID go together: set both or neither');
  if (issuer) {
    if (!URL.canParse(issuer) || !/^https?:$/.test(new URL(issuer).protocol))
      throw new Error(`CONSOLE_OIDC_ISSUER must be the identity provider's http(s) URL; got "${issuer}"`);
    const verified = env.AUTH_ISSUER?.trim();
    if (verified && verified !== issuer)
      throw new Error(
        `CONSOLE_OIDC_ISSUER (${issuer}) must be the issuer the gateway verifies, AUTH_ISSUER (${verified}): every sign-in would be refused`,
      );
  }
  return Object.fromEntries(
    Object.entries({
      appDir: env.CONSOLE_DIR ? resolve(env.CONSOLE_DIR) : undefined,
      oidc:
        issuer && clientId
          ? {
              issuer,
              clientId,
              ...(env.CONSOLE_OIDC_SCOPE ? { scope: env.CONSOLE_OIDC_SCOPE } : {}),
              ...(env.CONSOLE_OIDC_RESOURCE ? { resource: env.CONSOLE_OIDC_RESOURCE } : {}),
            }
          : undefined,
      developmentRolesFile: env.CONSOLE_DEV_ROLES_FILE ? resolve(env.CONSOLE_DEV_ROLES_FILE) : undefined,
    }).filter(([, v]) => v !== undefined),
  ) as ConsoleSiteOptions;
}

/**
 * Gateway options from the environment: `GATEWAY_CONFIG` (a JSON {@link GatewayConfigFile}) first,
 * then `PORT` (default 4000), `HOST`, `PROVINCES`, `NATIONAL_URL`, `PROVINCE_TIMEOUT_MS`,
 * `HEALTH_CHECK_INTERVAL_MS`, `PROVINCE_RETRY_AFTER_MS`, `CONFORMANCE_REPORT_DIR` (the provinces' last
 * conformance kit reports, health/conformance-reports.ts), `SUPERGRAPH_PATH` and `SUBGRAPHS` (plain mode)
 * override it. Authentication (`AUTH_*`, `GATEWAY_SIGNING_KEY`), the admin endpoints (`ADMIN_TOKEN`,
 * `ADMIN_PORT`, `ADMIN_HOST`), development mode (`P2P_DEV=1` or `--dev`) and limits (`LIMIT_*`,
 * `RATE_LIMIT_*`, `RATE_LIMIT_REDIS_URL` to share the rate limit between replicas) come from the
 * environment only (see auth/auth-options.ts, limits/limit-options.ts), and so do the subscription
 * caps `SUBSCRIPTION_MAX_PER_CONNECTION` and `SUBSCRIPTION_MAX_CONNECTIONS_PER_CALLER` and the
 * clients' keep-alive `SUBSCRIPTION_KEEPALIVE_MS` (README "Subscriptions"), the relay (`RELAY`, `RELAY_WAIT_MS`, `RELAY_BATCH_SIZE`, `RELAY_ALARM_RETRY_MS`)
 * `Region` entities at the gateway (`LOCAL_REGIONS`) and trusted documents (`TRUSTED_DOCUMENTS`, `TRUSTED_DOCUMENTS_MANIFESTS`, see
 * trusted-documents/trusted-options.ts).
 * @throws Error naming the setting that is malformed
 */
export function gatewayOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayOptions {
  let file: GatewayConfigFile = {};
  let base = process.cwd();
  if (env.GATEWAY_CONFIG) {
    const path = resolve(env.GATEWAY_CONFIG);
    file = JSON.parse(readFileSync(path, 'utf8')) as GatewayConfigFile;
    base = resolve(path, '..');
  }
  const supergraphPath = env.SUPERGRAPH_PATH
    ? resolve(env.SUPERGRAPH_PATH)
    : file.supergraphPath
      ? resolve(base, file.supergraphPath)
      : undefined;
  const options: GatewayOptions = {
    port: port(env.PORT, 'PORT') ?? port(file.port, 'port') ?? 4000,
    host: env.HOST || file.host,
    provinces:
      env.PROVINCES !== undefined
        ? parsePairs(env.PROVINCES, 'PROVINCES')
        : pairs(file.provinces, 'provinces'),
    nationalUrl: env.NATIONAL_URL || file.nationalUrl,
    supergraphSdl: supergraphPath ? readFileSync(supergraphPath, 'utf8') : undefined,
    subgraphUrls:
      env.SUBGRAPHS !== undefined
        ? parsePairs(env.SUBGRAPHS, 'SUBGRAPHS')
        : pairs(file.subgraphs, 'subgraphs'),
    provinceTimeoutMs:
      int(env.PROVINCE_TIMEOUT_MS, 'PROVINCE_TIMEOUT_MS') ?? int(file.provinceTimeoutMs, 'provinceTimeoutMs'),
    healthCheckIntervalMs:
      int(env.HEALTH_CHECK_INTERVAL_MS, 'HEALTH_CHECK_INTERVAL_MS') ??
      int(file.healthCheckIntervalMs, 'healthCheckIntervalMs'),
    provinceRetryAfterMs:
      int(env.PROVINCE_RETRY_AFTER_MS, 'PROVINCE_RETRY_AFTER_MS') ??
      int(file.provinceRetryAfterMs, 'provinceRetryAfterMs'),
    conformanceReportDir: env.CONFORMANCE_REPORT_DIR
      ? conformanceReportDir(resolve(env.CONFORMANCE_REPORT_DIR), 'CONFORMANCE_REPORT_DIR')
      : file.conformanceReportDir
        ? conformanceReportDir(resolve(base, file.conformanceReportDir), 'conformanceReportDir')
        : undefined,
    auth: nonEmpty(authOptionsFromEnv(env)),
    development: developmentMode(env) || undefined,
    adminToken: adminToken(env.ADMIN_TOKEN),
    adminPort: port(env.ADMIN_PORT, 'ADMIN_PORT'),
    adminHost: env.ADMIN_HOST || undefined,
    limits: nonEmpty(limitsFromEnv(env)),
    rateLimitRedisUrl: env.RATE_LIMIT_REDIS_URL || undefined,
    relay: relaySettings(env),
    localRegions: localRegionsSetting(env.LOCAL_REGIONS),
    trustedDocuments: nonEmpty(trustedDocumentsFromEnv(env)),
    console: nonEmpty(consoleSettings(env)),
    subscriptions: nonEmpty(
      Object.fromEntries(
        Object.entries({
          maxSubscriptionsPerConnection: int(
            env.SUBSCRIPTION_MAX_PER_CONNECTION,
            'SUBSCRIPTION_MAX_PER_CONNECTION',
          ),
          maxConnectionsPerCaller: int(
            env.SUBSCRIPTION_MAX_CONNECTIONS_PER_CALLER,
            'SUBSCRIPTION_MAX_CONNECTIONS_PER_CALLER',
          ),
          keepAliveMs: integerSetting(env.SUBSCRIPTION_KEEPALIVE_MS, 'SUBSCRIPTION_KEEPALIVE_MS', {
            min: 1_000,
            max: 300_000,
          }),
        }).filter(([, v]) => v !== undefined),
      ),
    ),
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as GatewayOptions;
}
