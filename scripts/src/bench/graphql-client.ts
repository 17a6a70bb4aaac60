/**
 * The load generator's HTTP client: GraphQL POSTs over a pool of keep-alive connections (undici),
 * loopback only, so connection set-up never shows in the latencies. Each operation says who sends
 * it, and the client adds that caller's headers (a bearer token).
 */
import { Pool } from 'undici';

/** One GraphQL operation to send. */
export interface Operation {
  /** A label for reports (`tripsToDestination`, `registerWorkers`…). */
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Who sends it: a province code (that province's officer) or absent (the ministry). */
  as?: string;
}

/** What came back, reduced to what the benchmark needs. */
export interface OperationOutcome {
  status: number;
  /** The parsed body (undefined when it was not JSON). */
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: unknown } }[] } | undefined;
  /** Undefined when the answer had data and no errors; otherwise a short reason. */
  error?: string;
}

/** Options of {@link GraphQLClient}. */
export interface GraphQLClientOptions {
  /**
   * Keep-alive connections to the server.
   * @default 16
   */
  connections?: number;
  /**
   * The headers of the caller who sends an operation (see {@link Operation.as}), given the exact
   * body sent (a province's caller assertion is bound to it). @default none
   */
  headersFor?: (as: string | undefined, body: string) => Record<string, string>;
  /**
   * Per-request time limit.
   * @default 30_000
   */
  timeoutMs?: number;
}

/** Accepts only loopback servers: the benchmarks never send traffic off this machine. */
export function assertLoopback(url: string): URL {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!(host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host))) {
    throw new Error(`benchmarks only target loopback addresses; ${u.host} is not one`);
  }
  return u;
}

/** A keep-alive GraphQL client of one endpoint. */
export class GraphQLClient {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly headersFor: (as: string | undefined, body: string) => Record<string, string>;
  private readonly timeoutMs: number;

  /** @param url the GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql (loopback only) */
  constructor(
    readonly url: string,
    options: GraphQLClientOptions = {},
  ) {
    const u = assertLoopback(url);
    this.path = `${u.pathname}${u.search}`;
    this.pool = new Pool(u.origin, {
      connections: options.connections ?? 16,
      keepAliveTimeout: 60_000,
      pipelining: 1,
    });
    this.headersFor = options.headersFor ?? (() => ({}));
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Sends one operation; never throws (network failures come back as `error`). */
  async send(operation: Operation): Promise<OperationOutcome> {
    try {
      const payload = JSON.stringify({ query: operation.query, variables: operation.variables });
      const res = await this.pool.request({
        method: 'POST',
        path: this.path,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...this.headersFor(operation.as, payload),
        },
        body: payload,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const text = await res.body.text();
      let body: OperationOutcome['body'];
      try {
        body = JSON.parse(text);
      } catch {
        return { status: res.statusCode, body: undefined, error: `HTTP ${res.statusCode}, not JSON` };
      }
      const first = body?.errors?.[0];
      if (first)
        return {
          status: res.statusCode,
          body,
          error: `${String(first.extensions?.code ?? 'ERROR')}: ${first.message.slice(0, 160)}`,
        };
      if (res.statusCode >= 400 || body?.data == null)
        return { status: res.statusCode, body, error: `HTTP ${res.statusCode} without data` };
      return { status: res.statusCode, body };
    } catch (err) {
      return {
        status: 0,
        body: undefined,
        error: `network: ${(err as { code?: string }).code ?? (err as Error).message}`,
      };
    }
  }

  /**
   * Sends one operation and returns its data.
   * @throws Error with the first error when the answer is not a clean success.
   */
  // biome-ignore lint/suspicious/noExplicitAny: callers name the shape of the data they asked for
  async data<T = any>(operation: Operation): Promise<T> {
    const outcome = await this.send(operation);
    if (outcome.error) throw new Error(`${operation.name} via ${this.url}: ${outcome.error}`);
    return outcome.body!.data as T;
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}
