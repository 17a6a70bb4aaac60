/**
 * Credentials of a benchmark run, from the harness's federation (its fresh token secret and
 * gateway key pair): the ministry's token for reads (it reads every list and statistic) and each
 * province's officer token for the writes in that province. The plain baseline gateway gets the
 * federation's signing key, so it presents the same caller (the ministry) to the province with a
 * signed caller assertion; it verifies no client token, which the hub gateway does.
 */
import { CALLER_HEADER, importGatewaySigningKey, signCallerAssertion, type Caller } from '@p2p/schema';
import type { RunningFederation } from '../harness/index.js';
import { RECEIVING_CITIES } from './geography.js';

/**
 * The gateway settings the benchmark changes from the defaults: the per-caller rate limit is off
 * (the benchmark measures the hub, not the limiter: a handful of callers send thousands of
 * operations per second); every other limit stays as deployed.
 */
export const BENCH_GATEWAY_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  RATE_LIMIT_PER_SECOND: '0',
});

/** What the benchmark's clients need to be let in. */
export interface BenchAuth {
  /** Extra env of the plain baseline gateway (the signing key the provinces trust). */
  plainGatewayEnv: Record<string, string>;
  /** Headers of a request sent as `who`: a province code (its officer) or undefined (the ministry). */
  headersFor(who?: string): Record<string, string>;
  /**
   * Headers that let a client call `province` directly with `body`, as the gateway would for its
   * officer: a caller assertion for that province and that body (#11.11).
   */
  assertionHeaders(province: string, body: string): Record<string, string>;
  /** How the clients authenticate, for the report. */
  description: string;
}

/** The tokens and keys of `federation` for a benchmark over `provinces`. */
export async function createBenchAuth(
  federation: RunningFederation,
  provinces: readonly string[],
): Promise<BenchAuth> {
  const ministry = await federation.authorization('ministry');
  const officers = new Map<string, Record<string, string>>();
  // The receiving cities' provinces too: their officers confirm the arrival of the relay scenario's trips.
  const receiving = RECEIVING_CITIES.map((city) => `${city.slice(0, 2)}0000`);
  for (const province of new Set([...provinces, ...receiving]))
    officers.set(province, await federation.authorization('province', province));
  const signingKey = await importGatewaySigningKey(federation.gatewayKeys.privateKeyPem);
  return {
    plainGatewayEnv: { PLAIN_SIGNING_KEY: federation.gatewayKeys.privateKeyPem },
    headersFor(who) {
      if (who === undefined) return ministry;
      const headers = officers.get(who);
      if (!headers) throw new Error(`no officer token for province ${who}`);
      return headers;
    },
    assertionHeaders(province, body) {
      const caller: Caller = { role: 'province', region: province, subject: `bench:province:${province}` };
      return { [CALLER_HEADER]: signCallerAssertion(caller, signingKey, { province, body }) };
    },
    description: `HS256 development tokens of the harness (ministry for reads, each province's officer for its writes); gateway ${Object.entries(
      BENCH_GATEWAY_SETTINGS,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}, every other limit as deployed`,
  };
}
