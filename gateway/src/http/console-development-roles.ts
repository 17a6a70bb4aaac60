/**
 * The development sign-in's roles (development mode only, where the development JWT secret is
 * public anyway): the demo's roles, or those listed in `CONSOLE_DEV_ROLES_FILE` (the dev launcher
 * writes it once the demo is seeded, with the seeded enterprise's id), each with a development
 * token signed on the spot.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { PersonRole } from '@p2p/schema';
import { signDevToken } from '../auth/dev-token.js';
import type { ConsoleDevelopmentRole } from './console-site.js';

/** A role the development sign-in offers, before its token is signed. */
export interface ConsoleDevelopmentRoleSpec {
  label: string;
  role: PersonRole;
  region?: string;
  enterpriseId?: string;
}

/** The demo's roles when no file lists them (the seeded enterprise needs the file: its id comes from seeding). */
export const DEFAULT_CONSOLE_ROLES: readonly ConsoleDevelopmentRoleSpec[] = [
  { label: '国家部委 Ministry', role: 'ministry' },
  { label: '广西壮族自治区 Guangxi province 450000', role: 'province', region: '450000' },
  { label: '柳州市 Liuzhou city 450200', role: 'city', region: '450200' },
  { label: '北京市朝阳区 Beijing Chaoyang 110105', role: 'city', region: '110105' },
];

/**
 * The roles of `file` (a JSON array of specs) when it exists, else {@link DEFAULT_CONSOLE_ROLES},
 * with tokens. A role whose claims the gateway would refuse (an enterprise id of another province
 * than its region…) is left out: the others stay offered.
 */
export async function developmentConsoleRoles(
  secret: string | undefined,
  file?: string,
): Promise<ConsoleDevelopmentRole[]> {
  const specs =
    file && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as ConsoleDevelopmentRoleSpec[])
      : DEFAULT_CONSOLE_ROLES;
  const signed = await Promise.allSettled(
    specs.map(async (spec) => ({
      ...spec,
      token: await signDevToken(
        { role: spec.role, region: spec.region, enterpriseId: spec.enterpriseId },
        { ...(secret ? { secret } : {}), expiresIn: '12h' },
      ),
    })),
  );
  return signed.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}
