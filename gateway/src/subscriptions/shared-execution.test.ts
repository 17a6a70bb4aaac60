import { buildSchema, parse, type ExecutionArgs } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { ClientEvent } from './client-stream.js';
import { CursorState } from './cursor-state.js';
import { SERIALISED_PAYLOAD, SharedExecution } from './shared-execution.js';
import { decodeVectorCursorWithEpochs } from './vector-cursor.js';

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Event { cursor: String! kind: String! name: String }
  type Subscription { events: Event! }
`);
/** The "name" a principal is shown: what the access rules decided (here: the principal's own view). */
const args = (principalView: string): ExecutionArgs => ({
  schema,
  document: parse('subscription { events { cursor kind again: cursor name } }'),
  fieldResolver: (source, _args, _ctx, info) =>
    info.fieldName === 'events'
      ? source
      : info.fieldName === 'name'
        ? principalView
        : (source as never)[info.fieldName],
});
const event = (seq: number, cursor: string): ClientEvent<unknown> => ({
  cursor,
  kind: 'PLANNED',
  at: '2030-03-01T08:00:00Z',
  province: '130000',
  seq,
  resolved: {},
});
const payload = (result: object) =>
  JSON.parse((result as { [SERIALISED_PAYLOAD]: readonly string[] })[SERIALISED_PAYLOAD].join(''));

describe('the shared execution of subscription events', () => {
  it("should execute and serialise an event once per principal and operation, each client's cursor in its own bytes", () => {
    const shared = new SharedExecution();
    const officerA = shared.acquire(args('陈国强'), 'city:110105:');
    const officerB = shared.acquire(args('陈国强'), 'city:110105:');
    const other = shared.acquire(args('陈**'), 'province:450000:');
    expect(officerB).toBe(officerA);
    expect(other).not.toBe(officerA);

    const a = payload(officerA.run(event(7, 'cursor-of-a')));
    const b = payload(officerB.run(event(7, 'cursor "of" b')));
    const c = payload(other.run(event(7, 'cursor-of-c')));
    expect(shared.executions).toBe(2);
    expect(a).toEqual({
      data: { events: { cursor: 'cursor-of-a', kind: 'PLANNED', again: 'cursor-of-a', name: '陈国强' } },
    });
    expect(b.data.events).toEqual({
      cursor: 'cursor "of" b',
      kind: 'PLANNED',
      again: 'cursor "of" b',
      name: '陈国强',
    });
    // Another principal never gets the first one's bytes: its own execution, its own view.
    expect(c.data.events.name).toBe('陈**');

    shared.release(officerA);
    shared.release(officerB);
    shared.release(other);
    expect(shared.size).toBe(0);
  });
});

describe('cursor states', () => {
  it('should give clients with the same history one state (one encoding) and keep different histories apart', () => {
    const start = () =>
      CursorState.EMPTY.withPosition('130000', 4).withEpoch('130000', 'e1').withPosition('410000', 9);
    const a = start().withPosition('130000', 5);
    const b = start().withPosition('130000', 5);
    const c = start().withPosition('410000', 10);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(decodeVectorCursorWithEpochs(a.cursor)).toEqual({
      positions: new Map([
        ['130000', 5],
        ['410000', 9],
      ]),
      epochs: new Map([['130000', 'e1']]),
    });
    expect(decodeVectorCursorWithEpochs(c.cursor).positions.get('410000')).toBe(10);
    expect(CursorState.of(a.positions, a.epochs).cursor).toBe(a.cursor);
  });
});
