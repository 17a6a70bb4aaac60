import type { PGlite, Transaction } from '@electric-sql/pglite';
import { endSpan, SpanKind, startChildSpan, type Span } from '@p2p/runtime';
import pg from 'pg';

/** Longest statement text put on a span (a multi-row INSERT lists many placeholders). */
const MAX_TEXT = 4096;

/**
 * A span for one SQL statement, child of the active span (none outside a traced request, e.g. a
 * background fold): named by its first keyword (`SELECT`, `INSERT`, `WITH`…), with
 * `db.system.name` and `db.query.text`. The text is what drizzle sends: values travel as
 * parameters (`$1`…), which are never recorded (they are names, resident ID numbers, phones…).
 */
function statementSpan(text: string): Span | undefined {
  const keyword = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
  return startChildSpan(keyword, {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system.name': 'postgresql',
      'db.query.text': text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text,
    },
  });
}

type Callback = (err: Error | null, result: unknown) => void;

/**
 * A node-postgres `Client` class whose statements are spans (`new pg.Pool({ Client })`): every
 * query of the pool and of its checked-out clients (transactions) goes through `Client.query`.
 * Streams and cursors (submittables) pass untraced.
 */
export function tracedPgClient(): typeof pg.Client {
  class TracedClient extends pg.Client {}
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  Object.defineProperty(TracedClient.prototype, 'query', {
    value: function tracedQuery(this: pg.Client, ...args: unknown[]): unknown {
      const first = args[0] as string | { text?: unknown; submit?: unknown; callback?: unknown } | undefined;
      const text =
        typeof first === 'string'
          ? first
          : first &&
              typeof first.text === 'string' &&
              first.submit === undefined &&
              first.callback === undefined
            ? first.text
            : undefined;
      const span = text === undefined ? undefined : statementSpan(text);
      if (!span) return query.apply(this, args);
      const last = args.at(-1);
      if (typeof last === 'function') {
        args[args.length - 1] = ((err, result) => {
          endSpan(span, err ?? undefined);
          (last as Callback)(err, result);
        }) satisfies Callback;
        return query.apply(this, args);
      }
      const answer = query.apply(this, args) as Promise<unknown>;
      answer.then(
        () => endSpan(span),
        (err: unknown) => endSpan(span, err),
      );
      return answer;
    },
    writable: true,
    configurable: true,
  });
  return TracedClient;
}

type QueryFn = Transaction['query'];

function tracedQueryFn(query: QueryFn): QueryFn {
  return (async (text: string, params?: unknown[], options?: unknown) => {
    const span = statementSpan(text);
    if (!span) return query(text, params as never, options as never);
    try {
      const result = await query(text, params as never, options as never);
      endSpan(span);
      return result;
    } catch (err) {
      endSpan(span, err);
      throw err;
    }
  }) as QueryFn;
}

/** Makes the statements drizzle sends through a PGlite instance (and its transactions) spans. */
export function traceStatementsOf(client: PGlite): void {
  client.query = tracedQueryFn(client.query.bind(client));
  const transaction = client.transaction.bind(client);
  client.transaction = ((callback: (tx: Transaction) => Promise<unknown>) =>
    transaction((tx) => {
      tx.query = tracedQueryFn(tx.query.bind(tx));
      return callback(tx);
    })) as PGlite['transaction'];
}
