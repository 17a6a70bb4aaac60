/**
 * `npm run keys -- --out deploy/keys [--provinces 130000,450000]`: a deployment's secrets, one
 * env file per holder (compose.yaml reads them with `env_file`), mode 0600 in a 0700 directory:
 *
 * | file | holder | settings |
 * | --- | --- | --- |
 * | `gateway.env` | the gateway only | `GATEWAY_SIGNING_KEY` (ES256 private key), `AUTH_JWT_SECRET`, `ADMIN_TOKEN` |
 * | `province.env` | every province | `GATEWAY_PUBLIC_KEY` (the public half; two during a rotation), `WORKER_ID_KEY` (one HMAC key for all) |
 * | `province-<code>.env` | that province | `DATABASE_URL` (its database owner, not the superuser) |
 * | `postgres-<code>.env` | that province's Postgres | `POSTGRES_USER`/`POSTGRES_PASSWORD` (superuser), `POSTGRES_DB`, `P2P_OWNER_USER`/`P2P_OWNER_PASSWORD` |
 * | `gateway-next.env` | nobody (a rotation under way) | `GATEWAY_SIGNING_KEY`: the next private key |
 *
 * Run again, it only adds what is missing, consistent with what exists: a new province gets the
 * gateway's public key (derived from `gateway.env`) and the existing `WORKER_ID_KEY`. It never
 * replaces `WORKER_ID_KEY` (worker ids are HMACs of resident ids under it) nor a database
 * password (Postgres applies `POSTGRES_PASSWORD` only to a new data volume), and refuses when it
 * would have to. Keys change only by an explicit rotation: `--rotate-gateway-key
 * start|switch|finish` (the no-downtime steps of docs/operations.md "Keys"), `--rotate-admin-token`,
 * `--rotate-jwt-secret`. The logic is {@link planDeploymentKeys}, over file texts in memory.
 */
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainModule } from '@p2p/runtime';
import { findRegion, generateGatewayKeyPair } from '@p2p/schema';
import { envFileText, readEnvFile, withEnvSetting } from './env-file.js';

export { envLine, readEnvFile } from './env-file.js';

/** The usage text. */
export const KEYS_USAGE = `npm run keys -- --out <dir> [--provinces 130000,450000]
npm run keys -- --out <dir> --rotate-gateway-key start|switch|finish|abort
npm run keys -- --out <dir> [--rotate-admin-token] [--rotate-jwt-secret]

  --out <dir>          where the env files are (e.g. deploy/keys; keep it out of version control)
  --provinces <codes>  the provinces of the deployment, comma-separated (default 130000,450000):
                       writes only the files that are missing, with the existing shared keys;
                       WORKER_ID_KEY and database passwords are never replaced
  --rotate-gateway-key the gateway signing key, without downtime (docs/release.md):
                       start   new pair aside (gateway-next.env), province.env gets old+new
                               public keys → restart the provinces
                       switch  gateway.env gets the new private key → restart the gateway
                       finish  province.env gets the new public key alone → restart the provinces
                       abort   before switch: drop the new pair, province.env back to the old key
  --rotate-admin-token a new ADMIN_TOKEN in gateway.env → restart the gateway
  --rotate-jwt-secret  a new AUTH_JWT_SECRET in gateway.env → restart the gateway (tokens signed
                       with the old secret are refused)`;

/** The provinces of the compose file when none are named. */
export const DEFAULT_DEPLOY_PROVINCES = ['130000', '450000'];

/** The gateway's file. */
export const GATEWAY_FILE = 'gateway.env';
/** The next gateway signing key while a rotation is under way (read by no service). */
export const GATEWAY_NEXT_FILE = 'gateway-next.env';
/** The file every province reads. */
export const PROVINCES_FILE = 'province.env';
/** A province's own file. */
export const provinceFile = (code: string) => `province-${code}.env`;
/** A province's PostgreSQL's file. */
export const postgresFile = (code: string) => `postgres-${code}.env`;
/** The Postgres host name of a province in compose.yaml. */
export const postgresHost = (code: string) => `postgres-${code}`;

