import { randomUUID, type KeyObject } from 'node:crypto';
import {
  CALLER_HEADER,
  describeCaller,
  signCallerAssertion,
  type AssertionSigningKey,
  type Caller,
} from '@p2p/schema';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CheckFailure, type Exchange } from './check-failure.js';

/**
 * A GraphQL answer's data or a subscription event: its shape is the query's, which the check that sent
 * it reads (a service under test may answer anything, so nothing is assumed beyond JSON).
 */
// biome-ignore lint/suspicious/noExplicitAny: the shape is the query's; each check reads what it asked.
export type AnswerData = Record<string, any>;

/** How a request is signed: by the kit's key for the province (default), not at all, or for a twisted binding (attacks). */
export type Signing =
  | 'signed'
  | 'unsigned'
  | { audience: string }
  | { bodySignedFor: string }
  | { assertion: string };

/** A GraphQL answer over HTTP, with the exchange that produced it. */
export interface LinkAnswer {
  status: number;
  data?: AnswerData | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: { code?: string; [k: string]: unknown };
  }[];
  /** The request and the answer, for a failure's report. */
  exchange: Exchange;
  /** The assertion sent, if any (a replay check sends it again). */
  assertion?: string;
}

/** Options of {@link ProvinceLink}. */
export interface ProvinceLinkOptions {
  /** The service's base URL; logical subgraphs answer at `<url>/<subgraph>/graphql`. */
  url: string;
  province: string;
  /** The key the kit signs caller assertions with; none: only unsigned requests can be sent. */
  signingKey?: AssertionSigningKey | KeyObject;
  /** Milliseconds one request may take. @default 10000 */
  timeoutMs?: number;
}

/**
 * The kit's link to one province: GraphQL over HTTP and graphql-ws to its logical subgraphs, each
 * request carrying a caller assertion signed with the kit's key for exactly that body (as the
 * gateway signs it), so the province applies its access rules to the caller the check names.
 */
export class ProvinceLink {
  readonly url: string;
  readonly province: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: ProvinceLinkOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.province = options.province;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** True when the kit has a key to sign with. */
  get canSign(): boolean {
    return this.options.signingKey !== undefined;
  }

