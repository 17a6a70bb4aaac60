import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateGatewayKeyPair } from '@p2p/schema';
import { describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET } from './auth/auth-options.js';
import { startGateway } from './index.js';

/** The environment of the tests without the development switch. */
function productionEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...extra };
  for (const name of ['P2P_DEV', 'AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'GATEWAY_SIGNING_KEY', 'NODE_ENV'])
    delete env[name];
  Object.assign(env, extra);
  return env;
}

/** Runs gateway/src/main.ts and resolves with its exit code and everything it printed. */
function runMain(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<{ code: number | null; output: string }> {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    if (output.includes('"listening"')) child.kill('SIGTERM');
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('secure defaults of the gateway (#11.12)', () => {
  it('should refuse to start without real keys outside development mode, naming the missing setting', async () => {
    await expect(startGateway({ port: 0, development: false })).rejects.toThrow(
      /AUTH_JWKS_URL or AUTH_JWT_SECRET must be set.*P2P_DEV=1/,
    );
    await expect(
      startGateway({ port: 0, development: false, auth: { jwtSecret: 'a-real-secret-of-the-deployment' } }),
    ).rejects.toThrow(/GATEWAY_SIGNING_KEY must be set/);
    // The public development secret given explicitly is no real key either.
    const { privateKeyPem } = await generateGatewayKeyPair();
    await expect(
      startGateway({
        port: 0,
        development: false,
        auth: { jwtSecret: DEV_JWT_SECRET, signingKeyPem: privateKeyPem },
      }),
    ).rejects.toThrow(/AUTH_JWKS_URL or AUTH_JWT_SECRET must be set/);
  });

  it('should exit non-zero when main.ts starts without keys and without P2P_DEV, even without NODE_ENV', {
    timeout: 60_000,
  }, async () => {
    const { code, output } = await runMain(productionEnv());
    expect(code).toBe(1);
    expect(output).toMatch(/AUTH_JWKS_URL or AUTH_JWT_SECRET must be set/);
    expect(output).not.toContain('"listening"');
  });

  it('should start with --dev (development mode) and with real keys without it', {
    timeout: 60_000,
  }, async () => {
    const dev = await runMain(productionEnv(), ['--dev']);
    expect(dev.output).toContain('"listening"');
    expect(dev.code).toBe(0);
    const { privateKeyPem } = await generateGatewayKeyPair();
    const real = await runMain(
      productionEnv({
        AUTH_JWT_SECRET: 'a-real-secret-of-the-deployment',
        GATEWAY_SIGNING_KEY: privateKeyPem,
      }),
    );
    expect(real.output).toContain('"listening"');
    expect(real.code).toBe(0);
  });
});