/** The superuser of each province's PostgreSQL (the image's default name); only the init scripts use it. */
export const POSTGRES_SUPERUSER = 'postgres';
/** The login a province uses: it owns the database and its public schema, and is no superuser. */
export const DATABASE_OWNER = 'p2p';
/** The database of each province's PostgreSQL. */
export const DATABASE_NAME = 'p2p';

/** The steps of a gateway key rotation (docs/operations.md "Keys"). */
export const GATEWAY_KEY_ROTATIONS = ['start', 'switch', 'finish', 'abort'] as const;
/** One step of a gateway key rotation. */
export type GatewayKeyRotation = (typeof GATEWAY_KEY_ROTATIONS)[number];

/** What to do in a key directory. */
export interface KeysRequest {
  /** Provinces whose files must exist (the missing ones are written); none with a rotation. @default [] */
  provinces?: string[];
  /** A step of the gateway key rotation. @default none */
  rotateGatewayKey?: GatewayKeyRotation;
  /** A new `ADMIN_TOKEN`. @default false */
  rotateAdminToken?: boolean;
  /** A new `AUTH_JWT_SECRET`. @default false */
  rotateJwtSecret?: boolean;
}

/** The changes to a key directory. */
export interface KeysPlan {
  /** File name → its whole new text. */
  write: Record<string, string>;
  /** Files to delete. */
  remove: string[];
  /** What the operator does next (restarts), in order. */
  next: string[];
}

/** A random secret: 32 bytes, base64url (no `$`, quotes or spaces: safe in any env file). */
const secret = () => randomBytes(32).toString('base64url');

/** PEM from a setting (literal `\n` sequences of a hand-edited file become newlines). */
const pemOf = (value: string) => value.replaceAll('\\n', '\n').trim();

/**
 * The SPKI PEM public half of a PKCS8 PEM private key.
 * @throws Error when `pem` is not a private key
 */
export function publicKeyOf(pem: string, where: string): string {
  try {
    return createPublicKey(createPrivateKey(pemOf(pem)))
      .export({ type: 'spki', format: 'pem' })
      .toString()
      .trim();
  } catch (error) {
    throw new Error(`${where}: GATEWAY_SIGNING_KEY is not a PKCS8 private key (${(error as Error).message})`);
  }
}

/** The public keys (SPKI DER) of a `GATEWAY_PUBLIC_KEY` value: one, or two during a rotation. */
function publicKeysIn(value: string, where: string): Buffer[] {
  const blocks = pemOf(value).match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`${where}: GATEWAY_PUBLIC_KEY holds no public key`);
  return blocks.map((block) => createPublicKey(block).export({ type: 'spki', format: 'der' }));
}

const der = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });
const holds = (keys: Buffer[], pem: string) => keys.some((key) => key.equals(der(pem)));

/** The settings of the existing file `name`, if it exists. */
const settingsOf = (existing: Record<string, string>, name: string) =>
  existing[name] === undefined ? undefined : readEnvFile(existing[name], name);

/**
 * The one `WORKER_ID_KEY` of the existing province files (province.env, or a province-<code>.env
 * that sets one too), if any.
 * @throws Error when two files disagree
 */
function existingWorkerIdKey(existing: Record<string, string>): string | undefined {
  let found: { key: string; file: string } | undefined;
  for (const file of Object.keys(existing).sort()) {
    if (file !== PROVINCES_FILE && !/^province-.*\.env$/.test(file)) continue;
    const key = settingsOf(existing, file)?.WORKER_ID_KEY;
    if (key === undefined) continue;
    if (found && found.key !== key)
      throw new Error(
        `${found.file} and ${file} hold different WORKER_ID_KEY values: every province must hold the same one. ` +
          'Find the one the provinces have issued worker ids with (their running containers, the backups) and ' +
          'keep only it; nothing was written',
      );
    found ??= { key, file };
  }
  return found?.key;
}

