/**
 * The build step itself (#18.6): `build-main.ts` run as `npm run build` runs it writes the
 * manifest, and fails with exit 1 and a line naming the file and the operation when a client's
 * document does not validate against the supergraph.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { documentId, type PersistedQueryManifest } from './manifest.js';

const MAIN = fileURLToPath(new URL('./build-main.ts', import.meta.url));

/** Runs the build step on a client directory holding `files`; its exit code, output and manifest path. */
function runBuild(files: Record<string, string>): Promise<{ code: number; output: string; out: string }> {
  const base = mkdtempSync(join(tmpdir(), 'trusted-build-'));
  mkdirSync(join(base, 'app'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(base, 'app', name), text);
  writeFileSync(join(base, 'clients.json'), JSON.stringify({ clients: [{ name: 'app', documents: 'app' }] }));
  const out = join(base, 'dist', 'manifest.json');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', MAIN, '--config', join(base, 'clients.json'), '--out', out],
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr, out }),
    );
  });
}

describe('the trusted-documents build step (#18.6)', () => {
  it('should write the manifest of valid documents, and fail the build naming a document that does not validate', {
    timeout: 60_000,
  }, async () => {
    const [good, bad] = await Promise.all([
      runBuild({ 'ok.graphql': 'query Regions { regions { code name } }' }),
      runBuild({
        'ok.graphql': 'query Regions { regions { code name } }',
        'bad.graphql': 'mutation Oops { deleteEverything }',
      }),
    ]);
    expect(good.code, good.output).toBe(0);
    const manifest = JSON.parse(readFileSync(good.out, 'utf8')) as PersistedQueryManifest;
    expect(manifest.operations).toEqual([
      {
        id: documentId(manifest.operations[0]!.body),
        name: 'Regions',
        type: 'query',
        body: expect.any(String),
      },
    ]);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(
      /trusted documents: the build failed: client "app": operation "Oops" does not validate against the supergraph: Cannot query field "deleteEverything" on type "Mutation"/,
    );
  });
});
