/**
 * A worker fills one opening of an enterprise, however many requests it filed for him (#13.3,
 * review): the same person filed twice (two keys, or none) and confirmed on post twice would count
 * two filled openings for one worker. Over the province's GraphQL on real HTTP.
 */
import { describe, expect, it } from 'vitest';
import { expectData, expectError, residentId, useTestProvince } from '../testing/index.js';

const p = useTestProvince('410000');

const FILE = `mutation($i: FileReturnRequestInput!, $k: String) { fileReturnRequest(input: $i, idempotencyKey: $k) { id } }`;
const ON_POST = `mutation($id: ID!) { confirmOnPost(returnRequestId: $id) { id status enterprise { filled } } }`;
const STAFF = `mutation($e: ID!, $w: ID!, $c: StaffChange!) { reportStaffChange(enterpriseId: $e, workerId: $w, change: $c) { id filled } }`;

describe('a worker on post fills one opening (review of #13)', () => {
  it('should refuse to confirm a second request for a worker already on post there, and count him once; a return after he left counts again', async () => {
    const factory = expectData(
      await p.gql(
        'employment',
        'mutation { registerEnterprise(input: { name: "郑州某厂", region: "410105", sector: "制造" }) { id } }',
      ),
    ).registerEnterprise.id as string;
    expectData(
      await p.gql(
        'employment',
        'mutation($e: ID!) { reportLaborDemand(enterpriseId: $e, openings: 5) { id } }',
        {
          e: factory,
        },
      ),
    );
    const worker = {
      name: '李四',
      idNumber: residentId('411602', '19900101', 41),
      phone: '13800138041',
      homeRegion: '411602',
    };
    const workerId = expectData(
      await p.gql('workers', 'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }', {
        i: worker,
      }),
    ).registerWorker.id as string;
    const file = async (k?: string) =>
      expectData(
        await p.gql('employment', FILE, {
          i: { enterpriseId: factory, worker, plannedReturnDate: '2020-02-22', departureRegion: '411602' },
          k,
        }),
      ).fileReturnRequest.id as string;
    const [first, second] = [await file('hr-1'), await file('hr-2')];
    expect(second).not.toBe(first);
    expect(
      expectData(await p.gql('employment', ON_POST, { id: first })).confirmOnPost.enterprise.filled,
    ).toBe(1);
    const before = await p.fingerprint();
    expectError(await p.gql('employment', ON_POST, { id: second }), 'CONFLICT', /already on post/);
    expect(await p.fingerprint()).toBe(before);

    // he leaves; a new request for him, confirmed, is a new hire
    expectData(await p.gql('employment', STAFF, { e: factory, w: workerId, c: 'LEFT' }));
    const third = await file();
    expect(
      expectData(await p.gql('employment', ON_POST, { id: third })).confirmOnPost.enterprise.filled,
    ).toBe(2);
  });
});
