import type { ProvinceRegistry } from '../shard/province-registry.js';

/** `up` when a province answers and keeps the contract; `down` otherwise (down, incompatible or not checked yet). */
export type PublicState = 'up' | 'down';

/** The public `/health` document: the gateway's status and each province's up/down, nothing internal. */
export function publicHealth(registry: ProvinceRegistry) {
  const provinces = registry.snapshot();
  const degraded = provinces.some((p) => p.status === 'down' || p.status === 'incompatible');
  return {
    status: degraded ? 'degraded' : 'ok',
    provinces: provinces.map((p) => ({
      code: p.code,
      state: (p.status === 'up' ? 'up' : 'down') satisfies PublicState,
    })),
  };
}

/**
 * The admin `/health/details` document: each province's base URL, state, last check, latency and
 * contract problems, and the subgraphs served plainly. Served only with the admin credential.
 */
export function healthDetails(registry: ProvinceRegistry, plainSubgraphs: string[] = []) {
  const provinces = registry.snapshot();
  const degraded = provinces.some((p) => p.status === 'down' || p.status === 'incompatible');
  return {
    status: degraded ? 'degraded' : 'ok',
    time: new Date().toISOString(),
    provinces: provinces.map((p) => ({
      code: p.code,
      url: p.baseUrl,
      state: p.status,
      checkedAt: p.checkedAt,
      latencyMs: p.latencyMs,
      problems: p.problems,
    })),
    subgraphs: plainSubgraphs,
  };
}
