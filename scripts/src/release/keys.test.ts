/**
 * `npm run keys` (docs/release.md "The keys"): a new deployment's files, adding a province to an
 * existing one, the gateway key rotation (a province verifies both keys in the middle of it), and
 * the secrets that never change. The logic runs over file texts in memory; the last block writes
 * a temporary directory.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  importGatewayPublicKeys,
  importGatewaySigningKey,
  signCallerAssertion,
  verifyCallerAssertion,
} from '@p2p/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/service-process.js';
import { envLine, withEnvSetting } from './env-file.js';
import {
  deploymentKeys,
  type KeysPlan,
  type KeysRequest,
  planDeploymentKeys,
  readEnvFile,
  readKeyDirectory,
  writeDeploymentKeys,
  KEYS_LOCK,
} from './keys.js';

type Files = Record<string, string>;

/** `files` after `plan`. */
function applied(files: Files, plan: KeysPlan): Files {
  const next = { ...files, ...plan.write };
  for (const name of plan.remove) delete next[name];
  return next;
}

/** Plans `request` over `files` and returns the files after it. */
const run = async (files: Files, request: KeysRequest) =>
  applied(files, await planDeploymentKeys(files, request));

const settings = (files: Files, name: string) => readEnvFile(files[name]!, name);
const publicHalf = (pem: string) =>
  createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'pem' }).toString().trim();

/** The secrets that must never change once a deployment exists. */
function permanent(files: Files) {
  return {
    workerIdKey: settings(files, 'province.env').WORKER_ID_KEY,
    databases: Object.fromEntries(
      Object.keys(files)
        .filter((name) => /^(postgres|province)-\d+\.env$/.test(name))
        .map((name) => [name, files[name]]),
    ),
  };
}

const caller = { subject: 'ministry-ops', role: 'ministry' as const };
const binding = { province: '450000', body: '{"query":"{ __typename }"}' };

/** An assertion signed with the gateway key of `file` (gateway.env or gateway-next.env). */
async function assertionOf(files: Files, file: string): Promise<string> {
  const key = await importGatewaySigningKey(settings(files, file).GATEWAY_SIGNING_KEY!);
  return signCallerAssertion(caller, key, binding);
}

/** What a province started from these files does with `token`. */
async function provinceVerifies(files: Files, token: string): Promise<boolean> {
  const keys = await importGatewayPublicKeys(settings(files, 'province.env').GATEWAY_PUBLIC_KEY!);
  return verifyCallerAssertion(token, keys, binding).then(
    () => true,
    () => false,
  );
}

describe('npm run keys: a new deployment', () => {
  it('should give the provinces the public half of the gateway key and each its database owner', async () => {
    const files = await deploymentKeys(['130000', '450000']);
    expect(Object.keys(files).sort()).toEqual([
      'gateway.env',
      'postgres-130000.env',
      'postgres-450000.env',
      'province-130000.env',
      'province-450000.env',
      'province.env',
    ]);
    expect(publicHalf(files['gateway.env']!.GATEWAY_SIGNING_KEY!)).toBe(
      files['province.env']!.GATEWAY_PUBLIC_KEY!.trim(),
    );
    const url = new URL(files['province-130000.env']!.DATABASE_URL!);
    const server = files['postgres-130000.env']!;
    expect(url.host).toBe('postgres-130000:5432');
    expect([url.username, url.password, url.pathname]).toEqual([
      server.P2P_OWNER_USER,
      server.P2P_OWNER_PASSWORD,
      `/${server.POSTGRES_DB}`,
    ]);
    expect(server.POSTGRES_USER).not.toBe(server.P2P_OWNER_USER);
    expect(server.POSTGRES_PASSWORD).not.toBe(server.P2P_OWNER_PASSWORD);
    expect(files['postgres-450000.env']!.P2P_OWNER_PASSWORD).not.toBe(server.P2P_OWNER_PASSWORD);
  });

  it('should make fresh secrets for every new deployment', async () => {
    const [a, b] = [await deploymentKeys(['450000']), await deploymentKeys(['450000'])];
    expect(a['province.env']!.WORKER_ID_KEY).not.toBe(b['province.env']!.WORKER_ID_KEY);
    expect(a['gateway.env']!.ADMIN_TOKEN!.length).toBeGreaterThanOrEqual(16);
  });

  it('should refuse a code that is not a province', async () => {
    await expect(deploymentKeys(['450200'])).rejects.toThrow('450200 is not a province code');
  });
});

