import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/service-process.js';
import { settingsReadBySources } from './settings-inventory.js';

const guide = readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8');
/** Settings named in the guide: backquoted UPPER_SNAKE names, or single words the tables list. */
const listed = new Set([...guide.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)(?:=[^`]*)?`/g)].map((m) => m[1]));

describe('the operations guide', () => {
  const read = settingsReadBySources(REPO_ROOT);

  it('should find the settings the services read (the inventory works)', () => {
    const names = read.map((s) => s.name);
    for (const known of ['PROVINCE', 'GATEWAY_PUBLIC_KEY', 'LIMIT_COST', 'OUTBOX_RETENTION_DAYS', 'RELAY'])
      expect(names).toContain(known);
    expect(names).not.toContain('BAD_USER_INPUT');
  });

  it('should list every setting a service reads', () => {
    const missing = read.filter((s) => !listed.has(s.name)).map((s) => `${s.name} (${s.files.join(', ')})`);
    expect(missing, 'settings read by the sources but not in docs/operations.md').toEqual([]);
  });

  it('should list no setting that nothing reads', () => {
    const names = new Set(read.map((s) => s.name));
    const settingsSection = guide.slice(guide.indexOf('## Settings'), guide.indexOf('## Keys'));
    const rows = [...settingsSection.matchAll(/^\| ((?:`[A-Z][A-Z0-9_]*(?:=[^`]*)?`(?:, )?)+)/gm)].flatMap(
      (m) => [...(m[1] as string).matchAll(/`([A-Z][A-Z0-9_]*)/g)].map((n) => n[1] as string),
    );
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.filter((name) => !names.has(name))).toEqual([]);
  });
});
