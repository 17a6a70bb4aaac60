/**
 * Credentials of the benchmark's clients. The gateway has no authentication yet; once it requires
 * a token, the clients send one made by the project's own token helper, and the gateways get the
 * settings they need. Until then a token can be given by hand with `BENCH_TOKEN`.
 */

/** What the benchmark needs to be let in. */
export interface BenchAuth {
  /** Extra env of the hub gateway (keys, limits). */
  gatewayEnv: Record<string, string>;
  /** Extra env of the plain baseline gateway. */
  plainGatewayEnv: Record<string, string>;
  /** Headers of every client request (e.g. `authorization`). */
  clientHeaders: Record<string, string>;
  /** How the clients authenticate, for the report. */
  description: string;
}

/** The credentials of this run. */
export async function benchAuthHeaders(env: NodeJS.ProcessEnv = process.env): Promise<BenchAuth> {
  const token = env.BENCH_TOKEN;
  return {
    gatewayEnv: {},
    plainGatewayEnv: {},
    clientHeaders: token ? { authorization: `Bearer ${token}` } : {},
    description: token ? 'bearer token from BENCH_TOKEN' : 'none (the gateway has no authentication yet)',
  };
}
