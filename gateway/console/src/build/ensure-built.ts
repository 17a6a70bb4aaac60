/**
 * Builds the console when its `dist/app` is missing or older than its sources: `npm start` and
 * the browser tests run from sources on a fresh clone, where nobody ran `npm run build`. Two
 * processes asking at once (two test files) build it once: the first takes a lock directory, the
 * other waits for it to go.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONSOLE_APP_DIR, CONSOLE_PACKAGE_DIR } from './console-paths.js';

/**
 * What the bundle is made of, relative to the console's package: its app and operations, the
 * registry import core it bundles from @p2p/schema, and the contract its codegen reads.
 */
const SOURCES = [
  'src/app',
  'src/operations',
  'src/build/precompress.ts',
  'vite.config.ts',
  '../../schema/src/registry-import',
  '../../schema/sdl',
];
const LOCK_DIR = join(CONSOLE_PACKAGE_DIR, 'dist', '.building');
/** A lock older than this is a crashed build's: taken over. */
const STALE_LOCK_MS = 180_000;

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'generated') continue;
    newest = Math.max(newest, newestSource(join(path, entry)));
  }
  return newest;
}

/** True when `dist/app/index.html` exists and is newer than every source of the app. */
export function consoleBuildIsFresh(): boolean {
  const index = join(CONSOLE_APP_DIR, 'index.html');
  if (!existsSync(index)) return false;
  // A release has no sources beside its dist: what is built is what runs.
  if (!existsSync(join(CONSOLE_PACKAGE_DIR, 'src', 'app'))) return true;
  const sources = SOURCES.map((s) => join(CONSOLE_PACKAGE_DIR, s)).filter((p) => existsSync(p));
  return statSync(index).mtimeMs >= Math.max(...sources.map(newestSource));
}

/** Options of {@link ensureConsoleBuilt}. */
export interface EnsureConsoleOptions {
  /** Told when a build starts (the dev launcher prints it). */
  log?: (line: string) => void;
}

/** Builds the console (codegen, then `vite build`) unless its build is fresh. */
export async function ensureConsoleBuilt(options: EnsureConsoleOptions = {}): Promise<void> {
  for (;;) {
    if (consoleBuildIsFresh()) return;
    mkdirSync(join(CONSOLE_PACKAGE_DIR, 'dist'), { recursive: true });
    try {
      mkdirSync(LOCK_DIR);
    } catch {
      const takenAt = statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - takenAt > STALE_LOCK_MS) rmSync(LOCK_DIR, { recursive: true, force: true });
      else await sleep(500);
      continue;
    }
    try {
      options.log?.('building the console (codegen, vite build)…');
      const { generateConsoleTypes } = await import('./codegen.js');
      await generateConsoleTypes();
      const { build } = await import('vite');
      // vite's build sets NODE_ENV=production in this process, which the services this process
      // starts next would inherit (and refuse development mode): put it back as it was.
      const nodeEnv = process.env.NODE_ENV;
      try {
        await build({ configFile: join(CONSOLE_PACKAGE_DIR, 'vite.config.ts'), logLevel: 'warn' });
      } finally {
        if (nodeEnv === undefined) delete process.env.NODE_ENV;
        else process.env.NODE_ENV = nodeEnv;
      }
      return;
    } finally {
      rmSync(LOCK_DIR, { recursive: true, force: true });
    }
  }
}
