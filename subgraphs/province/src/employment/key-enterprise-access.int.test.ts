/**
 * Who may make an enterprise a key enterprise (#15, `setKeyEnterprise`, `write-rules.ts`), as
 * Guangdong (440000) judges it on its own records, with assertions signed by a test gateway key:
 * the officers of the enterprise's province or city (or county) may; another city of the same
 * province, the enterprise itself, another enterprise, the ministry, a worker, the gateway's system
 * caller and the relay may not, and a refusal writes nothing (no key, no counter delta). Through
 * the real gateway: scripts/src/e2e/authorization-table.ts.
 */
import { RELAY_CALLER, SYSTEM_CALLER, type Caller } from '@p2p/schema';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprises, statDelta } from '../db/schema/index.js';
import {
  expectData,
  expectError,
  signedRequests,
  startSignedTestProvince,
  type SignedRequests,
  type SignedTestProvince,
} from '../testing/index.js';

const GD = '440000';
const GUANGDONG: Caller = { subject: 'gd', role: 'province', region: GD };
const SHENZHEN: Caller = { subject: 'sz', role: 'city', region: '440300' }; // the enterprise's city
const NANSHAN: Caller = { subject: 'ns', role: 'city', region: '440305' }; // its county
const DONGGUAN: Caller = { subject: 'dg', role: 'city', region: '441900' }; // another city of Guangdong
const GUANGXI: Caller = { subject: 'gx', role: 'province', region: '450000' };
const MINISTRY: Caller = { subject: 'm', role: 'ministry' };
const WORKER: Caller = { subject: 'w', role: 'worker', region: GD, workerId: 'W44-someworker000001' };

const REGISTER = `mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }`;
const SET_KEY = `mutation($e: ID!, $k: Boolean!) { setKeyEnterprise(enterpriseId: $e, key: $k) { id key } }`;

let signed: SignedTestProvince;
let gd: SignedRequests;
let factory: string;
let other: string;
const keyOf = async (id: string) =>
  (
    await signed.service.db.db
      .select({ key: enterprises.key })
      .from(enterprises)
      .where(eq(enterprises.id, id))
  )[0]!.key;
const deltaRows = async () =>
  Number((await signed.service.db.db.select({ n: sql<number>`count(*)` }).from(statDelta))[0]!.n);

beforeAll(async () => {
  signed = await startSignedTestProvince(GD);
  await signed.service.statistics.stop(); // no background fold: the delta rows are counted below
  gd = signedRequests(signed);
  const register = async (name: string) =>
    expectData(
      await gd.gql('employment', REGISTER, { i: { name, region: '440305003', sector: '制造' } }, SHENZHEN),
    ).registerEnterprise.id as string;
  factory = await register('南山电子厂');
  other = await register('南山纺织厂');
});
afterAll(() => signed?.close());

describe("setKeyEnterprise: the officers of the enterprise's province or city (#15)", () => {
  it.each([
    ['another city of the same province', DONGGUAN, /outside the region of city 441900/],
    ['another province', GUANGXI, /outside the region of province 450000/],
    [
      'the enterprise itself',
      () => ({ subject: 'e', role: 'enterprise', region: '440305003', enterpriseId: factory }),
      /enterprise may not/,
    ],
    [
      'another enterprise',
      () => ({ subject: 'o', role: 'enterprise', region: '440305003', enterpriseId: other }),
      /enterprise may not/,
    ],
    ['the ministry', MINISTRY, /ministry/],
    ['a worker', WORKER, /worker/],
    ["the gateway's system caller", SYSTEM_CALLER, /system caller/],
    ['the relay', RELAY_CALLER, /relay/],
  ] as [string, Caller | (() => Caller), RegExp][])(
    'should refuse %s (FORBIDDEN) and write nothing',
    async (_, who, why) => {
      const caller = typeof who === 'function' ? who() : who;
      const before = await deltaRows();
      expectError(await gd.gql('employment', SET_KEY, { e: factory, k: true }, caller), 'FORBIDDEN', why);
      expect(await keyOf(factory)).toBe(false);
      expect(await deltaRows()).toBe(before);
    },
  );

  it("should let the enterprise's province, city and county officers set it key and back", async () => {
    for (const [caller, key] of [
      [SHENZHEN, true],
      [NANSHAN, false],
      [GUANGDONG, true],
    ] as const) {
      expect(
        expectData(await gd.gql('employment', SET_KEY, { e: factory, k: key }, caller)).setKeyEnterprise,
      ).toEqual({
        id: factory,
        key,
      });
      expect(await keyOf(factory)).toBe(key);
    }
  });
});
