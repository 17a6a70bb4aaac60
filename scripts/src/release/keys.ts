/**
 * `npm run keys -- --out deploy/keys [--provinces 130000,450000] [--force]`: the one-off command
 * that makes a deployment's secrets, one env file per holder (compose.yaml reads them with
 * `env_file`), each written with mode 0600:
 *
 * | file | holder | settings |
 * | --- | --- | --- |
 * | `gateway.env` | the gateway only | `GATEWAY_SIGNING_KEY` (ES256 private key), `AUTH_JWT_SECRET`, `ADMIN_TOKEN` |
 * | `province.env` | every province | `GATEWAY_PUBLIC_KEY` (the matching public key), `WORKER_ID_KEY` (one HMAC key for all) |
 * | `province-<code>.env` | that province | `DATABASE_URL` (its own database user's password) |
 * | `postgres-<code>.env` | that province's Postgres | `POSTGRES_USER`, `POSTGRES_PASSWORD`, `POSTGRES_DB` |
 *
 * PEM keys are written on one line in double quotes with `\n` escapes (the env-file syntax of
 * Docker Compose). Existing files are kept unless `--force` (rotating a key is a decision: the
 * worker-id key, once ids were issued, must never change); so adding a province is running it
 * again with the longer `--provinces` list.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { findRegion, generateGatewayKeyPair } from '@p2p/schema';

/** The usage text. */
export const KEYS_USAGE = `npm run keys -- --out <dir> [--provinces 130000,450000] [--force]

  --out <dir>          where the env files go (e.g. deploy/keys; keep it out of version control)
  --provinces <codes>  the provinces of the deployment, comma-separated (default 130000,450000)
  --force              overwrite existing files (rotates every key: see docs/release.md);
                       without it existing files are kept and only missing ones written`;

/** The provinces of the compose file when none are named. */
export const DEFAULT_DEPLOY_PROVINCES = ['130000', '450000'];

/** A random secret: 32 bytes, base64url (no `$`, quotes or spaces: safe in any env file). */
const secret = () => randomBytes(32).toString('base64url');

/** One `NAME="value"` line; newlines become `\n` escapes. */
export function envLine(name: string, value: string): string {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`not an env name: ${name}`);
  const escaped = value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
  return `${name}="${escaped}"`;
}

/** The Postgres host name of a province in compose.yaml. */
export const postgresHost = (code: string) => `postgres-${code}`;

/**
 * The env files of a deployment, file name → settings (not yet written).
 * @throws Error when a code is not a province
 */
export async function deploymentKeys(provinces: string[]): Promise<Record<string, Record<string, string>>> {
  for (const code of provinces)
    if (findRegion(code)?.level !== 'PROVINCE')
      throw new Error(`--provinces: ${code} is not a province code`);
  const gatewayKeys = await generateGatewayKeyPair();
  const files: Record<string, Record<string, string>> = {
    'gateway.env': {
      GATEWAY_SIGNING_KEY: gatewayKeys.privateKeyPem,
      AUTH_JWT_SECRET: secret(),
      ADMIN_TOKEN: secret(),
    },
    'province.env': { GATEWAY_PUBLIC_KEY: gatewayKeys.publicKeyPem, WORKER_ID_KEY: secret() },
  };
  for (const code of provinces) {
    const password = secret();
    files[`postgres-${code}.env`] = { POSTGRES_USER: 'p2p', POSTGRES_PASSWORD: password, POSTGRES_DB: 'p2p' };
    files[`province-${code}.env`] = {
      DATABASE_URL: `postgres://p2p:${password}@${postgresHost(code)}:5432/p2p`,
    };
  }
  return files;
}

/**
 * Writes the files of {@link deploymentKeys} into `dir` (mode 0600) and returns the names written.
 * A file that exists is kept unless `force` (then every key is replaced): run again with one more
 * province, only that province's two files are written and the shared keys stay.
 */
export async function writeDeploymentKeys(
  dir: string,
  provinces: string[],
  force = false,
): Promise<string[]> {
  const files = await deploymentKeys(provinces);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  for (const [name, settings] of Object.entries(files)) {
    if (!force && existsSync(join(dir, name))) continue;
    const lines = Object.entries(settings).map(([key, value]) => envLine(key, value));
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`, { mode: 0o600 });
    written.push(name);
  }
  return written;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      provinces: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help || !values.out) {
    console.log(KEYS_USAGE);
    if (!values.help) process.exit(2);
    return;
  }
  const provinces = values.provinces
    ? values.provinces.split(',').map((s) => s.trim())
    : DEFAULT_DEPLOY_PROVINCES;
  const dir = resolve(values.out);
  const written = await writeDeploymentKeys(dir, provinces, values.force);
  console.log(
    written.length > 0
      ? `wrote ${written.join(', ')} to ${dir} (mode 0600)`
      : `every file exists in ${dir}: nothing written (--force replaces every key)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String((error as Error)?.message ?? error));
    process.exit(1);
  });
}
