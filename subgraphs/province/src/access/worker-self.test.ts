import { encodeId, type Caller } from '@p2p/schema';
import { describe, expect, it } from 'vitest';
import { assertMaySubscribe, mayReadReturnRequest } from './read-rules.js';
import { assertWorkerMayAsk, assertWorkerMayReference, himselfAmong } from './worker-self.js';

const me = encodeId('Worker', '450000');
const other = encodeId('Worker', '450000');
const WORKER: Caller = { subject: `worker:${me}`, role: 'worker', region: '450000', workerId: me };
const forbidden = expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) });

describe('the worker role, fail closed', () => {
  it('should let him ask only for himself, his trips and his requests, refusing every other root field', () => {
    expect(() => assertWorkerMayAsk('worker', WORKER, { id: me })).not.toThrow();
    expect(() => assertWorkerMayAsk('trip', WORKER, { id: 'T45-x' })).not.toThrow();
    expect(() => assertWorkerMayAsk('returnRequest', WORKER, { id: 'R45-x' })).not.toThrow();
    // his observation, judged on the record (#14.4); never the list
    expect(() => assertWorkerMayAsk('observation', WORKER, { id: 'O44-x' })).not.toThrow();
    expect(() => assertWorkerMayAsk('worker', WORKER, { id: other })).toThrowError(forbidden);
    // #15: job posts are public ads, read by every person (a worker looking for work included)
    for (const field of ['job', 'jobs'])
      expect(() => assertWorkerMayAsk(field, WORKER, {}), field).not.toThrow();
    for (const field of [
      'workers',
      'trips',
      'returnRequests',
      'enterprises',
      'enterprise',
      'matchWorkers',
      'observations',
      // a field added later is refused until it is listed (fail closed)
      'quarantines',
    ])
      expect(() => assertWorkerMayAsk(field, WORKER, {}), field).toThrowError(forbidden);
  });

  it('should let him read by reference himself, his trips, requests, observations, enterprises and statistics; no other type', () => {
    expect(() => assertWorkerMayReference('Worker', WORKER, { id: me })).not.toThrow();
    expect(() => assertWorkerMayReference('Worker', WORKER, { id: other })).toThrowError(forbidden);
    expect(() =>
      assertWorkerMayReference('ReturnRequest', WORKER, { id: 'R45-x', worker: { id: other } }),
    ).toThrowError(forbidden);
    // each judged on its record afterwards (his trip, his request, his observation: #14.4)
    for (const typename of ['Trip', 'ReturnRequest', 'Observation', 'Enterprise', 'Summary', 'Job'])
      expect(() => assertWorkerMayReference(typename, WORKER, { id: 'x' }), typename).not.toThrow();
    // a type added later is refused until it is listed (fail closed)
    expect(() => assertWorkerMayReference('Quarantine', WORKER, { id: 'x' })).toThrowError(forbidden);
  });

  it('should show him himself alone among passengers', () => {
    const passengers = [{ worker: { id: other } }, { worker: { id: me } }, { worker: null }];
    expect(himselfAmong(WORKER, passengers)).toEqual([{ worker: { id: me } }]);
  });

  it('should refuse him every subscription, and let him read only the return requests naming him', () => {
    for (const field of ['arrivals', 'returnRequestsFiled', 'departures', 'returnRequestUpdates'])
      expect(
        () => assertMaySubscribe(field, WORKER, { origin: '450000', destination: '450000' }),
        field,
      ).toThrowError(forbidden);
    const request = {
      id: 'R45-x',
      enterpriseId: 'E45-x',
      workerHomeRegion: '450203',
      destinationRegion: '450203',
    };
    expect(mayReadReturnRequest(WORKER, { ...request, workerId: me })).toBe(true);
    expect(mayReadReturnRequest(WORKER, { ...request, workerId: other })).toBe(false);
    expect(mayReadReturnRequest({ ...WORKER, workerId: undefined }, { ...request, workerId: me })).toBe(
      false,
    );
  });
});
