import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConsole, type ConsoleSiteOptions } from './console-site.js';
import type { TrustedDocumentsMode } from '../trusted-documents/trusted-documents.js';

type SiteOptions = ConsoleSiteOptions & { development: boolean; trustedDocuments: TrustedDocumentsMode };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Sends the path as written (no client-side normalisation of `..`), like a hostile client. */
function get(server: Server, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const code = (answer: Answer) =>
  (JSON.parse(answer.body.toString()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions
    .code;

describe('the console site', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2p-console-site-'));
  const appDir = join(dir, 'app');
  const servers: Server[] = [];
  const site = async (options: Partial<SiteOptions>) => {
    const settings: SiteOptions = { appDir, development: false, trustedDocuments: 'safelist', ...options };
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      void serveConsole(path, req, res, settings).then((served) => {
        if (!served) res.writeHead(418).end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  };
  const roles = async () => [{ label: 'Ministry', role: 'ministry', token: 'header.payload.signature' }];

  beforeAll(() => {
    mkdirSync(join(appDir, 'assets'), { recursive: true });
    writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(appDir, 'silent-renew.html'), '<!doctype html><title>renew</title>');
    writeFileSync(join(appDir, 'assets', 'index-abc.js'), 'console.log("the console");'.repeat(100));
    writeFileSync(
      join(appDir, 'assets', 'index-abc.js.br'),
      brotliCompressSync('console.log("the console");'.repeat(100)),
    );
    writeFileSync(join(dir, 'secret.txt'), 'not for the web');
    symlinkSync(join(dir, 'secret.txt'), join(appDir, 'link.txt'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('config.json', () => {
    it('should offer development roles only in development mode, never cached', async () => {
      const production = await get(await site({ developmentRoles: roles }), '/console/config.json');
      expect(JSON.parse(production.body.toString())).toEqual({
        signIn: 'none',
        trustedDocuments: 'safelist',
      });
      expect(production.body.toString()).not.toContain('header.payload');
      const development = await get(
        await site({ development: true, developmentRoles: roles }),
        '/console/config.json',
      );
      expect(JSON.parse(development.body.toString())).toMatchObject({
        signIn: 'development',
        roles: await roles(),
      });
      expect(development.headers['cache-control']).toBe('no-store');
    });

    it('should give the identity provider when OIDC is set, and no roles even in development mode', async () => {
      const server = await site({
        development: true,
        developmentRoles: roles,
        oidc: { issuer: 'https://id.example.gov.cn/realms/hub', clientId: 'console' },
      });
      const answer = await get(server, '/console/config.json');
      expect(JSON.parse(answer.body.toString())).toEqual({
        signIn: 'oidc',
        issuer: 'https://id.example.gov.cn/realms/hub',
        clientId: 'console',
        scope: 'openid',
        trustedDocuments: 'safelist',
      });
      expect(answer.headers['content-security-policy']).toContain(
        "connect-src 'self' https://id.example.gov.cn",
      );
    });
  });

  describe('files', () => {
    it('should answer a console route with its page, framed by nobody, asked for again each time', async () => {
      const answer = await get(await site({}), '/console/nation');
      expect([answer.status, answer.body.toString()]).toEqual([200, '<!doctype html><title>console</title>']);
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['content-security-policy']).toContain("connect-src 'self';");
      expect(answer.headers['cache-control']).toBe('no-cache');
    });

    it('should let only the silent-renew page be framed, by the console itself', async () => {
      const answer = await get(await site({}), '/console/silent-renew.html');
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    });

    it('should send the brotli copy to a browser that accepts it, and the file to one that does not', async () => {
      const server = await site({});
      const br = await get(server, '/console/assets/index-abc.js', {
        'accept-encoding': 'gzip, deflate, br',
      });
      expect([br.headers['content-encoding'], br.headers.vary, br.headers['cache-control']]).toEqual([
        'br',
        'accept-encoding',
        'public, max-age=31536000, immutable',
      ]);
      const plain = await get(server, '/console/assets/index-abc.js', { 'accept-encoding': 'identity' });
      expect([plain.headers['content-encoding'], plain.body.length]).toEqual([undefined, 2700]);
      const refused = await get(server, '/console/assets/index-abc.js', { 'accept-encoding': 'br;q=0' });
      expect(refused.headers['content-encoding']).toBeUndefined();
    });

    it.each([
      '/console/../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/..%2fsecret.txt',
      '/console/..%5csecret.txt',
      '/console/link.txt',
      '/console/index.html%00.txt',
      '/console/%E0%A4%A',
      '/console/assets/',
      '/console/assets/missing.js',
    ])('should answer %s with 404 NOT_FOUND, never a file outside the build', async (path) => {
      const answer = await get(await site({}), path);
      expect([answer.status, code(answer)]).toEqual([404, 'NOT_FOUND']);
      expect(answer.body.toString()).not.toContain('not for the web');
    });

    it('should say how to build the console when it is not built', async () => {
      const answer = await get(await site({ appDir: join(dir, 'nothing') }), '/console/');
      expect([answer.status, code(answer)]).toEqual([404, 'NOT_FOUND']);
      expect(answer.body.toString()).toContain('npm run build');
    });
  });
});
