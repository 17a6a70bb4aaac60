/**
 * The settings the services read from their environment, found in their sources: what
 * `docs/operations.md` must list (its test checks every one is there, and that the guide lists no
 * setting nothing reads). Read from the TypeScript sources of every workspace but tests, test
 * fixtures and the benchmarks:
 * - direct reads: `env.<NAME>`, `env[<NAME>]`, `process.env.<NAME>`, `integerFromEnv(<NAME>` and
 *   `…Setting(env.<NAME>`;
 * - names in settings tables: quoted `UPPER_SNAKE` strings in files whose concern is settings
 *   (`*-options.ts`, `*-settings.ts`, `config.ts`, `main.ts`), error codes and signals excepted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Where a setting was found. */
export interface SettingUse {
  name: string;
  /** Repository-relative paths of the files reading it. */
  files: string[];
}

const SOURCE_ROOTS = ['gateway/src', 'subgraphs', 'schema/src', 'scripts/src'];
const SKIP_DIR = /(^|\/)(node_modules|dist|testing|fixtures|bench|e2e|harness)(\/|$)/;
const SKIP_FILE = /\.(test|int\.test|e2e\.test)\.ts$/;
const SETTINGS_FILE = /(-options|-settings|config|main)\.ts$/;
const DIRECT = [
  /\benv\.([A-Z][A-Z0-9_]+)\b/g,
  /\benv\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\]/g,
  /FromEnv\(\s*['"]([A-Z][A-Z0-9_]+)['"]/g,
];
const TABLE_NAME = /['"]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"]/g;
const NOT_SETTINGS =
  /^(SIG[A-Z]+|[A-Z]+_(INPUT|FOUND|PROVINCE|CONFLICT|EXPIRED|UNAVAILABLE|INCOMPATIBLE|COMPLEX|LIMITED|ERROR))$/;

function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIR.test(path)) out.push(...sourceFiles(root, path));
    } else if (path.endsWith('.ts') && !SKIP_FILE.test(path) && !path.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/**
 * Every setting read by the sources under `roots` (repository-relative directories; by default
 * every workspace's), by name.
 */
export function settingsReadBySources(
  repoRoot: string,
  roots: readonly string[] = SOURCE_ROOTS,
): SettingUse[] {
  const found = new Map<string, Set<string>>();
  const note = (name: string, file: string) => {
    if (NOT_SETTINGS.test(name)) return;
    if (!found.has(name)) found.set(name, new Set());
    found.get(name)?.add(file);
  };
  for (const root of roots) {
    for (const file of sourceFiles(repoRoot, root)) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      const path = relative(repoRoot, join(repoRoot, file));
      for (const pattern of DIRECT) for (const m of text.matchAll(pattern)) note(m[1] as string, path);
      if (SETTINGS_FILE.test(file)) for (const m of text.matchAll(TABLE_NAME)) note(m[1] as string, path);
    }
  }
  return [...found]
    .map(([name, files]) => ({ name, files: [...files].sort() }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}
