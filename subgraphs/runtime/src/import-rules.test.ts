import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The packages each part of the tree may import from the workspace (ARCHITECTURE.md, "What may import what"). */
const ALLOWED: Record<string, readonly string[]> = {
  'schema/src': [],
  'subgraphs/runtime/src': ['@p2p/schema'],
  'gateway/src': ['@p2p/schema', '@p2p/runtime'],
  'subgraphs/national/src': ['@p2p/schema', '@p2p/runtime'],
  'subgraphs/province/src': ['@p2p/schema', '@p2p/runtime'],
};

/** Every .ts file under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The module specifiers a file imports or re-exports. */
const importsOf = (text: string) =>
  [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1]!);

describe('what may import what (#12.1)', () => {
  it('should keep schema/ a pure contract: no Apollo Server in it', () => {
    const apollo = sources(join(ROOT, 'schema/src')).filter((file) =>
      importsOf(readFileSync(file, 'utf8')).some((spec) => spec.startsWith('@apollo/server')),
    );
    expect(apollo.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('should let the runtime import only the contract, and the services only the contract and the runtime', () => {
    const violations: string[] = [];
    for (const [dir, allowed] of Object.entries(ALLOWED)) {
      for (const file of sources(join(ROOT, dir))) {
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          const workspace = /^@p2p\/[^/]+/.exec(spec)?.[0];
          if (workspace && !allowed.includes(workspace)) violations.push(`${relative(ROOT, file)} → ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