describe('the env files', () => {
  it('should write a PEM on one line that reads back unchanged', async () => {
    const pem = (await deploymentKeys(['450000']))['gateway.env']!.GATEWAY_SIGNING_KEY!;
    const line = envLine('GATEWAY_SIGNING_KEY', pem);
    expect(line).not.toContain('\n');
    expect(readEnvFile(line, 'f')).toEqual({ GATEWAY_SIGNING_KEY: pem });
    expect(readEnvFile(envLine('X', 'a"b\\c'), 'f')).toEqual({ X: 'a"b\\c' });
  });

  it('should read a file edited by hand, and replace one line keeping the others', () => {
    const text = '# note\n\nA=plain # comment\nB=\'single \\n\'\nC="x"\n';
    expect(readEnvFile(text, 'f')).toEqual({ A: 'plain', B: 'single \\n', C: 'x' });
    expect(withEnvSetting(text, 'C', 'y')).toBe('# note\n\nA=plain # comment\nB=\'single \\n\'\nC="y"\n');
    expect(withEnvSetting(text, 'D', 'z')).toBe(`${text}D="z"\n`);
  });

  it('should refuse a line it cannot read or a name set twice, never quoting the value', () => {
    expect(() => readEnvFile('A="unterminated secret', 'gateway.env')).toThrow(
      /^gateway\.env, line 1: not a NAME="value" line$/,
    );
    expect(() => readEnvFile('A=1\nA=2', 'province.env')).toThrow('province.env: A is set twice');
  });
});

