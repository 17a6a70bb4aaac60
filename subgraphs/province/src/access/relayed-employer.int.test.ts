/**
 * An employer's right to a worker's record (#11.4: "the enterprise that employs him") is the home
 * side's record of his employment (`reportEmployment`), never the enterprise's own claim. Since the
 * relay (#13), an enterprise's claim reaches the home record too: `reportStaffChange(ON_POST)` and
 * `confirmOnPost` move him AT_WORK and name the enterprise his employer. Worker ids are public
 * (every person reads a trip's passengers), so if that claim opened his record, any enterprise could
 * read anyone's resident ID, phone and health by reporting him on its staff. Signed requests over
 * real HTTP, Guangxi (450000) serving; Beijing (110000) a relay source.
 */
import { encodeId, type Caller, type StaffFact } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectData,
  residentId,
  signedRequests,
  startSignedTestProvince,
  type SignedRequests,
  type SignedTestProvince,
} from '../testing/index.js';

const GX = '450000';
const LIUZHOU: Caller = { subject: 'lz', role: 'city', region: '450200' };

const SENSITIVE = `query($id: ID!) { worker(id: $id) { name idNumber phone povertyStatus health { code } status employer { id } } }`;

let signed: SignedTestProvince;
let gx: SignedRequests;
let serial = 0;
let factory: string;
let FACTORY: Caller;

/** Registers a Liuzhou worker with a health record; his input and id. */
async function liuzhouWorker() {
  serial++;
  const input = {
    name: `韦工${serial}`,
    idNumber: residentId('450203', '19910101', serial),
    phone: `1390077${String(5000 + serial)}`,
    homeRegion: '450203',
  };
  const id = expectData(
    await gx.gql(
      'workers',
      'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }',
      { i: input },
      LIUZHOU,
    ),
  ).registerWorker.id as string;
  expectData(
    await gx.gql(
      'workers',
      `mutation($w: ID!) { recordHealthCheck(workerId: $w, input: { code: GREEN, issuedBy: "450000", checkedAt: "2020-02-19T09:00:00+08:00", validUntil: "2020-02-26T09:00:00+08:00" }) { id } }`,
      { w: id },
      LIUZHOU,
    ),
  );
  return { input, id };
}

const read = async (id: string, caller: Caller) =>
  expectData(await gx.gql('workers', SENSITIVE, { id }, caller)).worker;

/** What "any other enterprise" sees: status only, the rest masked or hidden. */
function expectClosed(
  seen: Record<string, unknown>,
  input: { name: string; idNumber: string; phone: string },
) {
  expect(seen.idNumber).not.toBe(input.idNumber);
  expect(seen.phone).not.toBe(input.phone);
  expect(seen.name).not.toBe(input.name);
  expect(seen.health).toBeNull();
  expect(seen.employer).toBeNull();
}

beforeAll(async () => {
  signed = await startSignedTestProvince(GX);
  gx = signedRequests(signed);
  factory = expectData(
    await gx.gql(
      'employment',
      'mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }',
      { i: { name: '柳州某厂', region: '450203', sector: '制造' } },
      LIUZHOU,
    ),
  ).registerEnterprise.id;
  FACTORY = { subject: 'factory', role: 'enterprise', region: '450200', enterpriseId: factory };
});
afterAll(() => signed?.close());

describe("an enterprise's own claim of employment (review of #13)", () => {
  it('should not open a worker to an enterprise that reports him on its staff itself', async () => {
    const { input, id } = await liuzhouWorker();
    expectData(
      await gx.gql(
        'employment',
        `mutation($e: ID!, $w: ID!) { reportStaffChange(enterpriseId: $e, workerId: $w, change: ON_POST) { id } }`,
        { e: factory, w: id },
        FACTORY,
      ),
    );
    // the home record follows the report (status, employer) ...
    expect(await read(id, LIUZHOU)).toMatchObject({ status: 'AT_WORK', employer: { id: factory } });
    // ... but the enterprise's claim opens nothing of his
    expectClosed(await read(id, FACTORY), input);
  });

  it('should not open a worker to an enterprise that files for him with his resident ID alone and confirms him on post', async () => {
    const { input, id } = await liuzhouWorker();
    const filed = expectData(
      await gx.gql(
        'employment',
        `mutation($i: FileReturnRequestInput!) { fileReturnRequest(input: $i) { id worker { id } } }`,
        {
          i: {
            enterpriseId: factory,
            worker: { ...input, name: '某某', phone: '13800000000' },
            plannedReturnDate: '2020-02-23',
            departureRegion: '450203',
          },
        },
        FACTORY,
      ),
    ).fileReturnRequest;
    expect(filed.worker.id).toBe(id);
    expectData(
      await gx.gql(
        'employment',
        'mutation($id: ID!) { confirmOnPost(returnRequestId: $id) { id } }',
        { id: filed.id },
        FACTORY,
      ),
    );
    expect(await read(id, LIUZHOU)).toMatchObject({ status: 'AT_WORK', employer: { id: factory } });
    expectClosed(await read(id, FACTORY), input);
  });

  it("should not open a worker to another province's enterprise whose STAFF fact the relay brings", async () => {
    const { input, id } = await liuzhouWorker();
    const beijingFirm = encodeId('Enterprise', '110000');
    const fact: StaffFact = {
      fact: 'STAFF',
      enterpriseId: beijingFirm,
      workRegion: '110105',
      workerId: id,
      change: 'ON_POST',
    };
    const applied = await gx.relay('/relay/apply', {
      source: '110000',
      epoch: 'beijing-epoch',
      after: 0,
      events: [{ seq: 1, at: new Date().toISOString(), fact }],
    });
    expect(applied).toMatchObject({ status: 200, body: { appliedNow: 1 } });
    expect(await read(id, LIUZHOU)).toMatchObject({ status: 'AT_WORK', employer: { id: beijingFirm } });
    const BEIJING_FIRM: Caller = {
      subject: 'bj',
      role: 'enterprise',
      region: '110105',
      enterpriseId: beijingFirm,
    };
    expectClosed(await read(id, BEIJING_FIRM), input);
  });

  it('should still open a worker to the employer his home side recorded (reportEmployment)', async () => {
    const { input, id } = await liuzhouWorker();
    expectData(
      await gx.gql(
        'workers',
        `mutation($w: ID!, $e: ID) { reportEmployment(workerId: $w, workRegion: "450203", enterpriseId: $e) { id } }`,
        { w: id, e: factory },
        LIUZHOU,
      ),
    );
    expect(await read(id, FACTORY)).toMatchObject({
      name: input.name,
      idNumber: input.idNumber,
      phone: input.phone,
      health: { code: 'GREEN' },
      employer: { id: factory },
    });
  });
});
