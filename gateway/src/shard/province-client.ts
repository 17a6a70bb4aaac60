import { Agent, request } from 'undici';
import type { GraphQLFormattedError } from 'graphql';
import type { Caller } from '@p2p/schema';
import type { CallerAssertions } from '../auth/caller-assertions.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { inChildSpan, silentLogger, SpanKind, withTraceHeaders, type Logger, type Span } from '@p2p/runtime';
import { ProvinceFetchError, type ProvinceFailure } from './province-errors.js';

/** A GraphQL request to one province. */
export interface ProvinceRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** A province's GraphQL answer. */
export interface ProvinceAnswer {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
}

/** Who a fetch goes to. */
export interface ProvinceTarget {
  province: string;
  subgraph: string;
  url: string;
}

/** Options of {@link ProvinceClient}. */
export interface ProvinceClientOptions {
  /** Time budget of a fetch, retry included, in milliseconds. @default 5000 */
  timeoutMs?: number;
  /** Idle keep-alive connections are closed after this many milliseconds. @default 30000 */
  keepAliveMs?: number;
  /** Connections per province origin. @default 32 */
  connections?: number;
  metrics?: GatewayMetrics;
  /** @default silentLogger */
  logger?: Logger;
  /** Signs the caller assertion (`x-p2p-caller`) each province requires; absent: none is sent. */
  assertions?: CallerAssertions;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

/**
 * HTTP client of the shard router: POSTs GraphQL to provinces over keep-alive connections
 * (undici), with a time budget per fetch. A query that fails (network error, 502/503/504, bad body)
 * is tried once more within the budget; a mutation never is, so a change is never applied twice.
 */
export class ProvinceClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly logger: Logger;

  constructor(private readonly options: ProvinceClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.logger = options.logger ?? silentLogger;
    const keepAliveMs = options.keepAliveMs ?? 30_000;
    this.agent = new Agent({
      keepAliveTimeout: keepAliveMs,
      keepAliveMaxTimeout: keepAliveMs,
      connections: options.connections ?? 32,
    });
  }

  /**
   * Sends one request; resolves with the province's GraphQL answer (which may carry errors).
   * @throws ProvinceFetchError when no GraphQL answer came back in time.
   */
  send(
    target: ProvinceTarget,
    body: ProvinceRequest,
    how: { mutation: boolean; caller?: Caller | null },
  ): Promise<ProvinceAnswer> {
    // One CLIENT span per fetch (retry included) in the operation's trace; its `traceparent` goes
    // to the province, whose server span is its child. Ids and codes only: never the variables.
    return inChildSpan(
      'province.fetch',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'p2p.province': target.province,
          'p2p.subgraph': target.subgraph,
          'p2p.mutation': how.mutation,
          'http.request.method': 'POST',
          'url.full': target.url,
        },
      },
      (span) => this.sendWithRetry(target, body, how, span),
    );
  }

  private async sendWithRetry(
    target: ProvinceTarget,
    body: ProvinceRequest,
    { mutation, caller }: { mutation: boolean; caller?: Caller | null },
    span: Span | undefined,
  ): Promise<ProvinceAnswer> {
    const started = performance.now();
    const deadline = started + this.timeoutMs;
    let attempt = 0;
    for (;;) {
      attempt++;
      try {
        const answer = await this.once(target, body, deadline - performance.now(), caller, span);
        this.observe(target, started, 'ok');
        span?.setAttribute('p2p.attempts', attempt);
        return answer;
      } catch (err) {
        const failure =
          err instanceof ProvinceFetchError
            ? err
            : new ProvinceFetchError(target.province, 'network', String(err));
        const remaining = deadline - performance.now();
        if (!mutation && attempt === 1 && failure.reason !== 'timeout' && remaining > 50) {
          this.logger.debug(
            {
              province: target.province,
              subgraph: target.subgraph,
              reason: failure.reason,
            },
            'province fetch retried',
          );
          continue;
        }
        this.observe(target, started, 'error');
        span?.setAttributes({ 'p2p.attempts': attempt, 'p2p.failure': failure.reason });
        this.options.metrics?.provinceErrors.inc({
          province: target.province,
          subgraph: target.subgraph,
          reason: failure.reason,
        });
        this.logger.warn(
          {
            province: target.province,
            subgraph: target.subgraph,
            reason: failure.reason,
            attempts: attempt,
            mutation,
            ms: Math.round(performance.now() - started),
          },
          'province fetch failed',
        );
        throw failure;
      }
    }
  }

  private async once(
    target: ProvinceTarget,
    body: ProvinceRequest,
    budgetMs: number,
    caller: Caller | null | undefined,
    span: Span | undefined,
  ): Promise<ProvinceAnswer> {
    const timeout = Math.max(1, Math.floor(budgetMs));
    const text = JSON.stringify(body);
    // Who is asking, signed for this province and these exact body bytes, with a fresh jti
    // (so a retry is signed anew): the province refuses any request without a valid one.
    const authorization =
      caller && this.options.assertions
        ? this.options.assertions.headerFor(caller, { province: target.province, body: text })
        : {};
    let status: number;
    let answerText: string;
    try {
      const res = await request(target.url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: withTraceHeaders({
          'content-type': 'application/json',
          accept: 'application/json',
          ...authorization,
        }),
        body: text,
        signal: AbortSignal.timeout(timeout),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      status = res.statusCode;
      span?.setAttribute('http.response.status_code', status);
      answerText = await res.body.text();
    } catch (err) {
      const name = (err as { name?: string; code?: string }).name ?? '';
      const code = (err as { code?: string }).code ?? '';
      const timedOut =
        name === 'TimeoutError' ||
        name === 'AbortError' ||
        code === 'UND_ERR_HEADERS_TIMEOUT' ||
        code === 'UND_ERR_BODY_TIMEOUT';
      throw new ProvinceFetchError(
        target.province,
        timedOut ? 'timeout' : 'network',
        timedOut ? `timed out after ${timeout} ms` : `${code || name}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(answerText);
    } catch {
      parsed = undefined;
    }
    if (
      parsed &&
      typeof parsed === 'object' &&
      ('data' in parsed || 'errors' in parsed) &&
      !RETRYABLE_STATUS.has(status)
    ) {
      return parsed as ProvinceAnswer;
    }
    throw new ProvinceFetchError(target.province, 'http', `HTTP ${status}`);
  }

  /**
   * Counts a fetch the router did not send because the province cannot answer it (e.g. `behind`:
   * its contract minor lacks what the fetch asks), in `p2p_gateway_province_errors_total`.
   */
  countNotSent(target: Pick<ProvinceTarget, 'province' | 'subgraph'>, reason: ProvinceFailure): void {
    this.options.metrics?.provinceErrors.inc({
      province: target.province,
      subgraph: target.subgraph,
      reason,
    });
  }

  private observe(target: ProvinceTarget, started: number, outcome: 'ok' | 'error'): void {
    this.options.metrics?.provinceFetch.observe(
      { province: target.province, subgraph: target.subgraph, outcome },
      (performance.now() - started) / 1000,
    );
  }

  /** Closes the keep-alive connections. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}
