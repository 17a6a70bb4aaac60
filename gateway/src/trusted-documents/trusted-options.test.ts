import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@p2p/runtime';
import { describe, expect, it } from 'vitest';
import { documentId, MANIFEST_FORMAT } from './manifest.js';
import { loadTrustedDocuments } from './trusted-options.js';

const BODY = 'query Regions { regions { code } }';
const manifest = {
  format: MANIFEST_FORMAT,
  version: 1 as const,
  operations: [{ id: documentId(BODY), name: 'Regions', type: 'query' as const, body: BODY }],
};

describe('the trusted-documents settings (#18.6)', () => {
  it('should default to apq in development mode and to safelist otherwise', () => {
    expect(loadTrustedDocuments({ builtManifest: false }, true, silentLogger).mode).toBe('apq');
    expect(loadTrustedDocuments({ builtManifest: false }, false, silentLogger).mode).toBe('safelist');
    expect(loadTrustedDocuments({ mode: 'off', builtManifest: false }, false, silentLogger).mode).toBe('off');
  });

  it('should register extra manifests from files, accept a missing built manifest and refuse a bad extra one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trusted-options-'));
    writeFileSync(join(dir, 'province.json'), JSON.stringify(manifest));
    const trusted = loadTrustedDocuments(
      { manifests: [join(dir, 'province.json')], builtManifest: join(dir, 'missing.json') },
      false,
      silentLogger,
    );
    expect(trusted.size).toBe(1);
    expect(trusted.lookup(`sha256:${documentId(BODY).toUpperCase()}`)).toBe(BODY);
    writeFileSync(join(dir, 'broken.json'), '{"format":');
    expect(() =>
      loadTrustedDocuments({ manifests: [join(dir, 'broken.json')] }, false, silentLogger),
    ).toThrow(/broken\.json: the trusted-documents manifest is not valid JSON/);
    expect(() =>
      loadTrustedDocuments({ manifests: [join(dir, 'absent.json')] }, false, silentLogger),
    ).toThrow(/absent\.json: cannot read the trusted-documents manifest/);
  });
});
