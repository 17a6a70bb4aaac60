import { CheckFailure } from '../check-failure.js';
import type { ConformanceCheck } from '../check.js';
import { kitIdempotencyKey } from '../province-link.js';
import { codesOf, countTrips, expectRefusedWith, kitTripInput, PLAN_TRIP } from './records-requests.js';

/**
 * The same idempotency key returns the first result and writes once; the same key with other
 * input is `IDEMPOTENCY_CONFLICT`. Shown on `planTrip` (each call without a key plans another trip,
 * so a second write would show in the count) and on `registerWorker`.
 */

const REGISTER = `mutation KitRegisterKeyed($input: RegisterWorkerInput!, $key: String) {
  registerWorker(input: $input, idempotencyKey: $key) { id }
}`;

const sameKey: ConformanceCheck = {
  id: 'idempotency.same-key',
  title:
    'the same idempotency key returns the first result and writes once; with other input it is IDEMPOTENCY_CONFLICT',
  writes: true,
  async run(kit) {
    const officer = kit.callers.provinceOfficer;
    const origin = kit.regions.testCounty;
    const key = kitIdempotencyKey(kit.runId);
    const input = kitTripInput(kit);
    const before = await countTrips(kit, origin);
    const first = await kit.link.data('transport', PLAN_TRIP, { input, key }, officer);
    const firstId = first.data.planTrip?.id;
    if (typeof firstId !== 'string')
      throw new CheckFailure('planTrip must answer the new trip with its id', first.exchange);
    kit.records.planned(firstId);
    const again = await kit.link.query('transport', PLAN_TRIP, { input, key }, officer);
    const againId = again.data?.planTrip?.id;
    if (typeof againId === 'string' && againId !== firstId) kit.records.planned(againId);
    if (again.errors?.length || againId !== firstId)
      throw new CheckFailure(
        `planTrip sent again with the same idempotency key and input must answer the first result (trip ${firstId}); got ${again.errors?.length ? codesOf(again).join(', ') : `trip ${againId}`}`,
        again.exchange,
      );
    const after = await countTrips(kit, origin);
    if (after !== before + 1)
      throw new CheckFailure(
        `planTrip twice with one idempotency key must plan one trip: trips(origin: ${origin}) counted ${before} before and ${after} after`,
        again.exchange,
      );
    const other = await kit.link.query(
      'transport',
      PLAN_TRIP,
      { input: { ...input, capacity: Number(input.capacity) + 1 }, key },
      officer,
    );
    const otherId = other.data?.planTrip?.id;
    if (typeof otherId === 'string' && otherId !== firstId) kit.records.planned(otherId);
    expectRefusedWith(
      other,
      ['IDEMPOTENCY_CONFLICT'],
      'planTrip with an idempotency key already used for other input',
    );

    const workerKey = kitIdempotencyKey(kit.runId);
    const worker = kit.records.newWorkerInput();
    const registered = await kit.link.data('workers', REGISTER, { input: worker, key: workerKey }, officer);
    const workerId = registered.data.registerWorker?.id;
    // A kit worker like the others (test county, kit name): listed so later checks count it.
    if (typeof workerId === 'string') kit.records.workers.push({ id: workerId, ...worker });
    const repeated = await kit.link.query('workers', REGISTER, { input: worker, key: workerKey }, officer);
    if (typeof workerId !== 'string' || repeated.data?.registerWorker?.id !== workerId)
      throw new CheckFailure(
        'registerWorker sent again with the same idempotency key and input must answer the first worker',
        repeated.exchange,
      );
    expectRefusedWith(
      await kit.link.query(
        'workers',
        REGISTER,
        { input: kit.records.newWorkerInput(), key: workerKey },
        officer,
      ),
      ['IDEMPOTENCY_CONFLICT'],
      'registerWorker with an idempotency key already used for another worker',
    );
  },
};

/** The idempotency checks. */
export const IDEMPOTENCY_CHECKS: readonly ConformanceCheck[] = [sameKey];
