/**
 * Executes and SERIALISES each event's selection once for all the clients that sent the same
 * operation (same document, variables and principal), instead of once per client: a thousand
 * receiving places following the same arrivals cost one graphql-js execution and one
 * JSON.stringify per event. Only the cursor differs between them: it is executed as a
 * placeholder, the serialised result is cut at the placeholder, and each client's payload is the
 * shared pieces with its own cursor between them, in parts that graphql-ws-transport.ts writes
 * one after the other into the client's message (see {@link SERIALISED_PAYLOAD}): no string of the
 * whole payload is made per client.
 *
 * Sharing never crosses the access rules: the principal (role, region, enterprise, worker: who
 * sees which fields and which personal data, auth/subscription-auth.ts) is part of the key, as
 * it is of the event resolution (event-resolver.ts). Two callers of one principal see the same
 * bytes; two principals never share a result.
 */
import { randomUUID } from 'node:crypto';
import { execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { ClientEvent } from './client-stream.js';

/** Stands for the client's cursor in a shared result (per process: never a value of the data, which is Postgres text without NUL). */
const CURSOR_PLACEHOLDER = `\u0000cursor:${randomUUID()}\u0000`;
const CURSOR_PLACEHOLDER_JSON = JSON.stringify(CURSOR_PLACEHOLDER);

/** Shared results kept per operation (by event). @default 2000 */
const CACHE_SIZE = 2_000;

/**
 * The key of a result's graphql-ws `next` payload already serialised as JSON (in parts):
 * graphql-ws spreads the result into its message (symbol keys included, JSON.stringify skips
 * them) and graphql-ws-transport.ts writes these parts in its place.
 */
export const SERIALISED_PAYLOAD: unique symbol = Symbol('serialised graphql-ws payload');

/** An execution result as graphql-ws sends it, serialised once. */
export interface SerialisedResult extends ExecutionResult {
  /** The `next` message's payload as JSON, in parts to be written one after the other: the shared pieces and the client's cursor between them. */
  [SERIALISED_PAYLOAD]: readonly string[];
}

/** A vector cursor is base64url (vector-cursor.ts): its JSON is itself in quotes. */
const JSON_SAFE = /^[A-Za-z0-9_-]*$/;

/** The parts of a payload cut at its cursors, with `cursor` between them. */
function withCursor(pieces: Pieces, cursor: string): readonly string[] {
  if (pieces.length === 1) return pieces;
  const quoted = JSON_SAFE.test(cursor) ? ['"', cursor, '"'] : [JSON.stringify(cursor)];
  const parts = [pieces[0]!];
  for (let i = 1; i < pieces.length; i++) parts.push(...quoted, pieces[i]!);
  return parts;
}

/** The shared serialisation of one event for one operation: its JSON cut at each cursor. */
type Pieces = readonly string[];

const documentKeys = new WeakMap<DocumentNode, string>();

function documentKey(document: DocumentNode): string {
  let key = documentKeys.get(document);
  if (!key) documentKeys.set(document, (key = print(document)));
  return key;
}

/** The payload graphql-ws would send for `result` (data, then errors when there are any), cut at the cursor placeholder. */
function serialise(result: ExecutionResult): Pieces {
  const { errors, ...rest } = result;
  const payload = errors ? { ...rest, errors: errors.map((e) => e.toJSON()) } : rest;
  return JSON.stringify(payload).split(CURSOR_PLACEHOLDER_JSON);
}

/** The results of one operation (document, variables, principal) by event, shared by its clients. */
export class SharedOperation {
  private readonly results = new Map<string, Pieces>();

  constructor(
    private readonly owner: SharedExecution,
    private readonly args: ExecutionArgs,
    /** Its key in the owner. */
    readonly key: string,
  ) {}

  /** The result of `event` for this operation, with the client's cursor, serialised. */
  run(event: ClientEvent<unknown>): SerialisedResult {
    const key = `${event.province}:${event.epoch ?? ''}:${event.seq}`;
    let pieces = this.results.get(key);
    if (!pieces) {
      this.owner.executions++;
      // Every resolver of a subscription event is synchronous: execute() returns the result itself.
      const result = execute({
        ...this.args,
        rootValue: { ...event, cursor: CURSOR_PLACEHOLDER },
      }) as ExecutionResult;
      pieces = serialise(result);
      this.results.set(key, pieces);
      if (this.results.size > CACHE_SIZE) this.results.delete(this.results.keys().next().value!);
    }
    return { [SERIALISED_PAYLOAD]: withCursor(pieces, event.cursor) };
  }
}

/** The shared operations of the gateway, by (principal, operation, variables). */
export class SharedExecution {
  private readonly operations = new Map<string, { operation: SharedOperation; users: number }>();
  /** graphql-js executions run (for tests and the benchmark). */
  executions = 0;

  /** The shared operation of `args` for `principal`; {@link release} it when the subscription ends. */
  acquire(args: ExecutionArgs, principal: string): SharedOperation {
    const key = `${principal}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${documentKey(args.document)}`;
    let entry = this.operations.get(key);
    if (!entry)
      this.operations.set(key, (entry = { operation: new SharedOperation(this, args, key), users: 0 }));
    entry.users++;
    return entry.operation;
  }

  /** Gives an operation back; the last user's release drops its results. */
  release(operation: SharedOperation): void {
    const entry = this.operations.get(operation.key);
    if (entry?.operation === operation && --entry.users === 0) this.operations.delete(operation.key);
  }

  /** Operations shared now (for tests). */
  get size(): number {
    return this.operations.size;
  }
}

/**
 * Maps a client's event stream to execution results through `toResult`; `return()` ends the
 * stream at once (graphql-ws calls it when the client completes or leaves) and calls `onEnd`.
 */
export function mapEvents(
  events: AsyncIterableIterator<ClientEvent<unknown>>,
  toResult: (event: ClientEvent<unknown>) => ExecutionResult,
  onEnd: () => void = () => {},
): AsyncIterableIterator<ExecutionResult> {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      try {
        const next = await events.next();
        if (next.done) end();
        return next.done ? { value: undefined, done: true } : { value: toResult(next.value), done: false };
      } catch (err) {
        end();
        throw err;
      }
    },
    async return() {
      end();
      await events.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
