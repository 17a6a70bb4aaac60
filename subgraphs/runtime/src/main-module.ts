import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * True when the module of `moduleUrl` (its `import.meta.url`) is the program being run, also
 * through the `bin` link npm makes to it: a command-line tool's file can then be imported (by its
 * tests) without running.
 */
export function isMainModule(moduleUrl: string, argv: readonly string[] = process.argv): boolean {
  try {
    return realpathSync(argv[1] ?? '') === fileURLToPath(moduleUrl);
  } catch {
    return false;
  }
}
