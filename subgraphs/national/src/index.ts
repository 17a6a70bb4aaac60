/**
 * `@p2p/national`: the GB/T 2260 regions directory and the entry point of national totals,
 * an Apollo Federation subgraph on `node:http`.
 */
import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  closeOnce,
  createLogger,
  hubFormatError,
  inputErrorStatusPlugin,
  listen,
  operationSpanPlugin,
  safeError,
  type Logger,
} from '@p2p/runtime';
import { buildNationalSchema } from './schema.js';
import { nationalRequestListener } from './http.js';

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
  /** @default a JSON-lines logger on stdout at LOG_LEVEL (info), `{ component: 'national' }` */
  logger?: Logger;
}

/** A running national subgraph. */
export interface RunningNational {
  /** GraphQL endpoint, `http://host:port/graphql`. */
  url: string;
  httpServer: Server;
  /** Stops accepting requests, lets in-flight ones finish, and closes the server. */
  close(): Promise<void>;
}

/** Starts the national subgraph; resolves once it listens. */
export async function startNational(options: NationalOptions = {}): Promise<RunningNational> {
  const logger = options.logger ?? createLogger({ base: { component: 'national' } });
  const httpServer = createServer();
  // Keep idle connections longer than the gateway's clients do (as the provinces do): with Node's
  // default 5 s, Apollo's fetcher (which ignores the Keep-Alive hint) sometimes reuses a socket
  // the server is closing, and the fetch fails with "socket hang up".
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const apollo = new ApolloServer({
    schema: buildNationalSchema(),
    formatError: hubFormatError((err, path) =>
      logger.error({ err: safeError(err), path: path?.join('.') }, 'unexpected error'),
    ),
    includeStacktraceInErrorResponses: false,
    logger: logger.child({ source: 'apollo' }),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), inputErrorStatusPlugin, operationSpanPlugin],
  });
  await apollo.start();
  httpServer.on('request', nationalRequestListener(apollo, { logger }));
  const url = await listen(httpServer, { port: options.port ?? 0, host: options.host, path: '/graphql' });
  return { url, httpServer, close: closeOnce(() => apollo.stop()) };
}
