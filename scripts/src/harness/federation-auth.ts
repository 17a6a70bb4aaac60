/**
 * Development tokens for a federation started by the harness: signed with the secret its
 * gateway was given (`AUTH_JWT_SECRET`), so tests, the seeder and the dev launcher act as
 * real roles (a province officer, a city, an enterprise, the ministry, a worker).
 */
import { DEV_JWT_SECRET, signDevToken } from '@p2p/gateway';
import type { PersonRole } from '@p2p/schema';

/** Token helpers bound to one federation's secret. */
export interface FederationTokens {
  /** The HS256 secret the gateway verifies development tokens with. */
  secret: string;
  /**
   * A token for `role` in `region` (not for the ministry nor a worker), speaking for `id`: the
   * enterprise's id (role `enterprise`) or the worker's own id (role `worker`, whose region is the
   * province his id encodes: `tokenFor('worker', undefined, workerId)`).
   * @throws when the gateway would not accept these claims (e.g. a city token with a province code).
   */
  tokenFor(role: PersonRole, region?: string, id?: string): Promise<string>;
  /** `{ authorization: 'Bearer <tokenFor(…)>' }`. */
  authorization(role: PersonRole, region?: string, id?: string): Promise<Record<string, string>>;
}

/** Token helpers for `secret` (@default process.env.AUTH_JWT_SECRET || DEV_JWT_SECRET); tokens are cached per claims. */
export function federationTokens(
  secret: string = process.env.AUTH_JWT_SECRET || DEV_JWT_SECRET,
): FederationTokens {
  const cache = new Map<string, Promise<string>>();
  const tokenFor = (role: PersonRole, region?: string, id?: string) => {
    const key = `${role}:${region ?? ''}:${id ?? ''}`;
    let token = cache.get(key);
    if (!token) {
      const speaksFor = id ? { [role === 'worker' ? 'workerId' : 'enterpriseId']: id } : {};
      token = signDevToken(
        { role, ...(region ? { region } : {}), ...speaksFor },
        { secret, expiresIn: '12h' },
      );
      cache.set(key, token);
      token.catch(() => cache.delete(key));
    }
    return token;
  };
  return {
    secret,
    tokenFor,
    authorization: async (role, region, id) => ({
      authorization: `Bearer ${await tokenFor(role, region, id)}`,
    }),
  };
}
