import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/service-process.js';
import { settingsReadBySources } from './settings-inventory.js';

const guide = readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8');
/**
 * The settings the guide's tables list: the backquoted names in the first cell of each row of its
 * "Settings" section (a name mentioned elsewhere in the guide does not count).
 */
const settingsSection = guide.slice(guide.indexOf('## Settings'), guide.indexOf('## Keys'));
const rows = [...settingsSection.matchAll(/^\| ((?:`[A-Z][A-Z0-9_]*(?:=[^`]*)?`(?:, )?)+)/gm)].flatMap((m) =>
  [...(m[1] as string).matchAll(/`([A-Z][A-Z0-9_]*)/g)].map((n) => n[1] as string),
);
const listed = new Set(rows);

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
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.filter((name) => !names.has(name))).toEqual([]);
  });
});
