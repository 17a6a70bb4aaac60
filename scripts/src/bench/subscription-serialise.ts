/**
 * Micro-benchmark (not a test) of the per-client part of a subscription delivery at the gateway,
 * before and after #17.4, side by side in one process:
 *
 *   node --conditions=source --import tsx scripts/src/bench/subscription-serialise.ts [--clients 100000]
 *
 * One event of the subscriptions bench's selection (`cursor kind at trip { id vehicleCode status }`)
 * for clients following 31 provinces (a vector cursor of 31 positions with epochs):
 * - before: per client, encode the vector cursor from its maps, deep-copy the shared result to put
 *   the cursor in (`withCursor`), JSON.stringify graphql-ws's `next` message;
 * - after: per client, move its shared cursor state (encoded once per state, shared by the
 *   clients with the same history: here 30 clients per state, as ~33 clients share a filter in the
 *   bench), join the serialised pieces with its cursor, stringify the message around a
 *   placeholder and splice the payload in (what graphql-ws-transport.ts does).
 * Prints µs per delivery for each and the bytes sent (identical).
 */
import { CursorState, encodeVectorCursor } from '@p2p/gateway';

import { PROVINCE_ORDER } from './geography.js';

const clients = Number(process.argv[process.argv.indexOf('--clients') + 1] || 100_000);
const CLIENTS_PER_STATE = 30;
const PLACEHOLDER = '\u0000cursor\u0000';
const PAYLOAD_PLACEHOLDER_JSON = JSON.stringify('\u0000payload\u0000');

const provinces = [...PROVINCE_ORDER].sort();
const epochs = new Map(provinces.map((p) => [p, `e${p.slice(0, 2)}x7Qm2LrT9wPz`]));
const positions = (offset: number) => new Map(provinces.map((p, i) => [p, 1_000 + i * 37 + offset]));
const result = {
  data: {
    arrivals: {
      cursor: PLACEHOLDER,
      kind: 'PLANNED',
      at: '2030-03-01T08:00:00.123Z',
      trip: { id: 'VHJpcDo0NTAwMDA6MTIzNDU2', vehicleCode: 'SUB-m1-123', status: 'PLANNED' },
    },
  },
};

function withCursor(value: unknown, cursor: string): unknown {
  if (value === PLACEHOLDER) return cursor;
  if (Array.isArray(value)) return value.map((v) => withCursor(v, cursor));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = withCursor(v, cursor);
    return out;
  }
  return value;
}

function before(): { ms: number; bytes: number } {
  const maps = Array.from({ length: clients }, (_, c) => positions(Math.floor(c / CLIENTS_PER_STATE)));
  let bytes = 0;
  const started = performance.now();
  for (let c = 0; c < clients; c++) {
    const delivered = maps[c]!;
    delivered.set('450000', delivered.get('450000')! + 1);
    const cursor = encodeVectorCursor(delivered, epochs);
    const payload = withCursor(result, cursor);
    bytes += JSON.stringify({ id: String(c % 7), type: 'next', payload }).length;
  }
  return { ms: performance.now() - started, bytes };
}

function after(): { ms: number; bytes: number } {
  const states = Array.from({ length: clients }, (_, c) =>
    CursorState.of(positions(Math.floor(c / CLIENTS_PER_STATE)), epochs),
  );
  const pieces = JSON.stringify(result).split(JSON.stringify(PLACEHOLDER));
  let bytes = 0;
  const started = performance.now();
  for (let c = 0; c < clients; c++) {
    const state = states[c]!.withPosition('450000', states[c]!.positions.get('450000')! + 1);
    states[c] = state;
    const payload = pieces.join(JSON.stringify(state.cursor));
    const text = JSON.stringify({ id: String(c % 7), type: 'next', payload: '\u0000payload\u0000' });
    const at = text.lastIndexOf(PAYLOAD_PLACEHOLDER_JSON);
    bytes += (text.slice(0, at) + payload + text.slice(at + PAYLOAD_PLACEHOLDER_JSON.length)).length;
  }
  return { ms: performance.now() - started, bytes };
}

for (let round = 0; round < 3; round++) {
  const b = before();
  const a = after();
  console.log(
    `round ${round + 1}: ${clients} deliveries, before ${((1000 * b.ms) / clients).toFixed(2)} µs each, after ${((1000 * a.ms) / clients).toFixed(2)} µs each (${(b.ms / a.ms).toFixed(1)}×); bytes ${b.bytes === a.bytes ? 'identical' : `DIFFER ${b.bytes} vs ${a.bytes}`} (${(b.bytes / clients).toFixed(0)} per message)`,
  );
}
