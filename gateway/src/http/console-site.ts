/**
 * The console at `/console/`: the files of `@p2p/console`'s build (no CDN: every asset comes from
 * the project's own packages), any path without a file extension answered with its `index.html`
 * (the console routes in the browser), and `/console/config.json`, which tells the console how
 * people sign in here and whether operations must go by their registered id.
 */
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { noSuchFile, sendError, sendJson } from '@p2p/runtime';
import type { TrustedDocumentsMode } from '../trusted-documents/trusted-documents.js';

/** A role of the development sign-in: a development token the gateway signed for it. */
export interface ConsoleDevelopmentRole {
  label: string;
  role: string;
  region?: string;
  enterpriseId?: string;
  token: string;
}

/** The identity provider the console signs people in with (authorization code + PKCE). */
export interface ConsoleOidcSettings {
  /** The issuer whose tokens the gateway verifies (`AUTH_ISSUER`, keys from `AUTH_JWKS_URL`). */
  issuer: string;
  /** The console's client id at the provider (`CONSOLE_OIDC_CLIENT_ID`). */
  clientId: string;
  /** @default 'openid' */
  scope?: string;
  /** Resource indicator for the access token, when the provider needs one (`CONSOLE_OIDC_RESOURCE`). */
  resource?: string;
}

