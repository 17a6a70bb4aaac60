import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyData, makeTrip, makeWorker, type ProvinceData } from '../testing/fake-data.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';

const GX = '450000',
  GD = '440000';

/** A federated read whose regions (origin, destination, home regions, their parents and children) come from `national`. */
const TRIP_REGIONS = `query($id: ID!) {
  trip(id: $id) {
    id
    origin { code name level fullName __typename }
    destination { name children { code name } parent { code name level parent { name } } }
    passengers { worker { id name homeRegion { code name level fullName parent { code name } } } }
  }
}`;

describe('Region entities at the gateway', () => {
  let local: Hub;
  let remote: Hub;
  const data: Record<string, ProvinceData> = { [GX]: emptyData(), [GD]: emptyData() };
  const gxWorker = makeWorker('450203', { name: '韦小宝' });
  const gdWorker = makeWorker('440303', { name: '陈家洛' });
  const trip = makeTrip('450203', '440303', '2020-02-20T08:00:00+08:00', {
    passengers: [
      { workerId: gxWorker.id, boarded: true, temperature: 36.5 },
      { workerId: gdWorker.id, boarded: false, temperature: null },
    ],
  });

  beforeAll(async () => {
    data[GX]!.workers.push(gxWorker);
    data[GD]!.workers.push(gdWorker);
    data[GX]!.trips.push(trip);
    local = await startHub([GX, GD], data);
    remote = await startHub([GX, GD], data, { gateway: { localRegions: false } });
  });
  afterAll(async () => {
    await Promise.all([local?.close(), remote?.close()]);
  });

  it('should answer a federated read the same as national does, then still with national stopped', async () => {
    const fromNational = await remote.query(TRIP_REGIONS, { id: trip.id });
    expect(fromNational.errors).toBeUndefined();
    expect(fromNational.data!.trip.passengers[0].worker.homeRegion.name).toBe('鱼峰区');
    const atGateway = await local.query(TRIP_REGIONS, { id: trip.id });
    expect(atGateway).toEqual(fromNational);

    await local.national.close();
    await remote.national.close();
    // National is down: what only it answers fails, Region entities do not.
    const summary = await local.query('{ summary(scope: "450000") { scope } }');
    expect(summary.errors?.length).toBeGreaterThan(0);
    expect(await local.query(TRIP_REGIONS, { id: trip.id })).toEqual(fromNational);
    // With LOCAL_REGIONS=off they are national's to answer, and fail with it.
    const off = await remote.query(TRIP_REGIONS, { id: trip.id });
    expect(off.errors?.length).toBeGreaterThan(0);
  });
});
