/**
 * Who may start, end and read an observation (#14.4, `observation-rules.ts`, `write-rules.ts`), as
 * Guangdong (440000) judges it on its own records, with assertions signed by a test gateway key:
 * the officers of the place of observation (Shenzhen) run and list them; another city of the same
 * province (Dongguan) may not; the worker's home officers (Guangxi, Liuzhou) read the record once
 * his home confirmed it; the worker reads his own; the ministry only aggregates. Through the real
 * gateway: scripts/src/e2e/observation.e2e.test.ts and the authorization table.
 */
import { RELAY_CALLER, SYSTEM_CALLER, type Caller } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observations } from '../db/schema/index.js';
import {
  applyFactsTo,
  expectData,
  expectError,
  residentId,
  signedRequests,
  startSignedTestProvince,
  type SignedRequests,
  type SignedTestProvince,
} from '../testing/index.js';

const GD = '440000';
const GUANGDONG: Caller = { subject: 'gd', role: 'province', region: GD };
const SHENZHEN: Caller = { subject: 'sz', role: 'city', region: '440300' };
const NANSHAN: Caller = { subject: 'ns', role: 'city', region: '440305' };
const DONGGUAN: Caller = { subject: 'dg', role: 'city', region: '441900' };
const GUANGXI: Caller = { subject: 'gx', role: 'province', region: '450000' };
const LIUZHOU: Caller = { subject: 'lz', role: 'city', region: '450200' };
const GUILIN: Caller = { subject: 'gl', role: 'city', region: '450300' };
const MINISTRY: Caller = { subject: 'm', role: 'ministry' };
const ENTERPRISE: Caller = {
  subject: 'e',
  role: 'enterprise',
  region: '440305003',
  enterpriseId: 'E44-someenterprise01',
};
/** A Guangxi worker (home Liuzhou, 450203) who travelled to Shenzhen, and his own token. */
const HIS_ID = 'W45-travellerliuzhou1';
const HIMSELF: Caller = { subject: 'w', role: 'worker', region: '450000', workerId: HIS_ID };
const ANOTHER_WORKER: Caller = {
  subject: 'w2',
  role: 'worker',
  region: '450000',
  workerId: 'W45-anotherworker001',
};