/** The files of a province that has none yet: its Postgres (superuser and owner) and its `DATABASE_URL`. */
function newProvinceFiles(code: string): Record<string, string> {
  const owner = secret();
  return {
    [postgresFile(code)]: envFileText(
      {
        POSTGRES_USER: POSTGRES_SUPERUSER,
        POSTGRES_PASSWORD: secret(),
        POSTGRES_DB: DATABASE_NAME,
        P2P_OWNER_USER: DATABASE_OWNER,
        P2P_OWNER_PASSWORD: owner,
      },
      [
        'Read by the Postgres container when its data volume is first created, never after: these',
        'passwords are not changed by `npm run keys` (ALTER ROLE … PASSWORD, then update DATABASE_URL).',
      ],
    ),
    [provinceFile(code)]: envFileText({
      DATABASE_URL: databaseUrl(code, DATABASE_OWNER, owner, DATABASE_NAME),
    }),
  };
}

const databaseUrl = (code: string, user: string, password: string, database: string) =>
  `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${postgresHost(code)}:5432/${encodeURIComponent(database)}`;

/**
 * Plans the missing files of `provinces`, consistent with the existing ones.
 * @throws Error when a missing file would need a secret that only an existing file held
 */
async function planProvinces(existing: Record<string, string>, provinces: string[], plan: KeysPlan) {
  for (const code of provinces)
    if (findRegion(code)?.level !== 'PROVINCE')
      throw new Error(`--provinces: ${code} is not a province code`);
  const gateway = settingsOf(existing, GATEWAY_FILE);
  const shared = settingsOf(existing, PROVINCES_FILE);
  const workerIdKey = existingWorkerIdKey(existing);
  const deployed = Object.keys(existing).filter((name) => /^(province|postgres)-.*\.env$/.test(name));

  let signingKey = gateway?.GATEWAY_SIGNING_KEY;
  if (gateway && signingKey === undefined)
    throw new Error(
      `${GATEWAY_FILE} has no GATEWAY_SIGNING_KEY: restore it from the backup of this directory`,
    );
  if (!gateway) {
    if (shared?.GATEWAY_PUBLIC_KEY !== undefined)
      throw new Error(
        `${GATEWAY_FILE} is missing but ${PROVINCES_FILE} holds the public half of its signing key: restore ` +
          `${GATEWAY_FILE} from the backup of this directory. If the private key is lost, delete the ` +
          `GATEWAY_PUBLIC_KEY line of ${PROVINCES_FILE} and run again (a new pair: restart every province, then ` +
          'the gateway; the provinces refuse the gateway in between)',
      );
    const pair = await generateGatewayKeyPair();
    signingKey = pair.privateKeyPem;
    plan.write[GATEWAY_FILE] = envFileText({
      GATEWAY_SIGNING_KEY: signingKey,
      AUTH_JWT_SECRET: secret(),
      ADMIN_TOKEN: secret(),
    });
  }
  const publicKey = publicKeyOf(signingKey!, GATEWAY_FILE);
  if (
    shared?.GATEWAY_PUBLIC_KEY !== undefined &&
    !holds(publicKeysIn(shared.GATEWAY_PUBLIC_KEY, PROVINCES_FILE), publicKey)
  )
    throw new Error(
      `${PROVINCES_FILE}: GATEWAY_PUBLIC_KEY is not the public half of ${GATEWAY_FILE}'s GATEWAY_SIGNING_KEY ` +
        '(the provinces would refuse the gateway): restore the matching pair from the backup of this directory',
    );

  if (workerIdKey === undefined && deployed.length > 0)
    throw new Error(
      `no WORKER_ID_KEY in ${PROVINCES_FILE}, but ${deployed.join(', ')} exist: the worker-id key must never ` +
        `change (worker ids are HMACs under it). Restore ${PROVINCES_FILE} from the backup of this directory`,
    );
  if (!shared) {
    plan.write[PROVINCES_FILE] = envFileText({
      GATEWAY_PUBLIC_KEY: publicKey,
      WORKER_ID_KEY: workerIdKey ?? secret(),
    });
  } else if (shared.GATEWAY_PUBLIC_KEY === undefined || shared.WORKER_ID_KEY === undefined) {
    let text = existing[PROVINCES_FILE]!;
    if (shared.GATEWAY_PUBLIC_KEY === undefined) text = withEnvSetting(text, 'GATEWAY_PUBLIC_KEY', publicKey);
    if (shared.WORKER_ID_KEY === undefined)
      text = withEnvSetting(text, 'WORKER_ID_KEY', workerIdKey ?? secret());
    plan.write[PROVINCES_FILE] = text;
  }

  for (const code of provinces) {
    const postgres = settingsOf(existing, postgresFile(code));
    const province = existing[provinceFile(code)];
    if (!postgres && province !== undefined)
      throw new Error(
        `${provinceFile(code)} exists but ${postgresFile(code)} is missing: restore it from the backup of this ` +
          'directory (Postgres applies its passwords only to a new data volume; new ones would not match)',
      );
    if (!postgres) Object.assign(plan.write, newProvinceFiles(code));
    else if (province === undefined) {
      // The owner's login, or the superuser's in a file made before the owner role existed.
      const user = postgres.P2P_OWNER_USER ?? postgres.POSTGRES_USER;
      const password = postgres.P2P_OWNER_USER ? postgres.P2P_OWNER_PASSWORD : postgres.POSTGRES_PASSWORD;
      if (user === undefined || password === undefined)
        throw new Error(
          `${postgresFile(code)} has no P2P_OWNER_USER and P2P_OWNER_PASSWORD: cannot write DATABASE_URL`,
        );
      plan.write[provinceFile(code)] = envFileText({
        DATABASE_URL: databaseUrl(code, user, password, postgres.POSTGRES_DB ?? user),
      });
    }
  }
}

