/**
 * The wire format of the province's relay endpoints (`relay-http.ts`): the JSON bodies the relay
 * sends, checked and turned into typed requests. Anything malformed is BAD_USER_INPUT naming the
 * field; nothing is read or written.
 */
import { badInput, findRegion, type RelayedEvent, type RelayFact } from '@p2p/schema';
import { canApply } from './apply-fact.js';
import type { RelayedBatch } from './inbox.js';
import type { ConsumerPosition } from './relay-source.js';

/** Most targets in one read (every province of the country fits). */
export const MAX_CONSUMERS = 64;
/** Most events per target in one read, and per applied batch. */
export const MAX_EVENTS = 1_000;
/** Longest wait of one read, in milliseconds. */
export const MAX_WAIT_MS = 30_000;

/** `POST /relay/events`: what the relay asks a source. */
export interface EventsRequest {
  consumers: ConsumerPosition[];
  /** @default 500 */
  limit: number;
  /** @default 0 */
  waitMs: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function object(value: unknown, field: string): Record<string, unknown> {
  if (!isObject(value)) throw badInput(`${field}: expected a JSON object`, field);
  return value;
}

function integer(value: unknown, field: string, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw badInput(`${field}: expected an integer from ${min} to ${max}`, field);
  return value;
}

function text(value: unknown, field: string, max = 64): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max)
    throw badInput(`${field}: expected a string of 1 to ${max} characters`, field);
  return value;
}

/**
 * A province code other than `self`.
 * @throws BAD_USER_INPUT for anything else.
 */
function otherProvince(value: unknown, field: string, self: string): string {
  if (typeof value !== 'string' || !/^\d{2}0000$/.test(value) || findRegion(value)?.level !== 'PROVINCE')
    throw badInput(`${field}: expected a six-digit province code`, field);
  if (value === self)
    throw badInput(`${field}: ${value} is this province; it tells itself without the relay`, field);
  return value;
}

/** Parses the body of `POST /relay/events` for source province `self`. */
export function parseEventsRequest(body: unknown, self: string): EventsRequest {
  const b = object(body, 'body');
  if (!Array.isArray(b.consumers) || b.consumers.length === 0 || b.consumers.length > MAX_CONSUMERS)
    throw badInput(`consumers: expected 1 to ${MAX_CONSUMERS} target positions`, 'consumers');
  const seen = new Set<string>();
  const consumers = b.consumers.map((raw, i): ConsumerPosition => {
    const c = object(raw, `consumers[${i}]`);
    const target = otherProvince(c.target, `consumers[${i}].target`, self);
    if (seen.has(target))
      throw badInput(`consumers[${i}].target: ${target} is listed twice`, `consumers[${i}].target`);
    seen.add(target);
    return {
      target,
      epoch: c.epoch === null || c.epoch === undefined ? null : text(c.epoch, `consumers[${i}].epoch`),
      after: integer(c.after, `consumers[${i}].after`, 0, Number.MAX_SAFE_INTEGER),
    };
  });
  return {
    consumers,
    limit: integer(b.limit, 'limit', 0, MAX_EVENTS, 500),
    waitMs: integer(b.waitMs, 'waitMs', 0, MAX_WAIT_MS, 0),
  };
}

/** Parses the body of `POST /relay/apply` for target province `self`. */
export function parseApplyRequest(body: unknown, self: string): RelayedBatch {
  const b = object(body, 'body');
  const source = otherProvince(b.source, 'source', self);
  const epoch = text(b.epoch, 'epoch');
  const after = integer(b.after, 'after', 0, Number.MAX_SAFE_INTEGER);
  if (!Array.isArray(b.events) || b.events.length > MAX_EVENTS)
    throw badInput(`events: expected at most ${MAX_EVENTS} events`, 'events');
  let previous = after;
  const events = b.events.map((raw, i): RelayedEvent => {
    const e = object(raw, `events[${i}]`);
    const seq = integer(e.seq, `events[${i}].seq`, 1, Number.MAX_SAFE_INTEGER);
    if (seq <= previous)
      throw badInput(
        `events[${i}].seq: ${seq} must be above ${previous} (events in seq order, after the position)`,
        `events[${i}].seq`,
      );
    previous = seq;
    const at = text(e.at, `events[${i}].at`);
    if (Number.isNaN(Date.parse(at)))
      throw badInput(`events[${i}].at: expected an ISO 8601 time`, `events[${i}].at`);
    const fact = object(e.fact, `events[${i}].fact`);
    const kind = text(fact.fact, `events[${i}].fact.fact`);
    if (!canApply(kind))
      throw badInput(
        `events[${i}].fact.fact: this province does not know facts of kind ${JSON.stringify(kind)} (a newer source?)`,
        `events[${i}].fact.fact`,
      );
    return { seq, at, fact: fact as unknown as RelayFact };
  });
  return { source, epoch, after, events };
}
