import type { GatewayRelay } from '../relay/gateway-relay.js';
import type { ProvinceRegistry } from '../shard/province-registry.js';

/** `up` when a province answers and keeps the contract; `down` otherwise (down, incompatible or not checked yet). */
export type PublicState = 'up' | 'down';

/** True when a province is down or incompatible, or the relay cannot read a source. */
function isDegraded(registry: ProvinceRegistry, relay?: GatewayRelay): boolean {
  return (
    registry.snapshot().some((p) => p.status === 'down' || p.status === 'incompatible') ||
    !!relay?.publicHealth().some((s) => s.state === 'down')
  );
}

/**
 * The public `/health` document: the gateway's status, each province's up/down and, when the relay
 * runs, whether it reads each source province (up/down); nothing internal.
 */
export function publicHealth(registry: ProvinceRegistry, relay?: GatewayRelay) {
  const provinces = registry.snapshot();
  return {
    status: isDegraded(registry, relay) ? 'degraded' : 'ok',
    provinces: provinces.map((p) => ({
      code: p.code,
      state: (p.status === 'up' ? 'up' : 'down') satisfies PublicState,
    })),
    ...(relay ? { relay: relay.publicHealth() } : {}),
  };
}

/**
 * The admin `/health/details` document: each province's base URL, state, last check, latency,
 * contract problems, the contract version(s) it declares and what of the contract it lacks (a
 * province on the previous minor during a rolling upgrade), with `CONFORMANCE_REPORT_DIR` its last
 * conformance kit report's verdict (file, run, counts, failed check ids and messages; never the
 * exchanges), the subgraphs served plainly and, when it runs, the relay (per source: state,
 * backlog, lag; per pair: epoch, position, head, backlog, lag, alarms). Served only with the admin
 * credential.
 */
export function healthDetails(
  registry: ProvinceRegistry,
  plainSubgraphs: string[] = [],
  relay?: GatewayRelay,
) {
  const provinces = registry.snapshot();
  return {
    status: isDegraded(registry, relay) ? 'degraded' : 'ok',
    time: new Date().toISOString(),
    provinces: provinces.map((p) => ({
      code: p.code,
      url: p.baseUrl,
      state: p.status,
      checkedAt: p.checkedAt,
      latencyMs: p.latencyMs,
      problems: p.problems,
      contract: p.contract,
      lacking: p.lacking,
      ...(p.conformance ? { conformance: p.conformance } : {}),
    })),
    subgraphs: plainSubgraphs,
    ...(relay ? { relay: relay.details() } : {}),
  };
}