/** Plans a step of the gateway key rotation; returns gateway.env's new text. */
async function planGatewayKeyRotation(
  existing: Record<string, string>,
  step: GatewayKeyRotation,
  gatewayText: string,
  plan: KeysPlan,
): Promise<string> {
  const signingKey = readEnvFile(gatewayText, GATEWAY_FILE).GATEWAY_SIGNING_KEY;
  if (signingKey === undefined) throw new Error(`${GATEWAY_FILE} has no GATEWAY_SIGNING_KEY`);
  const current = publicKeyOf(signingKey, GATEWAY_FILE);
  const sharedText = existing[PROVINCES_FILE];
  const heldValue = settingsOf(existing, PROVINCES_FILE)?.GATEWAY_PUBLIC_KEY;
  if (sharedText === undefined || heldValue === undefined)
    throw new Error(`${PROVINCES_FILE} with GATEWAY_PUBLIC_KEY is missing: nothing to rotate`);
  const held = publicKeysIn(heldValue, PROVINCES_FILE);
  const nextKey = settingsOf(existing, GATEWAY_NEXT_FILE)?.GATEWAY_SIGNING_KEY;
  if (existing[GATEWAY_NEXT_FILE] !== undefined && nextKey === undefined)
    throw new Error(`${GATEWAY_NEXT_FILE} has no GATEWAY_SIGNING_KEY: run --rotate-gateway-key abort`);
  const services = Object.keys(existing)
    .filter((name) => /^province-\d+\.env$/.test(name))
    .map((name) => name.slice(0, -'.env'.length))
    .sort();
  const restartProvinces = `restart every province: docker compose up -d --force-recreate --no-deps ${services.join(' ')}`;
  const restartGateway =
    'restart every gateway replica: docker compose up -d --force-recreate --no-deps gateway';

  if (step === 'start') {
    if (nextKey !== undefined)
      throw new Error(
        `a rotation is under way (${GATEWAY_NEXT_FILE} exists): run --rotate-gateway-key switch (or abort)`,
      );
    if (held.length > 1)
      throw new Error(
        `a rotation is under way (${PROVINCES_FILE} holds two public keys): run --rotate-gateway-key finish`,
      );
    if (!holds(held, current))
      throw new Error(
        `${PROVINCES_FILE}: GATEWAY_PUBLIC_KEY is not the public half of ${GATEWAY_FILE}'s key`,
      );
    const pair = await generateGatewayKeyPair();
    plan.write[GATEWAY_NEXT_FILE] = envFileText({ GATEWAY_SIGNING_KEY: pair.privateKeyPem }, [
      'The next gateway signing key, read by no service: `npm run keys -- --rotate-gateway-key switch`',
      `moves it into ${GATEWAY_FILE} once every province accepts it (docs/release.md).`,
    ]);
    plan.write[PROVINCES_FILE] = withEnvSetting(
      sharedText,
      'GATEWAY_PUBLIC_KEY',
      `${current}\n${pair.publicKeyPem.trim()}`,
    );
    plan.next.push(
      `step 2: ${restartProvinces} (they accept the old and the new key)`,
      'then: npm run keys -- --out <dir> --rotate-gateway-key switch',
    );
    return gatewayText;
  }
  if (step === 'switch') {
    if (nextKey === undefined)
      throw new Error(
        `no rotation under way (no ${GATEWAY_NEXT_FILE}): start one with --rotate-gateway-key start`,
      );
    const next = publicKeyOf(nextKey, GATEWAY_NEXT_FILE);
    if (!holds(held, next) || !holds(held, current))
      throw new Error(
        `${PROVINCES_FILE} does not hold both the current and the next public key (the provinces would refuse ` +
          'the gateway): run --rotate-gateway-key abort, then start',
      );
    plan.remove.push(GATEWAY_NEXT_FILE);
    plan.next.push(
      `step 3 (only once every province was restarted after start): ${restartGateway}`,
      'then: npm run keys -- --out <dir> --rotate-gateway-key finish',
    );
    return withEnvSetting(gatewayText, 'GATEWAY_SIGNING_KEY', pemOf(nextKey));
  }
  if (step === 'finish') {
    if (nextKey !== undefined)
      throw new Error(
        `${GATEWAY_NEXT_FILE} exists: the gateway does not sign with the new key yet; run --rotate-gateway-key switch first`,
      );
    if (!holds(held, current))
      throw new Error(
        `${PROVINCES_FILE}: GATEWAY_PUBLIC_KEY does not hold the public half of ${GATEWAY_FILE}'s key`,
      );
    if (held.length === 1)
      throw new Error(`no rotation under way: ${PROVINCES_FILE} holds the gateway's key alone`);
    plan.write[PROVINCES_FILE] = withEnvSetting(sharedText, 'GATEWAY_PUBLIC_KEY', current);
    plan.next.push(
      `step 4 (only once every gateway replica was restarted after switch): ${restartProvinces}`,
    );
    return gatewayText;
  }
  // abort
  if (nextKey === undefined)
    throw new Error(
      `no rotation to abort (no ${GATEWAY_NEXT_FILE}); after switch the gateway signs with the new key: run finish`,
    );
  plan.remove.push(GATEWAY_NEXT_FILE);
  if (held.length > 1 || !holds(held, current))
    plan.write[PROVINCES_FILE] = withEnvSetting(sharedText, 'GATEWAY_PUBLIC_KEY', current);
  plan.next.push(`${restartProvinces} (the old key alone again)`);
  return gatewayText;
}

