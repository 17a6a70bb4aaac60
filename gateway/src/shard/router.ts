import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { hubError } from '@p2p/schema';
import { IntOverflowError } from './merge-answers.js';
import { OperationAnalyzer } from './operation-analysis.js';
import { fetchEntities } from './entities.js';
import { fetchRootFields } from './root-fields.js';
import type { ShardContext } from './shard-context.js';
import type { ShardedSubgraph } from './sharded-subgraph.js';
import type { ProvinceRegistry } from './province-registry.js';
import type { ProvinceClient } from './province-client.js';
import type { ProvinceBreaker } from './province-breaker.js';
import { silentLogger, type Logger } from '@p2p/runtime';
import { callerOfContext } from '../auth/gateway-context.js';

/** Options of {@link ShardRouter}. */
export interface ShardRouterOptions {
  subgraph: ShardedSubgraph;
  registry: ProvinceRegistry;
  client: ProvinceClient;
  /** Skips provinces known to be down; @default none (every connected province is tried) */
  breaker?: ProvinceBreaker;
  /** Operations whose analysis is cached. @default 1000 */
  cacheSize?: number;
  /** @default silentLogger */
  logger?: Logger;
}

/**
 * The data source of one logical province subgraph (`workers`, `employment`, `transport`): what
 * `buildService` returns for it. Each fetch of the query planner is analysed once per operation
 * text (parse, rewrite, routing rules), then sent to the provinces that hold its data: entity
 * representations to their owners, root fields by their routing arguments or to every province,
 * mutations to exactly one; the answers are merged as the contract's `@shard` rules say.
 */
export class ShardRouter implements GraphQLDataSource {
  private readonly analyzer: OperationAnalyzer;
  private readonly ctx: ShardContext;
  private readonly logger: Logger;

  constructor(options: ShardRouterOptions) {
    this.analyzer = new OperationAnalyzer(options.subgraph, options.cacheSize);
    this.ctx = {
      subgraph: options.subgraph,
      registry: options.registry,
      client: options.client,
      breaker: options.breaker,
    };
    this.logger = options.logger ?? silentLogger;
  }

  /** Operations analysed and cached so far. */
  get cachedOperations(): number {
    return this.analyzer.size;
  }

  /** Sends one fetch of the query plan to the right provinces and merges their answers. */
  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query)
      return { errors: [hubError('INTERNAL_SERVER_ERROR', 'fetch without an operation').toJSON()] };
    let analysis: ReturnType<typeof this.analyzer.analyze>;
    try {
      analysis = this.analyzer.analyze(request.query, request.operationName);
    } catch (err) {
      // The message may quote literals of the operation (personal data): log its kind only.
      this.logger.error(
        {
          subgraph: this.ctx.subgraph.name,
          error: (err as Error).name,
        },
        'fetch operation not understood',
      );
      return {
        errors: [
          hubError(
            'INTERNAL_SERVER_ERROR',
            `the gateway could not route a fetch to ${this.ctx.subgraph.name}`,
          ).toJSON(),
        ],
      };
    }
    if (analysis.operation === 'subscription') {
      return { errors: [hubError('BAD_USER_INPUT', 'subscriptions are served over graphql-ws').toJSON()] };
    }
    // The caller authenticated by the gateway travels, signed, with every fetch of this request
    // (read from the incoming request's context; `options.context` is deprecated).
    const incoming = 'incomingRequestContext' in options ? options.incomingRequestContext.context : undefined;
    const ctx: ShardContext = { ...this.ctx, caller: callerOfContext(incoming) };
    try {
      return await (analysis.entities
        ? fetchEntities(ctx, analysis, request)
        : fetchRootFields(ctx, analysis, request));
    } catch (err) {
      if (!(err instanceof IntOverflowError)) throw err;
      this.logger.error({ subgraph: this.ctx.subgraph.name, sum: err.sum }, 'summed count overflows Int');
      return { errors: [hubError('INTERNAL_SERVER_ERROR', err.message).toJSON()] };
    }
  }
}
