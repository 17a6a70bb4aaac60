/**
 * The baseline of the sharding-overhead measurement, run as its own process like the hub gateway:
 * a plain `@apollo/gateway` (`ApolloGateway` + `RemoteGraphQLDataSource`, Apollo's defaults) inside
 * `@apollo/server`'s standalone server, over the contract's supergraph, with every logical province
 * subgraph pointing at ONE province service and `national` at the national service.
 *
 *   PLAIN_PROVINCE_URL=http://127.0.0.1:4145 PLAIN_NATIONAL_URL=http://127.0.0.1:4001/graphql [PORT=0] [HOST=127.0.0.1]
 *   node --conditions=source --import tsx scripts/src/bench/plain-gateway.ts
 *
 * Prints `{"msg":"listening","url":…}` once listening (what the harness's `startService` waits for).
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { PROVINCE_SUBGRAPHS, supergraphSdl } from '@p2p/schema';

/** The env of the plain gateway. */
export interface PlainGatewayEnv {
  /** Base URL of the one province service (its subgraphs at `${url}/<subgraph>/graphql`). */
  PLAIN_PROVINCE_URL: string;
  /** GraphQL endpoint of the national subgraph. */
  PLAIN_NATIONAL_URL: string;
}

/** The URL each subgraph of the supergraph is sent to. */
export function plainSubgraphUrls(provinceUrl: string, nationalUrl: string): Record<string, string> {
  const base = provinceUrl.replace(/\/+$/, '');
  return { ...Object.fromEntries(PROVINCE_SUBGRAPHS.map((name) => [name, `${base}/${name}/graphql`])), national: nationalUrl };
}

async function main(): Promise<void> {
  const provinceUrl = process.env.PLAIN_PROVINCE_URL;
  const nationalUrl = process.env.PLAIN_NATIONAL_URL;
  if (!provinceUrl || !nationalUrl) throw new Error('PLAIN_PROVINCE_URL and PLAIN_NATIONAL_URL are required');
  const urls = plainSubgraphUrls(provinceUrl, nationalUrl);
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphSdl(),
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: urls[name] ?? url }),
  });
  const server = new ApolloServer({ gateway, stopOnTerminationSignals: false, includeStacktraceInErrorResponses: false });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT ?? 0), host: process.env.HOST || '127.0.0.1' },
  });
  const stop = () => {
    server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'listening', url: new URL('/graphql', url).toString() })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'plain gateway failed to start', error: String((err as Error)?.message ?? err) })}\n`);
  process.exit(1);
});