/**
 * What to change in a key directory whose env files are `existing` (file name → text): the
 * missing files of `request.provinces`, or the rotations asked. Pure but for fresh randomness.
 * @throws Error explaining why when the request would replace a key that must stay, or the
 * directory's files disagree (nothing is to be written then)
 */
export async function planDeploymentKeys(
  existing: Record<string, string>,
  request: KeysRequest,
): Promise<KeysPlan> {
  const plan: KeysPlan = { write: {}, remove: [], next: [] };
  const rotating = request.rotateGatewayKey || request.rotateAdminToken || request.rotateJwtSecret;
  if (!rotating) {
    await planProvinces(existing, request.provinces ?? [], plan);
    return plan;
  }
  if (request.provinces?.length) throw new Error('--provinces cannot be combined with a rotation');
  if (existing[GATEWAY_FILE] === undefined) throw new Error(`${GATEWAY_FILE} is missing: nothing to rotate`);
  let gatewayText = existing[GATEWAY_FILE];
  if (request.rotateGatewayKey)
    gatewayText = await planGatewayKeyRotation(existing, request.rotateGatewayKey, gatewayText, plan);
  for (const [asked, name] of [
    [request.rotateAdminToken, 'ADMIN_TOKEN'],
    [request.rotateJwtSecret, 'AUTH_JWT_SECRET'],
  ] as const) {
    if (!asked) continue;
    if (readEnvFile(gatewayText, GATEWAY_FILE)[name] === undefined)
      throw new Error(`${GATEWAY_FILE} has no ${name} to rotate`);
    gatewayText = withEnvSetting(gatewayText, name, secret());
  }
  if (gatewayText !== existing[GATEWAY_FILE]) {
    plan.write[GATEWAY_FILE] = gatewayText;
    if (!request.rotateGatewayKey) plan.next.push('restart every gateway replica');
  }
  return plan;
}