describe('npm run keys on an existing deployment', () => {
  let files: Files;
  beforeEach(async () => {
    files = await run({}, { provinces: ['130000', '450000'] });
  });

  it('should write nothing when every file exists', async () => {
    expect(await planDeploymentKeys(files, { provinces: ['130000', '450000'] })).toEqual({
      write: {},
      remove: [],
      next: [],
    });
  });

  it("should add a province with the gateway's public key and the existing worker-id key", async () => {
    const plan = await planDeploymentKeys(files, { provinces: ['130000', '450000', '410000'] });
    expect(Object.keys(plan.write).sort()).toEqual(['postgres-410000.env', 'province-410000.env']);
    const after = applied(files, plan);
    // The new province reads province.env (unchanged) and its own file, as compose.yaml says.
    expect(permanent(after).workerIdKey).toBe(permanent(files).workerIdKey);
    expect(await provinceVerifies(after, await assertionOf(after, 'gateway.env'))).toBe(true);
    expect(new URL(settings(after, 'province-410000.env').DATABASE_URL!).password).toBe(
      settings(after, 'postgres-410000.env').P2P_OWNER_PASSWORD,
    );
  });

  it("should make a missing province.env from gateway.env's key when no province exists yet", async () => {
    const onlyGateway = { 'gateway.env': files['gateway.env']! };
    const after = await run(onlyGateway, { provinces: ['450000'] });
    expect(after['gateway.env']).toBe(files['gateway.env']);
    expect(await provinceVerifies(after, await assertionOf(after, 'gateway.env'))).toBe(true);
  });

  it('should take the worker-id key from any province file, and refuse when two disagree', async () => {
    const shared = settings(files, 'province.env');
    const moved = {
      ...files,
      'province.env': envLine('GATEWAY_PUBLIC_KEY', shared.GATEWAY_PUBLIC_KEY!),
      'province-130000.env': withEnvSetting(
        files['province-130000.env']!,
        'WORKER_ID_KEY',
        shared.WORKER_ID_KEY!,
      ),
    };
    const plan = await planDeploymentKeys(moved, { provinces: ['130000', '450000'] });
    expect(readEnvFile(plan.write['province.env']!, 'province.env').WORKER_ID_KEY).toBe(shared.WORKER_ID_KEY);
    const { 'province.env': _, ...noShared } = moved;
    const remade = await planDeploymentKeys(noShared, { provinces: ['130000', '450000'] });
    expect(readEnvFile(remade.write['province.env']!, 'province.env')).toEqual(shared);
    const disagreeing = {
      ...files,
      'province-450000.env': withEnvSetting(files['province-450000.env']!, 'WORKER_ID_KEY', 'another-key'),
    };
    await expect(planDeploymentKeys(disagreeing, { provinces: ['130000'] })).rejects.toThrow(
      /province-450000\.env and province\.env hold different WORKER_ID_KEY values/,
    );
  });

  it('should refuse to make a new worker-id key or database password for a deployment that has them', async () => {
    const { 'province.env': _, ...noShared } = files;
    await expect(planDeploymentKeys(noShared, { provinces: ['450000'] })).rejects.toThrow(
      /no WORKER_ID_KEY in province\.env, but .*province-450000\.env.* exist: the worker-id key must never change/,
    );
    const { 'postgres-450000.env': __, ...noServer } = files;
    await expect(planDeploymentKeys(noServer, { provinces: ['450000'] })).rejects.toThrow(
      /province-450000\.env exists but postgres-450000\.env is missing: restore it/,
    );
    // The other way round, DATABASE_URL comes back from the server's file, passwords unchanged.
    const { 'province-450000.env': url, ...noUrl } = files;
    expect((await planDeploymentKeys(noUrl, { provinces: ['450000'] })).write).toEqual({
      'province-450000.env': url,
    });
  });

  it("should refuse a lost gateway key while provinces hold its public half, and replace it once they don't", async () => {
    const { 'gateway.env': _, ...noGateway } = files;
    await expect(planDeploymentKeys(noGateway, { provinces: ['450000'] })).rejects.toThrow(
      /gateway\.env is missing but province\.env holds the public half of its signing key/,
    );
    const shared = settings(files, 'province.env');
    const withoutKey = { ...noGateway, 'province.env': envLine('WORKER_ID_KEY', shared.WORKER_ID_KEY!) };
    const after = await run(withoutKey, { provinces: ['450000'] });
    expect(permanent(after)).toEqual(permanent(files));
    expect(await provinceVerifies(after, await assertionOf(after, 'gateway.env'))).toBe(true);
  });

  it("should refuse a province.env whose public key is not gateway.env's", async () => {
    const other = await deploymentKeys(['450000']);
    const mismatched = {
      ...files,
      'gateway.env': envLine('GATEWAY_SIGNING_KEY', other['gateway.env']!.GATEWAY_SIGNING_KEY!),
    };
    await expect(planDeploymentKeys(mismatched, { provinces: ['450000'] })).rejects.toThrow(
      /GATEWAY_PUBLIC_KEY is not the public half of gateway\.env's GATEWAY_SIGNING_KEY/,
    );
  });
});

