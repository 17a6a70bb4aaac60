import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childRegionCodes } from '@p2p/schema';
import { emptyData, makeWorker, type ProvinceData } from '../testing/fake-data.js';
import { startHub, type Hub } from '../testing/hub-fixture.js';

const NATION = [...childRegionCodes(null)].sort();
const PARTS = `workers { registered } employment { openings } transport { inbound { trips } }`;

describe('the fetches of one operation scattered to 31 provinces (#17.3)', () => {
  let hub: Hub;
  const requests = () => NATION.reduce((n, code) => n + hub.province(code).count(), 0);

  beforeAll(async () => {
    const data: Record<string, ProvinceData> = {};
    NATION.forEach((code, i) => {
      const city = [...childRegionCodes(code)].sort()[0]!;
      data[code] = emptyData();
      for (let w = 0; w <= i % 3; w++) data[code]!.workers.push(makeWorker(city));
    });
    hub = await startHub(NATION, data);
  }, 60_000);
  afterAll(() => hub?.close());

  it("should ask each province once per part for the nation's summary and its children together", async () => {
    const query = `{ summary { scope ${PARTS} children { scope ${PARTS} } } }`;
    const before = requests();
    const res = await hub.query(query);
    expect(res.errors).toBeUndefined();
    // Three parts (workers, employment, transport), one request each per province, although the
    // query planner makes one `_entities` fetch for the nation and another for its children.
    expect(requests() - before).toBe(3 * 31);
    const children = res.data!.summary.children as { scope: string; workers: { registered: number } }[];
    expect(children.map((c) => [c.scope, c.workers.registered])).toEqual(
      NATION.map((code, i) => [code, (i % 3) + 1]),
    );
    expect(res.data!.summary.workers.registered).toBe(NATION.reduce((n, _, i) => n + (i % 3) + 1, 0));
  });

  it('should answer the same as the nation and its children asked one by one', async () => {
    const together = await hub.query(`{ summary { scope ${PARTS} children { scope ${PARTS} } } }`);
    const nation = await hub.query(`{ summary { scope ${PARTS} } }`);
    const children = await hub.query(`{ summary { children { scope ${PARTS} } } }`);
    const { children: together_children, ...together_nation } = together.data!.summary;
    expect(together_nation).toEqual(nation.data!.summary);
    expect(together_children).toEqual(children.data!.summary.children);
  });
});