const START = `mutation($i: StartObservationInput!) { startObservation(input: $i) { id } }`;
const END = `mutation($o: ID!) { endObservation(observationId: $o, outcome: TRANSFERRED_TO_HOSPITAL) { id active } }`;
const ONE = `query($id: ID!) { observation(id: $id) { id site worker { id } } }`;
const LIST = `query($r: RegionCode!) { observations(region: $r, active: true) { totalCount edges { node { id } } } }`;
const REFERENCE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Observation { id site } } }`;
const input = (workerId: string, region = '440305') => ({
  workerId,
  region,
  kind: 'CENTRALISED',
  site: '南山隔离酒店',
});

let signed: SignedTestProvince;
let gd: SignedRequests;
let observation: string;
const rowCount = async () => (await signed.service.db.db.select().from(observations)).length;

beforeAll(async () => {
  signed = await startSignedTestProvince(GD);
  gd = signedRequests(signed);
  observation = expectData(await gd.gql('health', START, { i: input(HIS_ID) }, SHENZHEN)).startObservation.id;
});
afterAll(() => signed?.close());

describe('startObservation and endObservation: the officers of the place of observation (#14.4)', () => {
  it.each([
    ['another city of the same province', DONGGUAN],
    ["the worker's home province", GUANGXI],
    ["the worker's home city", LIUZHOU],
    ['the ministry', MINISTRY],
    ['an enterprise of the district', ENTERPRISE],
    ['the worker himself', HIMSELF],
    ['the relay', RELAY_CALLER],
    ["the gateway's system caller", SYSTEM_CALLER],
  ])('should refuse %s (FORBIDDEN) and write nothing', async (_who, caller) => {
    const before = await rowCount();
    expectError(
      await gd.gql('health', START, { i: input('W45-someoneelse00001') }, caller),
      'FORBIDDEN',
      /startObservation/,
    );
    expectError(await gd.gql('health', END, { o: observation }, caller), 'FORBIDDEN', /endObservation/);
    expect(await rowCount()).toBe(before);
  });

  it('should let the province, the city and the district of the place start one', async () => {
    for (const [caller, worker] of [
      [GUANGDONG, 'W45-startedbygd00001'],
      [NANSHAN, 'W45-startedbyns00001'],
    ] as const)
      expectData(await gd.gql('health', START, { i: input(worker) }, caller));
    // Dongguan may start one in Dongguan
    expectData(await gd.gql('health', START, { i: input('W45-startedbydg00001', '441900') }, DONGGUAN));
  });

  it('should tell Dongguan only that he is already observed in the province, not which observation (attacker read)', async () => {
    const again = { ...input(HIS_ID, '441900'), site: '东莞某酒店' };
    const probe = expectError(
      await gd.gql('health', START, { i: again }, DONGGUAN),
      'CONFLICT',
      /already under observation in province/,
    );
    expect(probe.message).not.toContain(observation);
    expect(probe.extensions).not.toHaveProperty('observationId');
    // Shenzhen, where it runs, is told which
    const own = expectError(await gd.gql('health', START, { i: input(HIS_ID) }, SHENZHEN), 'CONFLICT');
    expect(own.extensions).toMatchObject({ observationId: observation });
  });

  it("should let the place of observation end one, but not Dongguan's officer one in Shenzhen", async () => {
    const id = expectData(await gd.gql('health', START, { i: input('W45-toendinsz000001') }, NANSHAN))
      .startObservation.id;
    expectError(
      await gd.gql('health', END, { o: id }, DONGGUAN),
      'FORBIDDEN',
      /outside the region of city 441900/,
    );
    expect(expectData(await gd.gql('health', END, { o: id }, SHENZHEN)).endObservation).toEqual({
      id,
      active: false,
    });
  });
});

describe('reading an observation (#14.4)', () => {
  const read = (caller: Caller) => gd.gql('health', ONE, { id: observation }, caller);
  const reference = (caller: Caller) =>
    gd.gql('health', REFERENCE, { r: [{ __typename: 'Observation', id: observation }] }, caller);

  it("should refuse the worker's home officers until his home confirmed it, then let them read it", async () => {
    expectError(await read(LIUZHOU), 'FORBIDDEN');
    expectError(await reference(GUANGXI), 'FORBIDDEN');
    await applyFactsTo(signed.service, '450000', [
      { fact: 'OBSERVATION_HOME', observationId: observation, workerId: HIS_ID, homeRegion: '450203' },
    ]);
    for (const caller of [LIUZHOU, GUANGXI]) {
      expect(expectData(await read(caller)).observation).toMatchObject({
        id: observation,
        worker: { id: HIS_ID },
      });
      expect(expectData(await reference(caller))._entities).toEqual([
        { id: observation, site: '南山隔离酒店' },
      ]);
    }
    expectError(await read(GUILIN), 'FORBIDDEN');
  });

  it('should let the officers of the place and the worker himself read it, by id and by reference', async () => {
    for (const caller of [GUANGDONG, SHENZHEN, NANSHAN, HIMSELF]) {
      expect(expectData(await read(caller)).observation.id).toBe(observation);
      expect(expectData(await reference(caller))._entities).toEqual([
        { id: observation, site: '南山隔离酒店' },
      ]);
    }
  });

  it.each([
    ['another city of the same province', DONGGUAN],
    ['the ministry (aggregates only)', MINISTRY],
    ['an enterprise', ENTERPRISE],
    ['another worker', ANOTHER_WORKER],
    ['the relay', RELAY_CALLER],
    ["the gateway's system caller", SYSTEM_CALLER],
  ])('should refuse %s, by id and by reference (FORBIDDEN)', async (_who, caller) => {
    const one = expectError(await read(caller), 'FORBIDDEN');
    expect(one.message).not.toContain('南山');
    expectError(await reference(caller), 'FORBIDDEN');
  });
});

describe('observations(region): the officers of the place only (#14.4)', () => {
  const list = (caller: Caller, region = '440300') => gd.gql('health', LIST, { r: region }, caller);

  it('should list for the province, the city and the district', async () => {
    for (const [caller, region] of [
      [GUANGDONG, '440000'],
      [SHENZHEN, '440300'],
      [NANSHAN, '440305'],
    ] as const) {
      const ids = expectData(await list(caller, region)).observations.edges.map(
        (e: { node: { id: string } }) => e.node.id,
      );
      expect(ids).toContain(observation);
    }
  });

  it.each([
    ['another city of the same province', DONGGUAN],
    ["the worker's home officers", LIUZHOU],
    ['the ministry (aggregates only)', MINISTRY],
    ['an enterprise', ENTERPRISE],
    ['the worker himself', HIMSELF],
    ['the relay', RELAY_CALLER],
  ])('should refuse %s (FORBIDDEN)', async (_who, caller) => {
    expectError(await list(caller), 'FORBIDDEN', /observations/);
  });

  it("should refuse a district's officer the whole city", async () => {
    expectError(await list(NANSHAN, '440300'), 'FORBIDDEN');
  });
});

describe('Worker.observation: health data of his home record (#14.4)', () => {
  it('should show it to his home officers and himself; hide it from the ministry (aggregates only) and another city', async () => {
    const person = {
      name: '深工',
      idNumber: residentId('440303', '19920101', 7),
      phone: '13800440303',
      homeRegion: '440303',
    };
    const { registerWorker } = expectData(
      await gd.gql(
        'workers',
        'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }',
        { i: person },
        GUANGDONG,
      ),
    );
    const id = expectData(await gd.gql('health', START, { i: input(registerWorker.id, '440303') }, SHENZHEN))
      .startObservation.id;
    const RECORD = `query($id: ID!) { worker(id: $id) { status observation { id } } }`;
    const himself: Caller = { subject: 'sw', role: 'worker', region: GD, workerId: registerWorker.id };
    for (const caller of [SHENZHEN, himself])
      expect(expectData(await gd.gql('workers', RECORD, { id: registerWorker.id }, caller)).worker).toEqual({
        status: 'OBSERVATION',
        observation: { id },
      });
    for (const caller of [MINISTRY, DONGGUAN])
      expect(expectData(await gd.gql('workers', RECORD, { id: registerWorker.id }, caller)).worker).toEqual({
        status: 'OBSERVATION',
        observation: null,
      });
  });
});