describe('npm run keys -- --rotate-gateway-key', () => {
  let files: Files;
  beforeEach(async () => {
    files = await run({}, { provinces: ['130000', '450000'] });
    // A gateway.env edited by hand: its other lines survive the rotation.
    files['gateway.env'] = `# ministry ops\n${files['gateway.env']}AUTH_ISSUER=https://idp.example\n`;
  });

  it('should rotate in the four steps, a province accepting both keys in the middle', async () => {
    const before = permanent(files);
    const gatewayBefore = settings(files, 'gateway.env');
    const oldToken = await assertionOf(files, 'gateway.env');

    // 1. A new pair: the private key aside, the provinces' file with the old and the new public key.
    const started = await run(files, { rotateGatewayKey: 'start' });
    expect(started['gateway.env']).toBe(files['gateway.env']);
    const newToken = await assertionOf(started, 'gateway-next.env');
    expect(await provinceVerifies(files, newToken)).toBe(false);
    // 2. A province restarted on it verifies both.
    expect(await provinceVerifies(started, oldToken)).toBe(true);
    expect(await provinceVerifies(started, newToken)).toBe(true);
    await expect(
      importGatewayPublicKeys(settings(started, 'province.env').GATEWAY_PUBLIC_KEY!),
    ).resolves.toHaveLength(2);

    // 3. The gateway gets the new private key; the other settings and lines stay.
    const switched = await run(started, { rotateGatewayKey: 'switch' });
    expect(switched['gateway-next.env']).toBeUndefined();
    expect(settings(switched, 'gateway.env')).toEqual({
      ...gatewayBefore,
      GATEWAY_SIGNING_KEY: settings(started, 'gateway-next.env').GATEWAY_SIGNING_KEY,
    });
    expect(switched['gateway.env']).toMatch(/^# ministry ops\n[\s\S]*AUTH_ISSUER=https:\/\/idp\.example\n$/);
    expect(switched['province.env']).toBe(started['province.env']);
    expect(await provinceVerifies(switched, await assertionOf(switched, 'gateway.env'))).toBe(true);

    // 4. The provinces get the new public key alone: the old key is refused from then.
    const finished = await run(switched, { rotateGatewayKey: 'finish' });
    expect(await provinceVerifies(finished, await assertionOf(finished, 'gateway.env'))).toBe(true);
    expect(await provinceVerifies(finished, oldToken)).toBe(false);
    await expect(
      importGatewayPublicKeys(settings(finished, 'province.env').GATEWAY_PUBLIC_KEY!),
    ).resolves.toHaveLength(1);

    for (const state of [started, switched, finished]) expect(permanent(state)).toEqual(before);
    // A second rotation starts from the finished state.
    expect(await planDeploymentKeys(finished, { rotateGatewayKey: 'start' })).toMatchObject({
      write: { 'gateway-next.env': expect.any(String) },
    });
  });

  it('should refuse the steps out of order', async () => {
    await expect(planDeploymentKeys(files, { rotateGatewayKey: 'switch' })).rejects.toThrow(
      /no rotation under way \(no gateway-next\.env\)/,
    );
    await expect(planDeploymentKeys(files, { rotateGatewayKey: 'finish' })).rejects.toThrow(
      /no rotation under way/,
    );
    const started = await run(files, { rotateGatewayKey: 'start' });
    await expect(planDeploymentKeys(started, { rotateGatewayKey: 'start' })).rejects.toThrow(
      /a rotation is under way/,
    );
    // finish before switch would leave the gateway signing with a key no province accepts.
    await expect(planDeploymentKeys(started, { rotateGatewayKey: 'finish' })).rejects.toThrow(
      /run --rotate-gateway-key switch first/,
    );
    const switched = await run(started, { rotateGatewayKey: 'switch' });
    await expect(planDeploymentKeys(switched, { rotateGatewayKey: 'abort' })).rejects.toThrow(
      /no rotation to abort/,
    );
    await expect(planDeploymentKeys(switched, { rotateGatewayKey: 'start' })).rejects.toThrow(
      /province\.env holds two public keys/,
    );
    await expect(
      planDeploymentKeys(files, { rotateGatewayKey: 'start', provinces: ['410000'] }),
    ).rejects.toThrow('--provinces cannot be combined with a rotation');
    // A province.env edited so the next key is missing: switching would lock the gateway out.
    const lost = { ...started, 'province.env': files['province.env']! };
    await expect(planDeploymentKeys(lost, { rotateGatewayKey: 'switch' })).rejects.toThrow(
      /does not hold both the current and the next public key/,
    );
  });

  it('should abort before the switch, back to the old key alone', async () => {
    const started = await run(files, { rotateGatewayKey: 'start' });
    const aborted = await run(started, { rotateGatewayKey: 'abort' });
    expect(aborted).toEqual(files);
  });

  it('should rotate the admin token and the JWT secret alone', async () => {
    const before = settings(files, 'gateway.env');
    const after = settings(
      await run(files, { rotateAdminToken: true, rotateJwtSecret: true }),
      'gateway.env',
    );
    expect(after.GATEWAY_SIGNING_KEY).toBe(before.GATEWAY_SIGNING_KEY);
    expect(after.ADMIN_TOKEN).not.toBe(before.ADMIN_TOKEN);
    expect(after.AUTH_JWT_SECRET).not.toBe(before.AUTH_JWT_SECRET);
    const onlyAdmin = settings(await run(files, { rotateAdminToken: true }), 'gateway.env');
    expect(onlyAdmin.AUTH_JWT_SECRET).toBe(before.AUTH_JWT_SECRET);
    // A gateway on its identity provider's JWKS has no secret: none is added.
    const jwks = { ...files, 'gateway.env': files['gateway.env']!.replace(/^AUTH_JWT_SECRET=.*\n/m, '') };
    await expect(planDeploymentKeys(jwks, { rotateJwtSecret: true })).rejects.toThrow(
      'gateway.env has no AUTH_JWT_SECRET to rotate',
    );
  });
});

describe('the key directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'p2p-keys-')), 'keys');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  const mode = (path: string) => statSync(path).mode & 0o777;

  it('should change the directory one run at a time, and leave it unlocked after a run, even a refused one', async () => {
    await writeDeploymentKeys(dir, { provinces: ['450000'] });
    const before = readKeyDirectory(dir);
    writeFileSync(join(dir, KEYS_LOCK), '');
    await expect(writeDeploymentKeys(dir, { rotateAdminToken: true })).rejects.toThrow(
      /being changed by another npm run keys \(\.keys\.lock\)/,
    );
    expect(readKeyDirectory(dir)).toEqual(before);
    rmSync(join(dir, KEYS_LOCK));
    await expect(writeDeploymentKeys(dir, { rotateGatewayKey: 'switch' })).rejects.toThrow();
    expect(existsSync(join(dir, KEYS_LOCK))).toBe(false);
    await writeDeploymentKeys(dir, { rotateAdminToken: true });
    expect(readKeyDirectory(dir)['gateway.env']).not.toBe(before['gateway.env']);
  });

  it('should keep the files 0600 in a 0700 directory, after every write, and never change the permanent keys', async () => {
    await writeDeploymentKeys(dir, { provinces: ['450000'] });
    expect(mode(dir)).toBe(0o700);
    const first = readKeyDirectory(dir);
    for (const name of Object.keys(first)) expect(mode(join(dir, name)), name).toBe(0o600);

    // Loosened by hand (a copy, an editor): every run makes them 0600 again, overwritten or not.
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'gateway.env'), 0o644);
    chmodSync(join(dir, 'province-450000.env'), 0o644);
    await writeDeploymentKeys(dir, { rotateAdminToken: true });
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'gateway.env'))).toBe(0o600);
    expect(mode(join(dir, 'province-450000.env'))).toBe(0o600);

    for (const step of ['start', 'switch', 'finish'] as const) {
      chmodSync(join(dir, 'province.env'), 0o644);
      await writeDeploymentKeys(dir, { rotateGatewayKey: step });
      expect(mode(join(dir, 'province.env')), step).toBe(0o600);
    }
    expect(existsSync(join(dir, 'gateway-next.env'))).toBe(false);
    await writeDeploymentKeys(dir, { provinces: ['450000', '410000'] });
    const last = readKeyDirectory(dir);
    expect(permanent(last).workerIdKey).toBe(permanent(first).workerIdKey);
    expect(last['postgres-450000.env']).toBe(first['postgres-450000.env']);
    expect(last['province-450000.env']).toBe(first['province-450000.env']);
    expect(last['gateway.env']).not.toBe(first['gateway.env']);
    for (const name of Object.keys(last)) expect(mode(join(dir, name)), name).toBe(0o600);
  });

  it('should write nothing when it refuses', async () => {
    await writeDeploymentKeys(dir, { provinces: ['450000'] });
    rmSync(join(dir, 'postgres-450000.env'));
    writeFileSync(join(dir, 'marker'), '');
    const before = readKeyDirectory(dir);
    await expect(writeDeploymentKeys(dir, { provinces: ['450000', '410000'] })).rejects.toThrow(/restore it/);
    expect(readKeyDirectory(dir)).toEqual(before);
  });

  it('should keep the keys out of git and out of the images', () => {
    expect(readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8')).toMatch(/^deploy\/keys\/?$/m);
    expect(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')).toMatch(/^deploy\/keys$/m);
    expect(existsSync(join(REPO_ROOT, 'deploy/keys/gateway.env'))).toBe(false);
  });
});