/**
 * The env files of a new deployment of `provinces`, file name → settings (not written).
 * @throws Error when a code is not a province
 */
export async function deploymentKeys(provinces: string[]): Promise<Record<string, Record<string, string>>> {
  const { write } = await planDeploymentKeys({}, { provinces });
  return Object.fromEntries(Object.entries(write).map(([name, text]) => [name, readEnvFile(text, name)]));
}

/** The env files of a key directory, name → text. */
export function readKeyDirectory(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.env') && statSync(join(dir, name)).isFile())
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
}

/** Writes `text` to `path` readable by its owner only: a 0600 file beside it, renamed over it. */
function writeSecretFile(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  chmodSync(path, 0o600);
}

/**
 * Plans ({@link planDeploymentKeys}) and applies the changes to the key directory `dir`: made
 * 0700, each file written 0600 (every `.env` file already there too).
 */
export async function writeDeploymentKeys(dir: string, request: KeysRequest): Promise<KeysPlan> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  // One run at a time: two runs each reading the directory, then renaming whole files over it,
  // would keep only one's rotation (or mix two key pairs in an empty directory).
  const lock = join(dir, KEYS_LOCK);
  try {
    closeSync(openSync(lock, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new Error(
        `${dir} is being changed by another npm run keys (${KEYS_LOCK}); if none is running, remove that file`,
      );
    throw err;
  }
  try {
    const plan = await planDeploymentKeys(readKeyDirectory(dir), request);
    for (const [name, text] of Object.entries(plan.write)) writeSecretFile(join(dir, name), text);
    for (const name of plan.remove) rmSync(join(dir, name), { force: true });
    for (const name of Object.keys(readKeyDirectory(dir))) chmodSync(join(dir, name), 0o600);
    return plan;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The lock file of a key directory while `npm run keys` changes it. */
export const KEYS_LOCK = '.keys.lock';

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      provinces: { type: 'string' },
      'rotate-gateway-key': { type: 'string' },
      'rotate-admin-token': { type: 'boolean', default: false },
      'rotate-jwt-secret': { type: 'boolean', default: false },
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
  if (values.force)
    throw new Error(
      '--force is gone: it replaced WORKER_ID_KEY and the database passwords too. A new deployment: an ' +
        'empty --out directory; a new key: --rotate-gateway-key, --rotate-admin-token, --rotate-jwt-secret',
    );
  const step = values['rotate-gateway-key'];
  if (step !== undefined && !(GATEWAY_KEY_ROTATIONS as readonly string[]).includes(step))
    throw new Error(`--rotate-gateway-key: ${step} is not one of ${GATEWAY_KEY_ROTATIONS.join(', ')}`);
  const rotating = step !== undefined || values['rotate-admin-token'] || values['rotate-jwt-secret'];
  const provinces = values.provinces
    ? values.provinces.split(',').map((s) => s.trim())
    : rotating
      ? []
      : DEFAULT_DEPLOY_PROVINCES;
  const dir = resolve(values.out);
  const plan = await writeDeploymentKeys(dir, {
    provinces,
    rotateGatewayKey: step as GatewayKeyRotation | undefined,
    rotateAdminToken: values['rotate-admin-token'],
    rotateJwtSecret: values['rotate-jwt-secret'],
  });
  const written = Object.keys(plan.write);
  console.log(
    written.length + plan.remove.length > 0
      ? [
          written.length > 0 ? `wrote ${written.join(', ')} in ${dir} (mode 0600)` : '',
          plan.remove.length > 0 ? `removed ${plan.remove.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ')
      : `every file exists in ${dir}: nothing written (existing keys are never replaced)`,
  );
  for (const line of plan.next) console.log(`next: ${line}`);
}

if (isMainModule(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(String((error as Error)?.message ?? error));
    process.exit(1);
  });
}
