/**
 * `@p2p/national`: the GB/T 2260 regions directory and the entry point of national totals,
 * an Apollo Federation subgraph on `node:http`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { buildNationalSchema } from './schema.js';
import { hubFormatError, inputErrorStatusPlugin } from '@p2p/schema';
import { graphqlRequestListener } from './http.js';

export { buildNationalSchema, nationalResolvers } from './schema.js';

/** Options of {@link startNational}. */
export interface NationalOptions {
  /**
   * TCP port; 0 lets the OS pick a free one (read it back from `url`).
   * @default 0
   */
  port?: number;
  /**
   * Interface to listen on.
   * @default '127.0.0.1'
   */
  host?: string;
}

/** A running national subgraph. */
export interface RunningNational {
  /** GraphQL endpoint, `http://host:port/graphql`. */
  url: string;
  httpServer: Server;
  /** Stops accepting requests, lets in-flight ones finish, and closes the server. */
  close(): Promise<void>;
}

/**
 * Apollo's own log lines as JSON on stderr, so stdout carries only the service's lines
 * (the launcher waits for the `listening` line there). Debug lines are dropped.
 */
const apolloLogger: NonNullable<ApolloServerOptions<BaseContext>['logger']> = {
  debug: () => {},
  info: (...args) => console.error(JSON.stringify({ level: 'info', msg: args.join(' '), source: 'apollo' })),
  warn: (...args) => console.error(JSON.stringify({ level: 'warn', msg: args.join(' '), source: 'apollo' })),
  error: (...args) =>
    console.error(JSON.stringify({ level: 'error', msg: args.join(' '), source: 'apollo' })),
};

/** Starts the national subgraph; resolves once it listens. */
export async function startNational(options: NationalOptions = {}): Promise<RunningNational> {
  const host = options.host ?? '127.0.0.1';
  const httpServer = createServer();
  // Keep idle connections longer than the gateway's clients do (as the provinces do): with Node's
  // default 5 s, Apollo's fetcher (which ignores the Keep-Alive hint) sometimes reuses a socket
  // the server is closing, and the fetch fails with "socket hang up".
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const apollo = new ApolloServer({
    schema: buildNationalSchema(),
    formatError: hubFormatError((err, path) =>
      console.error(
        JSON.stringify({
          level: 'error',
          msg: 'unexpected error',
          err: err instanceof Error ? err.message : String(err),
          path,
        }),
      ),
    ),
    includeStacktraceInErrorResponses: process.env.NODE_ENV === 'development',
    logger: apolloLogger,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), inputErrorStatusPlugin],
  });
  await apollo.start();
  httpServer.on('request', graphqlRequestListener(apollo));
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}/graphql`,
    httpServer,
    close: () => (closing ??= apollo.stop()),
  };
}