  /** POSTs one GraphQL operation to `subgraph` as `caller`. Never throws on a GraphQL or HTTP error: the answer says it. */
  async query(
    subgraph: string,
    query: string,
    variables: Record<string, unknown> = {},
    caller?: Caller,
    signing: Signing = 'signed',
  ): Promise<LinkAnswer> {
    const body = JSON.stringify({ query, variables });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    const assertion = this.assertionFor(caller, signing, body);
    if (assertion) headers[CALLER_HEADER] = assertion;
    const exchange = exchangeOf(subgraph, query, variables, caller, assertion);
    let res: Response;
    try {
      res = await fetch(`${this.url}/${subgraph}/graphql`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      exchange.answer = { network: (err as Error).message };
      throw new CheckFailure(`the province did not answer: ${(err as Error).message}`, exchange);
    }
    const text = await res.text();
    let parsed: { data?: AnswerData | null; errors?: LinkAnswer['errors'] } & Record<string, unknown>;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text: text.slice(0, 500) };
    }
    exchange.status = res.status;
    exchange.answer = parsed;
    return {
      status: res.status,
      data: parsed?.data,
      errors: parsed?.errors,
      exchange,
      ...(assertion ? { assertion } : {}),
    };
  }

  /** POSTs `query` and returns its data, failing the check on any error. */
  async data(
    subgraph: string,
    query: string,
    variables: Record<string, unknown> = {},
    caller?: Caller,
  ): Promise<{ data: AnswerData; exchange: Exchange }> {
    const answer = await this.query(subgraph, query, variables, caller);
    if (answer.errors?.length || !answer.data)
      throw new CheckFailure(
        `expected data, got ${answer.errors?.map((e) => e.extensions?.code ?? e.message).join(', ') || 'no data'}`,
        answer.exchange,
      );
    return { data: answer.data, exchange: answer.exchange };
  }

  /**
   * Subscribes over graphql-ws to `subgraph` as `caller` and collects events until `take` have come
   * or `quietMs` pass without one (then it completes). Errors are returned, not thrown.
   */
  async subscribe(
    subgraph: string,
    query: string,
    variables: Record<string, unknown>,
    caller: Caller,
    { take = Number.POSITIVE_INFINITY, quietMs = 1_500, signing = 'signed' as Signing } = {},
  ): Promise<{ events: AnswerData[]; errors: unknown[]; exchange: Exchange }> {
    const assertion = this.assertionFor(caller, signing, undefined);
    const exchange = exchangeOf(subgraph, query, variables, caller, assertion);
    const events: AnswerData[] = [];
    const errors: unknown[] = [];
    const headers = assertion ? { [CALLER_HEADER]: assertion } : {};
    class SignedSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    const client = createClient({
      url: `${this.url.replace(/^http/, 'ws')}/${subgraph}/graphql`,
      webSocketImpl: SignedSocket,
      retryAttempts: 0,
      lazy: true,
    });
    try {
      await new Promise<void>((resolve) => {
        let quiet: NodeJS.Timeout | undefined;
        const settle = () => {
          clearTimeout(quiet);
          resolve();
        };
        const arm = () => {
          clearTimeout(quiet);
          quiet = setTimeout(settle, quietMs);
        };
        arm();
        const stop = client.subscribe(
          { query, variables },
          {
            next: (value) => {
              if (value.errors?.length) errors.push(...value.errors);
              if (value.data) events.push(value.data as AnswerData);
              if (events.length >= take) {
                stop();
                settle();
              } else arm();
            },
            error: (err) => {
              errors.push(...subscriptionErrors(err));
              settle();
            },
            complete: settle,
          },
        );
      });
    } finally {
      await client.dispose();
    }
    exchange.answer = { events, errors };
    return { events, errors, exchange };
  }

  private assertionFor(
    caller: Caller | undefined,
    signing: Signing,
    body: string | undefined,
  ): string | undefined {
    if (signing === 'unsigned' || !caller) return undefined;
    if (typeof signing === 'object' && 'assertion' in signing) return signing.assertion;
    const key = this.options.signingKey;
    if (!key) throw new CheckFailure('this check needs --token-key: the kit has no key to sign with');
    const province = typeof signing === 'object' && 'audience' in signing ? signing.audience : this.province;
    const signedBody =
      typeof signing === 'object' && 'bodySignedFor' in signing ? signing.bodySignedFor : body;
    return signCallerAssertion(
      caller,
      key,
      signedBody === undefined ? { province, webSocket: true } : { province, body: signedBody },
    );
  }
}

/**
 * What a graphql-ws client's error sink received, as plain JSON for the report: the GraphQL errors
 * of an `error` message (an array), a close event's code and reason (not the socket it carries),
 * or an Error's message.
 */
function subscriptionErrors(err: unknown): unknown[] {
  if (Array.isArray(err)) return err;
  if (err instanceof Error) return [{ message: err.message }];
  const close = err as { code?: unknown; reason?: unknown } | null;
  if (typeof close?.code === 'number')
    return [{ message: `closed ${close.code} ${String(close.reason ?? '')}`.trim(), code: close.code }];
  return [err];
}

/** The record of a request about to be sent (its answer filled in when it comes). */
function exchangeOf(
  subgraph: string,
  query: string,
  variables: Record<string, unknown>,
  caller: Caller | undefined,
  assertion: string | undefined,
): Exchange {
  return {
    subgraph,
    query,
    variables,
    caller: assertion ? describeCaller(caller) : 'unsigned',
    answer: undefined,
  };
}

/** A fresh idempotency key carrying the kit's tag, so the province's records say who wrote them. */
export function kitIdempotencyKey(runId: string): string {
  return `conformance-${runId}-${randomUUID().slice(0, 8)}`;
}
