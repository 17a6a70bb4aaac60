/**
 * Executes each event's selection ONCE for all the clients that sent the same operation (same
 * document, variables and principal), instead of once per client: a thousand receiving places
 * following the same arrivals cost one graphql-js execution per event. Only the cursor differs
 * between them; it is executed as a placeholder and put in per client.
 */
import { execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { ClientEvent } from './client-stream.js';

/** Stands for the client's cursor in a shared result. */
const CURSOR_PLACEHOLDER = '\u0000cursor\u0000';

/** Shared results kept (by operation and event). @default 5000 */
const CACHE_SIZE = 5_000;

const documentKeys = new WeakMap<DocumentNode, string>();

function documentKey(document: DocumentNode): string {
  let key = documentKeys.get(document);
  if (!key) documentKeys.set(document, (key = print(document)));
  return key;
}

/** Copies `value`, putting `cursor` wherever the placeholder is. */
function withCursor(value: unknown, cursor: string): unknown {
  if (value === CURSOR_PLACEHOLDER) return cursor;
  if (Array.isArray(value)) return value.map((v) => withCursor(v, cursor));
  if (value && typeof value === 'object' && !(value instanceof Error)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = withCursor(v, cursor);
    return out;
  }
  return value;
}

/** A cache of executed events, shared by every subscription of the gateway. */
export class SharedExecution {
  private readonly results = new Map<string, ExecutionResult>();
  /** graphql-js executions run (for tests and the benchmark). */
  executions = 0;

  /** The result of `event` for the operation in `args`, with the client's cursor. */
  run(args: ExecutionArgs, principal: string, event: ClientEvent<unknown>): ExecutionResult {
    const key = `${principal}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${documentKey(args.document)}\u0000${event.province}:${event.epoch ?? ''}:${event.seq}`;
    let shared = this.results.get(key);
    if (!shared) {
      this.executions++;
      // Every resolver of a subscription event is synchronous: execute() returns the result itself.
      shared = execute({ ...args, rootValue: { ...event, cursor: CURSOR_PLACEHOLDER } }) as ExecutionResult;
      this.results.set(key, shared);
      if (this.results.size > CACHE_SIZE) this.results.delete(this.results.keys().next().value!);
    }
    return { ...shared, data: withCursor(shared.data, event.cursor) as ExecutionResult['data'] };
  }
}

/**
 * Maps a client's event stream to execution results through `shared`; `return()` ends the
 * stream at once (graphql-ws calls it when the client completes or leaves).
 */
export function mapEvents(
  events: AsyncIterableIterator<ClientEvent<unknown>>,
  toResult: (event: ClientEvent<unknown>) => ExecutionResult,
): AsyncIterableIterator<ExecutionResult> {
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const next = await events.next();
      return next.done ? { value: undefined, done: true } : { value: toResult(next.value), done: false };
    },
    async return() {
      await events.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
