/**
 * The baseline of the sharding-overhead measurement, run as its own process like the hub gateway:
 * a plain `@apollo/gateway` (`ApolloGateway` + `RemoteGraphQLDataSource`, Apollo's defaults) inside
 * `@apollo/server`'s standalone server, over the contract's supergraph, with every logical province
 * subgraph pointing at ONE province service and `national` at the national service.
 * A province serves only requests signed by the gateway, so every fetch carries the ministry's
 * caller assertion signed with `PLAIN_SIGNING_KEY` for that fetch (as the hub gateway signs); the plain gateway
 * verifies no client token and applies no query limits.
 *
 *   PLAIN_PROVINCE_URL=http://127.0.0.1:4145 PLAIN_NATIONAL_URL=http://127.0.0.1:4001/graphql PLAIN_SIGNING_KEY="-----BEGIN PRIVATE KEY-----…"
 *   [PORT=0] [HOST=127.0.0.1] node --conditions=source --import tsx scripts/src/bench/plain-gateway.ts
 *
 * Prints `{"msg":"listening","url":…}` once listening (what the harness's `startService` waits for).
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import {
  CALLER_HEADER,
  PROVINCE_SUBGRAPHS,
  importGatewaySigningKey,
  signCallerAssertion,
  supergraphSdl,
} from '@p2p/schema';

/** The env of the plain gateway. */
export interface PlainGatewayEnv {
  /** Base URL of the one province service (its subgraphs at `${url}/<subgraph>/graphql`). */
  PLAIN_PROVINCE_URL: string;
  /** GraphQL endpoint of the national subgraph. */
  PLAIN_NATIONAL_URL: string;
  /** The gateway's ES256 signing key (PKCS8 PEM) the provinces trust. */
  PLAIN_SIGNING_KEY: string;
}

/**
 * Signs the ministry's caller assertion for one fetch, as the hub gateway does: for the one
 * province (its code read from its `/health`) and the exact body of the fetch (#11.11).
 */
async function ministryAssertion(
  signingKeyPem: string,
  provinceUrl: string,
): Promise<(body: string) => string> {
  const key = await importGatewaySigningKey(signingKeyPem);
  const health = (await (await fetch(new URL('/health', provinceUrl))).json()) as { province?: string };
  const province = health.province;
  if (!province) throw new Error(`${provinceUrl}/health does not name its province`);
  return (body) =>
    signCallerAssertion({ role: 'ministry', subject: 'bench:ministry' }, key, { province, body });
}

/** The URL each subgraph of the supergraph is sent to. */
export function plainSubgraphUrls(provinceUrl: string, nationalUrl: string): Record<string, string> {
  const base = provinceUrl.replace(/\/+$/, '');
  return {
    ...Object.fromEntries(PROVINCE_SUBGRAPHS.map((name) => [name, `${base}/${name}/graphql`])),
    national: nationalUrl,
  };
}

async function main(): Promise<void> {
  const provinceUrl = process.env.PLAIN_PROVINCE_URL;
  const nationalUrl = process.env.PLAIN_NATIONAL_URL;
  const signingKey = process.env.PLAIN_SIGNING_KEY;
  if (!provinceUrl || !nationalUrl || !signingKey)
    throw new Error('PLAIN_PROVINCE_URL, PLAIN_NATIONAL_URL and PLAIN_SIGNING_KEY are required');
  const urls = plainSubgraphUrls(provinceUrl, nationalUrl);
  const assertion = await ministryAssertion(signingKey, provinceUrl);
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphSdl(),
    buildService: ({ name, url }) => {
      const source = new RemoteGraphQLDataSource({ url: urls[name] ?? url });
      if (name === 'national') return source;
      // Apollo's own fetcher, each fetch signed over the body it sends.
      const fetcher = source.fetcher;
      source.fetcher = (target, init) =>
        fetcher(target, {
          ...init,
          headers: { ...init?.headers, [CALLER_HEADER]: assertion(String(init?.body ?? '')) },
        });
      return source;
    },
  });
  const server = new ApolloServer({
    gateway,
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT ?? 0), host: process.env.HOST || '127.0.0.1' },
  });
  const stop = () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(
    `${JSON.stringify({ level: 'info', msg: 'listening', url: new URL('/graphql', url).toString() })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', msg: 'plain gateway failed to start', error: String((err as Error)?.message ?? err) })}\n`,
  );
  process.exit(1);
});
