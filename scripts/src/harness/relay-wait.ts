/**
 * Waiting for the relay to catch up: polls the gateway's `/relay/backlog` (an admin path, a fresh
 * measure asked of the provinces) until every relay event committed in any province has been
 * applied by its target province. For e2e tests and benchmarks: "after the relay catches up".
 */
import type { RelayBacklog } from '@p2p/gateway';

/** Options of {@link waitForRelay}. */
export interface WaitForRelayOptions {
  /** Give up after this long. @default 30_000 */
  timeoutMs?: number;
  /** Pause between measures. @default 100 */
  intervalMs?: number;
}

/**
 * Resolves with the measure once the relay has caught up (`caughtUp`); a gateway that does not
 * answer yet (restarting) is asked again.
 * @param gatewayUrl the gateway's `/graphql` URL (or its base URL)
 * @param adminToken the gateway's `ADMIN_TOKEN`
 * @throws Error with the last measure after `timeoutMs`
 */
export async function waitForRelay(
  gatewayUrl: string,
  adminToken: string,
  options: WaitForRelayOptions = {},
): Promise<RelayBacklog> {
  const url = `${gatewayUrl.replace(/\/graphql\/?$/, '').replace(/\/+$/, '')}/relay/backlog`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } });
      last = res.ok ? await res.json() : `HTTP ${res.status}`;
      if (res.ok && (last as RelayBacklog).caughtUp) return last as RelayBacklog;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `the relay did not catch up within ${options.timeoutMs ?? 30_000} ms: ${JSON.stringify(last)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
