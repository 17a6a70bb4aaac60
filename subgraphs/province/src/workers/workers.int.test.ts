import { workerIdFor, DEV_WORKER_ID_KEY } from '@p2p/schema';
import { describe, expect, it } from 'vitest';
import { expectData, expectError, residentId, useTestProvince } from '../testing/index.js';

const REGISTER = `mutation($input: RegisterWorkerInput!, $key: String) {
  registerWorker(input: $input, idempotencyKey: $key) { id name phone status povertyStatus skills homeRegion { code } workRegion { code } registeredAt }
}`;
const REGISTER_MANY = `mutation($inputs: [RegisterWorkerInput!]!, $key: String) { registerWorkers(inputs: $inputs, idempotencyKey: $key) { id } }`;
const EMPLOY = `mutation($id: ID!, $region: RegionCode!, $enterprise: ID, $key: String) {
  reportEmployment(workerId: $id, workRegion: $region, enterpriseId: $enterprise, idempotencyKey: $key) { id status workRegion { code } employer { id } }
}`;
const HEALTH = `mutation($id: ID!, $input: HealthCheckInput!) { recordHealthCheck(workerId: $id, input: $input) { id health { code testedAt nucleicAcid } } }`;
const INTENT = `mutation($id: ID!, $input: TravelIntentInput!) {
  reportTravelIntent(workerId: $id, input: $input) { id travelIntent { earliestDate latestDate destination { code } mode declaredAt } }
}`;

let serial = 0;
/** A fresh valid registration in Liuzhou (450203). */
const worker = (over: Record<string, unknown> = {}) => ({
  name: '韦工人',
  idNumber: residentId('450203', '19880808', ++serial),
  phone: '13800138000',
  homeRegion: '450203',
  ...over,
});

const p = useTestProvince('450000');

