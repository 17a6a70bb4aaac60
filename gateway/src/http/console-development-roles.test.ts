import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONSOLE_ROLES, developmentConsoleRoles } from './console-development-roles.js';

describe("the console's development roles", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const rolesFile = (roles: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'p2p-roles-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'roles.json'), JSON.stringify(roles));
    return join(dir, 'roles.json');
  };

  it("should offer the demo's roles, each with a token carrying its claims, without a file", async () => {
    const roles = await developmentConsoleRoles('a-secret', undefined);
    expect(roles.map((r) => r.label)).toEqual(DEFAULT_CONSOLE_ROLES.map((r) => r.label));
    expect(decodeJwt(roles[1]!.token)).toMatchObject({ role: 'province', region: '450000' });
  });

  it('should leave out a role whose claims the gateway would refuse, and offer the others', async () => {
    const file = rolesFile([
      { label: 'Guangxi', role: 'province', region: '450000' },
      { label: 'Not a province', role: 'province', region: '450200' },
    ]);
    const roles = await developmentConsoleRoles('a-secret', file);
    expect(roles.map((r) => r.label)).toEqual(['Guangxi']);
  });
});