/** Options of the console site (`GatewayOptions.console`). */
export interface ConsoleSiteOptions {
  /**
   * The built console (`dist/app` of `@p2p/console`). @default that directory when the package is
   * installed beside the gateway; none: `/console/` answers 503 saying how to build it
   */
  appDir?: string;
  /** Production sign-in. */
  oidc?: ConsoleOidcSettings;
  /** Development sign-in (development mode only): the roles the picker offers. */
  developmentRoles?: () => Promise<ConsoleDevelopmentRole[]>;
  /**
   * Development mode: a JSON file listing the picker's roles (`CONSOLE_DEV_ROLES_FILE`), re-read at
   * every request. @default the demo's roles (http/console-development-roles.ts)
   */
  developmentRolesFile?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * The built console: that of the installed `@p2p/console`, else the one beside the gateway's own
 * build (`gateway/console/dist/app`, where a release of the gateway carries it), if any.
 */
export function installedConsoleDir(): string | undefined {
  try {
    const packageJson = createRequire(import.meta.url).resolve('@p2p/console/package.json');
    return join(dirname(packageJson), 'dist', 'app');
  } catch {
    // This file runs as gateway/dist/http/console-site.js (or from gateway/src/http in development).
    const beside = fileURLToPath(new URL('../../console/dist/app', import.meta.url));
    return existsSync(beside) ? beside : undefined;
  }
}

/** The page that answers the identity provider's silent renewals: the console frames it (hidden). */
const SILENT_RENEW_PAGE = 'silent-renew.html';

/**
 * Security headers of every console response: only the gateway's own origin, and the identity
 * provider (its discovery, token and keys are fetched; silent renewals run in a hidden frame that
 * goes there and comes back to {@link SILENT_RENEW_PAGE}, the one page the console may frame).
 */
function securityHeaders(oidc: ConsoleOidcSettings | undefined, framed = false): Record<string, string> {
  const provider = oidc ? ` ${new URL(oidc.issuer).origin}` : '';
  return {
    'content-security-policy': [
      "default-src 'self'",
      // 'self' covers the gateway's own ws:/wss: (CSP3): no socket to any other host.
      `connect-src 'self'${provider}`,
      "form-action 'self'",
      `frame-src 'self'${provider}`,
      "img-src 'self' data: blob:",
      // ECharts sets style attributes on the elements it draws.
      "style-src 'self' 'unsafe-inline'",
      "object-src 'none'",
      "base-uri 'none'",
      framed ? "frame-ancestors 'self'" : "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/**
 * The copy of `file` to send: its precompressed `.br` or `.gz` sibling (written by the console's
 * build, build/precompress.ts) when the browser accepts that encoding, else the file itself.
 */
export function encodedCopy(
  file: string,
  acceptEncoding: string,
): { path: string; encoding?: 'br' | 'gzip' } {
  const accepted = new Set(
    acceptEncoding
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, quality]) => !/^\s*q=0(?:\.0*)?\s*$/.test(quality ?? ''))
      .map(([name]) => name!.trim().toLowerCase()),
  );
  if (accepted.has('br') && existsSync(`${file}.br`)) return { path: `${file}.br`, encoding: 'br' };
  if (accepted.has('gzip') && existsSync(`${file}.gz`)) return { path: `${file}.gz`, encoding: 'gzip' };
  return { path: file };
}

/**
 * True when `relative` names a regular file inside the built console, links resolved: nothing
 * outside `appDir` is ever served, whatever `..`, encoding or symbolic link the path carries.
 */
function consoleFile(appDir: string, relative: string): boolean {
  if (relative.includes('\0')) return false;
  const file = normalize(join(appDir, relative));
  if (!existsSync(file)) return false;
  const root = realpathSync(appDir);
  const real = realpathSync(file);
  return real.startsWith(root.endsWith(sep) ? root : root + sep) && statSync(real).isFile();
}

/** Serves the console: true when `path` is the console's (under `/console`). */
export async function serveConsole(
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  options: ConsoleSiteOptions & { development: boolean; trustedDocuments: TrustedDocumentsMode },
): Promise<boolean> {
  if (path !== '/console' && !path.startsWith('/console/')) return false;
  const headers = securityHeaders(options.oidc);
  if (path === '/console/config.json') {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('cache-control', 'no-store');
    sendJson(res, 200, await consoleConfig(options));
    return true;
  }
  const appDir = options.appDir ?? installedConsoleDir();
  if (!appDir || !existsSync(join(appDir, 'index.html'))) {
    sendError(
      res,
      noSuchFile(
        path,
        'the console is not built here: run `npm run build` (or `npm start`, which builds it)',
      ),
    );
    return true;
  }
  const relative = path === '/console' ? '' : path.slice('/console/'.length);
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    sendError(res, noSuchFile(path, 'not a console file (malformed escape)'));
    return true;
  }
  const isFile = consoleFile(appDir, decoded);
  const file = join(appDir, decoded);
  // A path naming a file (an extension, or anything under assets/) that is not there is a 404;
  // any other path is one of the console's routes, answered with its page.
  if (!isFile && (extname(relative) || relative.startsWith('assets/'))) {
    sendError(res, noSuchFile(path, 'not a console file'));
    return true;
  }
  const served = isFile ? file : join(appDir, 'index.html');
  const copy = encodedCopy(served, String(req.headers['accept-encoding'] ?? ''));
  res.writeHead(200, {
    ...(relative === SILENT_RENEW_PAGE ? securityHeaders(options.oidc, true) : headers),
    'content-type': TYPES[extname(served)] ?? 'application/octet-stream',
    // Hashed bundles never change; the page itself is always asked for again.
    'cache-control': relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
    ...(copy.encoding ? { 'content-encoding': copy.encoding } : {}),
  });
  createReadStream(copy.path).pipe(res);
  return true;
}

async function consoleConfig(
  options: ConsoleSiteOptions & { development: boolean; trustedDocuments: TrustedDocumentsMode },
) {
  const trustedDocuments = options.trustedDocuments;
  if (options.oidc)
    return {
      signIn: 'oidc',
      issuer: options.oidc.issuer,
      clientId: options.oidc.clientId,
      scope: options.oidc.scope ?? 'openid',
      ...(options.oidc.resource ? { resource: options.oidc.resource } : {}),
      trustedDocuments,
    };
  if (options.development && options.developmentRoles)
    return { signIn: 'development', roles: await options.developmentRoles(), trustedDocuments };
  return { signIn: 'none', trustedDocuments };
}