describe('registerWorker', () => {
  it('should register a worker in his home province with an id derived from his resident ID', async () => {
    const input = worker({ povertyStatus: 'REGISTERED_POOR', skills: ['电焊', ' 电工 ', '电焊'] });
    const { registerWorker: w } = expectData(await p.gql('workers', REGISTER, { input }));
    expect(w.id).toBe(workerIdFor(input.idNumber as string, '450000', DEV_WORKER_ID_KEY));
    expect(w).toMatchObject({
      name: '韦工人',
      status: 'AT_HOME',
      povertyStatus: 'REGISTERED_POOR',
      skills: ['电焊', '电工'],
      homeRegion: { code: '450203' },
      workRegion: null,
    });
    expect(new Date(w.registeredAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('should return the same worker for the same resident ID, refreshing only his phone', async () => {
    const input = worker();
    const first = expectData(await p.gql('workers', REGISTER, { input })).registerWorker;
    const before = await p.rowCounts();
    const again = expectData(
      await p.gql('workers', REGISTER, {
        input: {
          ...input,
          name: '另一个名字',
          phone: '13900139000',
          idNumber: (input.idNumber as string).toLowerCase(),
        },
      }),
    ).registerWorker;
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ name: '韦工人', phone: '13900139000' });
    expect((await p.rowCounts()).workers).toBe(before.workers);
  });

  it('should register many workers with ONE multi-row INSERT, one result per input in order', async () => {
    const inputs = [worker(), worker(), worker()];
    inputs.push({ ...inputs[0]! });
    const before = (await p.rowCounts()).workers;
    p.service.db.statements.recording = true;
    p.service.db.statements.reset();
    const { registerWorkers } = expectData(await p.gql('workers', REGISTER_MANY, { inputs }));
    const inserts = p.service.db.statements.recorded.filter((s) => /^insert into "workers"/i.test(s));
    p.service.db.statements.recording = false;
    expect(inserts).toHaveLength(1);
    expect(registerWorkers.map((w: { id: string }) => w.id)).toEqual(
      inputs.map((i) => workerIdFor(i.idNumber as string, '450000')),
    );
    expect((await p.rowCounts()).workers).toBe(before + 3);
  });
});

describe('worker updates', () => {
  it('should record employment, health and travel intent', async () => {
    const { id } = expectData(await p.gql('workers', REGISTER, { input: worker() })).registerWorker;
    const employed = expectData(
      await p.gql('workers', EMPLOY, { id, region: '440103001', enterprise: 'E44-0123456789abcdef' }),
    ).reportEmployment;
    expect(employed).toEqual({
      id,
      status: 'AT_WORK',
      workRegion: { code: '440103001' },
      employer: { id: 'E44-0123456789abcdef' },
    });
    const checked = expectData(
      await p.gql('workers', HEALTH, {
        id,
        input: {
          code: 'GREEN',
          issuedBy: '450000',
          checkedAt: '2020-02-20T08:00:00+08:00',
          validUntil: '2020-02-27T08:00:00+08:00',
          nucleicAcid: 'NEGATIVE',
          testedAt: '2020-02-20T08:00:00+08:00',
        },
      }),
    ).recordHealthCheck;
    expect(checked.health).toEqual({
      code: 'GREEN',
      testedAt: '2020-02-20T00:00:00.000Z',
      nucleicAcid: 'NEGATIVE',
    });
    const older = expectData(
      await p.gql('workers', HEALTH, {
        id,
        input: {
          code: 'YELLOW',
          issuedBy: '450000',
          checkedAt: '2020-02-10T08:00:00+08:00',
          validUntil: '2020-02-17T08:00:00+08:00',
        },
      }),
    ).recordHealthCheck;
    expect(older.health.code).toBe('GREEN');
    const intent = expectData(
      await p.gql('workers', INTENT, {
        id,
        input: { earliestDate: '2020-02-20', latestDate: '2020-02-25', destination: '440100', mode: 'BUS' },
      }),
    ).reportTravelIntent;
    expect(intent.travelIntent).toMatchObject({
      earliestDate: '2020-02-20',
      latestDate: '2020-02-25',
      destination: { code: '440100' },
      mode: 'BUS',
    });
  });
});

describe('validation', () => {
  const long = (n: number) => '张'.repeat(n);
  const cases: [string, string, Record<string, unknown>, string][] = [
    [
      'a wrong check digit',
      REGISTER,
      { input: worker({ idNumber: '450203198808080010' }) },
      'BAD_USER_INPUT',
    ],
    [
      'a resident ID of 17 characters',
      REGISTER,
      { input: worker({ idNumber: '45020319880808001' }) },
      'BAD_USER_INPUT',
    ],
    ['a malformed region code', REGISTER, { input: worker({ homeRegion: '4502' }) }, 'BAD_USER_INPUT'],
    [
      'a region code that does not exist',
      REGISTER,
      { input: worker({ homeRegion: '459999' }) },
      'BAD_USER_INPUT',
    ],
    [
      'a home region of another province',
      REGISTER,
      { input: worker({ homeRegion: '440103' }) },
      'WRONG_PROVINCE',
    ],
    ['an empty name', REGISTER, { input: worker({ name: '  ' }) }, 'BAD_USER_INPUT'],
    ['a name over 64 characters', REGISTER, { input: worker({ name: long(65) }) }, 'BAD_USER_INPUT'],
    [
      'a phone that is not a mainland mobile',
      REGISTER,
      { input: worker({ phone: '0771-1234567' }) },
      'BAD_USER_INPUT',
    ],
    ['a phone of 10 digits', REGISTER, { input: worker({ phone: '1380013800' }) }, 'BAD_USER_INPUT'],
    [
      'more than 20 skills',
      REGISTER,
      { input: worker({ skills: Array.from({ length: 21 }, (_, i) => `技能${i}`) }) },
      'BAD_USER_INPUT',
    ],
    ['a skill over 32 characters', REGISTER, { input: worker({ skills: [long(33)] }) }, 'BAD_USER_INPUT'],
    [
      'one bad registration in a bulk',
      REGISTER_MANY,
      { inputs: [worker(), worker({ phone: '123' })] },
      'BAD_USER_INPUT',
    ],
    [
      'a bulk spanning two provinces',
      REGISTER_MANY,
      { inputs: [worker(), worker({ homeRegion: '440103' })] },
      'WRONG_PROVINCE',
    ],
    [
      'employment of an unknown worker',
      EMPLOY,
      { id: 'W45-unknownworker00000', region: '450203' },
      'NOT_FOUND',
    ],
    ['employment of a malformed worker id', EMPLOY, { id: 'nobody', region: '450203' }, 'BAD_USER_INPUT'],
    [
      "employment of another province's worker",
      EMPLOY,
      { id: 'W44-someoneelse0000000', region: '450203' },
      'WRONG_PROVINCE',
    ],
    [
      'an enterprise id that is a trip id',
      EMPLOY,
      { id: 'W45-unknownworker00000', region: '450203', enterprise: 'T45-0123456789abcdef' },
      'BAD_USER_INPUT',
    ],
  ];
  it.each(cases)('should refuse %s and write nothing', async (_label, query, variables, code) => {
    const before = await p.fingerprint();
    expectError(await p.gql('workers', query, variables), code);
    expect(await p.fingerprint()).toBe(before);
  });

  it('should refuse bad health checks, travel intents and unknown local enterprises, writing nothing', async () => {
    const { id } = expectData(await p.gql('workers', REGISTER, { input: worker() })).registerWorker;
    const before = await p.fingerprint();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expectError(
      await p.gql('workers', HEALTH, {
        id,
        input: { code: 'GREEN', issuedBy: '450000', checkedAt: future, validUntil: future },
      }),
      'BAD_USER_INPUT',
      /future/,
    );
    expectError(
      await p.gql('workers', HEALTH, {
        id,
        input: {
          code: 'GREEN',
          issuedBy: '450000',
          checkedAt: '2020-02-20 08:00',
          validUntil: '2020-02-27T08:00:00',
        },
      }),
      'BAD_USER_INPUT',
    );
    expectError(
      await p.gql('workers', HEALTH, {
        id,
        input: {
          code: 'BLUE',
          issuedBy: '450000',
          checkedAt: '2020-02-20T08:00:00Z',
          validUntil: '2020-02-21T08:00:00Z',
        },
      }),
      'BAD_USER_INPUT',
    );
    expectError(
      await p.gql('workers', INTENT, {
        id,
        input: { earliestDate: '2020-02-25', latestDate: '2020-02-20', destination: '440100' },
      }),
      'BAD_USER_INPUT',
      /latestDate/,
    );
    expectError(
      await p.gql('workers', INTENT, {
        id,
        input: { earliestDate: '2020-02-30', latestDate: '2020-03-02', destination: '440100' },
      }),
      'BAD_USER_INPUT',
    );
    expectError(
      await p.gql('workers', EMPLOY, { id, region: '450203', enterprise: 'E45-0123456789abcdef' }),
      'NOT_FOUND',
    );
    expect(await p.fingerprint()).toBe(before);
  });

  it('should report a RegionCode literal rejected during validation as BAD_USER_INPUT with HTTP 200', async () => {
    const answer = await p.gql('workers', '{ workers(homeRegion: "459999") { totalCount } }');
    expect(answer.status).toBe(200);
    expectError(answer, 'BAD_USER_INPUT', /459999/);
  });

  it('should report WRONG_PROVINCE with a message naming the owner', async () => {
    const error = expectError(
      await p.gql('workers', EMPLOY, { id: 'W44-someoneelse0000000', region: '450203' }),
      'WRONG_PROVINCE',
    );
    expect(error.message).toMatch(/belongs to province 440000; send it there/);
  });
});

describe('idempotency keys', () => {
  it('should return the first result for the same key and write once', async () => {
    const input = worker();
    const first = expectData(await p.gql('workers', REGISTER, { input, key: 'reg-1' })).registerWorker;
    const before = await p.rowCounts();
    const again = expectData(await p.gql('workers', REGISTER, { input, key: 'reg-1' })).registerWorker;
    expect(again.id).toBe(first.id);
    expect(await p.rowCounts()).toEqual(before);
  });

  it('should refuse a key used for another operation or other input with IDEMPOTENCY_CONFLICT', async () => {
    const { id } = expectData(
      await p.gql('workers', REGISTER, { input: worker(), key: 'reg-2' }),
    ).registerWorker;
    const before = await p.fingerprint();
    expectError(
      await p.gql('workers', EMPLOY, { id, region: '450203', key: 'reg-2' }),
      'IDEMPOTENCY_CONFLICT',
      /registerWorker/,
    );
    expectError(await p.gql('workers', REGISTER, { input: worker(), key: 'reg-2' }), 'IDEMPOTENCY_CONFLICT');
    expect(await p.fingerprint()).toBe(before);
  });

  it('should run concurrent calls with one key once: the others wait and replay it', async () => {
    const input = worker();
    const before = (await p.rowCounts()).idempotencyKeys;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => p.gql('workers', REGISTER, { input, key: 'reg-race' })),
    );
    const ids = answers.map((a) => expectData(a).registerWorker.id);
    expect(new Set(ids).size).toBe(1);
    expect((await p.rowCounts()).idempotencyKeys).toBe(before + 1);
  });

  it('should leave the key unused when the mutation fails', async () => {
    expectError(
      await p.gql('workers', REGISTER, { input: worker({ phone: 'x' }), key: 'reg-3' }),
      'BAD_USER_INPUT',
    );
    expectData(await p.gql('workers', REGISTER, { input: worker(), key: 'reg-3' }));
  });
});
