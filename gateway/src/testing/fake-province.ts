import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { PROVINCE_SUBGRAPHS, subgraphSdl, type ProvinceSubgraph } from '@p2p/schema';
import { emptyData, type ProvinceData } from './fake-data.js';
import {
  employmentResolvers,
  healthResolvers,
  transportResolvers,
  workersResolvers,
  type FakeShard,
} from './fake-resolvers.js';
import { answerGraphQL, readBody, sendJson } from '@p2p/runtime';
import { FakeEventLog } from './fake-subscriptions.js';

/** One request a fake province received. */
export interface FakeRequest {
  subgraph: string;
  /** `entities` (an `_entities` fetch), `service` (`_service`), `mutation` or `query`. */
  kind: 'entities' | 'service' | 'mutation' | 'query';
  /** How many representations an `_entities` fetch carried. */
  representations: number;
  /** The gateway's signed caller assertion (`x-p2p-caller` header), if any. */
  assertion?: string;
}

/** Options of {@link startFakeProvince}. */
export interface FakeProvinceOptions {
  /** Records to serve; mutated by mutations. @default emptyData() */
  data?: ProvinceData;
  /** Port to listen on. @default 0 (random) */
  port?: number;
  /** Changes a subgraph's SDL before serving it (to fake an incompatible province). */
  transformSdl?: (subgraph: ProvinceSubgraph, sdl: string) => string;
}

const RESOLVERS = {
  workers: workersResolvers,
  employment: employmentResolvers,
  transport: transportResolvers,
  health: healthResolvers,
} as const;
const classify = (query: string): FakeRequest['kind'] =>
  query.includes('_entities')
    ? 'entities'
    : query.includes('_service')
      ? 'service'
      : /^\s*mutation\b/.test(query)
        ? 'mutation'
        : 'query';

/**
 * A fake province for tests: the three logical subgraphs of the contract at `/workers/graphql`,
 * `/employment/graphql`, `/transport/graphql`, over in-memory records, with keyset pagination as
 * the contract describes, and their subscriptions over graphql-ws from an event log the test
 * writes (`subscriptions`). Counts requests, can be slowed down, stopped and restarted.
 */
export class FakeProvince implements FakeShard {
  /** Requests received, in order. */
  readonly requests: FakeRequest[] = [];
  /** Delay before answering, in milliseconds. */
  delayMs = 0;
  /** When set, every request is counted and answered with this HTTP status and no GraphQL body. */
  failStatus: number | undefined;
  /** Its subscriptions over graphql-ws: the test appends events (`emit`) and reads what was asked. */
  readonly subscriptions = new FakeEventLog();
  private server: Server;
  private detachSubscriptions: (() => Promise<void>) | undefined;
  private port: number;
  private readonly apollo = new Map<string, ApolloServer>();

  private constructor(
    readonly code: string,
    readonly data: ProvinceData,
    options: FakeProvinceOptions,
  ) {
    this.port = options.port ?? 0;
    for (const name of PROVINCE_SUBGRAPHS) {
      const sdl = options.transformSdl ? options.transformSdl(name, subgraphSdl(name)) : subgraphSdl(name);
      const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: RESOLVERS[name](this) });
      this.apollo.set(
        name,
        new ApolloServer({
          schema,
          csrfPrevention: false,
          includeStacktraceInErrorResponses: false,
          stopOnTerminationSignals: false,
          plugins: [ApolloServerPluginInlineTraceDisabled()],
        }),
      );
    }
    this.server = this.createServer();
  }

  /** Starts a fake province serving `code` (e.g. 450000). */
  static async start(code: string, options: FakeProvinceOptions = {}): Promise<FakeProvince> {
    const province = new FakeProvince(code, options.data ?? emptyData(), options);
    await Promise.all([...province.apollo.values()].map((s) => s.start()));
    await province.listen();
    return province;
  }

  /** Base URL, e.g. http://127.0.0.1:41234 (the gateway's `provinces` value). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests received, optionally only of one subgraph and kind; health checks (`service`) only when asked. */
  count(subgraph?: string, kind?: FakeRequest['kind']): number {
    return this.requests.filter(
      (r) => (!subgraph || r.subgraph === subgraph) && (kind ? r.kind === kind : r.kind !== 'service'),
    ).length;
  }

  /** Stops listening and drops open connections (the province is "down"). */
  async stop(): Promise<void> {
    await this.detachSubscriptions?.();
    this.detachSubscriptions = undefined;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Listens again on the same port after {@link stop}. */
  async restart(): Promise<void> {
    this.server = this.createServer();
    await this.listen();
  }

  /** Stops the server and the subgraphs. */
  async close(): Promise<void> {
    if (this.server.listening) await this.stop();
    await Promise.all([...this.apollo.values()].map((s) => s.stop()));
  }

  private createServer(): Server {
    const server = this.serveHttp();
    this.detachSubscriptions = this.subscriptions.attach(server);
    return server;
  }

  private serveHttp(): Server {
    return createServer((req, res) => {
      const name = /^\/(\w+)\/graphql/.exec(req.url ?? '')?.[1];
      const apollo = name ? this.apollo.get(name) : undefined;
      if (!name || !apollo) return sendJson(res, 404, { error: 'not found' });
      void (async () => {
        const body = req.method === 'POST' ? await readBody(req) : undefined;
        const query = (body as { query?: string } | undefined)?.query ?? '';
        const reps = (body as { variables?: { representations?: unknown[] } } | undefined)?.variables
          ?.representations;
        const assertion = req.headers['x-p2p-caller'];
        this.requests.push({
          subgraph: name,
          kind: classify(query),
          representations: Array.isArray(reps) ? reps.length : 0,
          ...(typeof assertion === 'string' ? { assertion } : {}),
        });
        if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
        if (res.destroyed) return;
        if (this.failStatus) return sendJson(res, this.failStatus, { error: 'fake failure' });
        await answerGraphQL(apollo, req, res, { context: async () => ({}), body });
      })().catch(() => {
        if (!res.headersSent) sendJson(res, 500, { error: 'fake province failed' });
      });
    });
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }
}

/** Starts one fake province per code, each with its data (`datasets[code]`) and options. */
export async function startFakeProvinces(
  codes: readonly string[],
  datasets: Record<string, ProvinceData> = {},
  options: (code: string) => Omit<FakeProvinceOptions, 'data'> = () => ({}),
): Promise<FakeProvince[]> {
  return Promise.all(
    codes.map((code) => FakeProvince.start(code, { ...options(code), data: datasets[code] ?? emptyData() })),
  );
}
