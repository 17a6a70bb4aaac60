/**
 * Job posts (#15; reports 001, 003, 004: the Spring Breeze online job fairs): who may post, the
 * bounds of a post, `job`/`jobs` for every person, and a worker recruited through a post filling
 * it once. Signed requests over real HTTP to Guangdong (440000), access rules on; the counters
 * against the recount on an unsigned province.
 */
import type { Caller } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectCountersMatchRecords,
  expectData,
  expectError,
  residentId,
  signedRequests,
  startSignedTestProvince,
  useTestProvince,
  type SignedRequests,
  type SignedTestProvince,
} from '../testing/index.js';

const SHENZHEN: Caller = { subject: 'sz', role: 'city', region: '440300' };
const GUANGZHOU: Caller = { subject: 'gz', role: 'city', region: '440100' };
const GUANGDONG: Caller = { subject: 'gd', role: 'province', region: '440000' };
const MINISTRY: Caller = { subject: 'm', role: 'ministry' };
const WORKER: Caller = { subject: 'w', role: 'worker', region: '450000', workerId: 'W45-abcdefgh12' };

const REGISTER = `mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }`;
const POST = `mutation($e: ID!, $i: PostJobInput!, $k: String) { postJob(enterpriseId: $e, input: $i, idempotencyKey: $k) { id title openings filled skills region { code } from { code } enterprise { id } postedAt } }`;
const JOBS = `query($r: RegionCode!, $s: String, $f: Int, $a: String) { jobs(region: $r, skill: $s, first: $f, after: $a) { totalCount edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }`;
const JOB = `query($id: ID!) { job(id: $id) { id title filled enterprise { id name } } }`;

let signed: SignedTestProvince;
let gd: SignedRequests;
let factory: string;
let other: string;
let FACTORY: Caller;
let OTHER: Caller;

const post = (input: Record<string, unknown>, caller: Caller, enterpriseId = factory) =>
  gd.gql('employment', POST, { e: enterpriseId, i: input }, caller);
const WELDERS = {
  title: '电焊工',
  openings: 50,
  region: '440305',
  skills: [' 电焊 ', 'Welding'],
  from: ['450200'],
};

beforeAll(async () => {
  signed = await startSignedTestProvince('440000');
  gd = signedRequests(signed);
  const register = async (name: string, region: string, caller: Caller) =>
    expectData(await gd.gql('employment', REGISTER, { i: { name, region, sector: '制造' } }, caller))
      .registerEnterprise.id as string;
  factory = await register('深圳某电子厂', '440305', SHENZHEN);
  other = await register('广州某厂', '440106', GUANGZHOU);
  FACTORY = { subject: 'f', role: 'enterprise', region: '440305', enterpriseId: factory };
  OTHER = { subject: 'o', role: 'enterprise', region: '440106', enterpriseId: other };
});
afterAll(async () => {
  await signed?.close();
});

const totalPosts = async () =>
  expectData(await gd.gql('employment', JOBS, { r: '440000' }, MINISTRY)).jobs.totalCount as number;

describe('postJob: bounds and places', () => {
  it('should refuse each out-of-bounds field with BAD_USER_INPUT naming it, and write nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 'x'.repeat(201) }, 'input.title'],
      [{ title: '  ' }, 'input.title'],
      [{ openings: 0 }, 'input.openings'],
      [{ openings: 100_001 }, 'input.openings'],
      [{ skills: Array.from({ length: 21 }, (_, i) => `s${i}`) }, 'input.skills'],
      [{ skills: ['y'.repeat(51)] }, 'input.skills[0]'],
      [{ from: [] }, 'input.from'],
      [{ from: Array.from({ length: 32 }, () => '450200') }, 'input.from'],
    ];
    for (const [change, field] of cases) {
      const error = expectError(await post({ ...WELDERS, ...change }, FACTORY), 'BAD_USER_INPUT');
      expect(error.extensions?.field, JSON.stringify(change).slice(0, 80)).toBe(field);
    }
    expectError(await post({ ...WELDERS, region: '450203' }, FACTORY), 'WRONG_PROVINCE', /450000/);
    expect(await totalPosts()).toBe(0);
  });

  it('should keep skills trimmed, lower-cased and once; 20 skills of 50 characters and 31 regions are allowed', async () => {
    const job = expectData(await post(WELDERS, FACTORY)).postJob;
    expect(job).toMatchObject({
      title: '电焊工',
      openings: 50,
      filled: 0,
      skills: ['电焊', 'welding'],
      region: { code: '440305' },
      from: [{ code: '450200' }],
      enterprise: { id: factory },
    });
    const wide = {
      ...WELDERS,
      skills: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(50, 'k')),
      from: ['450000', ...Array.from({ length: 30 }, () => '450200')],
    };
    expect(expectData(await post(wide, FACTORY)).postJob.from).toEqual([
      { code: '450000' },
      { code: '450200' },
    ]);
  });

  it('should let the enterprise post for work elsewhere in its province (Guangzhou for a Shenzhen enterprise)', async () => {
    const job = expectData(await post({ ...WELDERS, region: '440106', skills: ['CNC'] }, FACTORY)).postJob;
    expect(job.region).toEqual({ code: '440106' });
  });

  it('should return the same post for a retry with the same idempotency key', async () => {
    const send = () => gd.gql('employment', POST, { e: factory, i: WELDERS, k: 'fair-1' }, FACTORY);
    const first = expectData(await send()).postJob.id;
    expect(expectData(await send()).postJob.id).toBe(first);
  });
});

describe('postJob: who may post', () => {
  it('should refuse another enterprise, an officer of another city of the province, the ministry and a worker, writing nothing', async () => {
    const before = await totalPosts();
    for (const caller of [OTHER, GUANGZHOU, MINISTRY, WORKER])
      expectError(await post(WELDERS, caller), 'FORBIDDEN');
    expect(await totalPosts()).toBe(before);
  });

  it("should let the enterprise's city and province officers post for it", async () => {
    for (const caller of [SHENZHEN, GUANGDONG])
      expect(expectData(await post(WELDERS, caller)).postJob.id).toMatch(/^J44-/);
  });

  it('should answer NOT_FOUND for an unknown enterprise of this province', async () => {
    expectError(await post(WELDERS, GUANGDONG, 'E44-unknownenterprise'), 'NOT_FOUND');
  });
});

describe('job and jobs: public ads', () => {
  it('should list the posts inside a region oldest first, page by page, and filter by skill without case', async () => {
    const all = expectData(await gd.gql('employment', JOBS, { r: '440000' }, FACTORY)).jobs;
    const shenzhen = expectData(await gd.gql('employment', JOBS, { r: '440300' }, OTHER)).jobs;
    const guangzhou = expectData(await gd.gql('employment', JOBS, { r: '440106' }, WORKER)).jobs;
    expect(shenzhen.totalCount + guangzhou.totalCount).toBe(all.totalCount);
    expect(guangzhou.edges.map((e: { node: { id: string } }) => e.node.id)).toHaveLength(1);
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const page: any = expectData(
        await gd.gql('employment', JOBS, { r: '440000', f: 2, a: after }, MINISTRY),
      ).jobs;
      ids.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(ids).toEqual(all.edges.map((e: { node: { id: string } }) => e.node.id));
    const cnc = expectData(await gd.gql('employment', JOBS, { r: '440000', s: ' cnc ' }, SHENZHEN)).jobs;
    expect(cnc.totalCount).toBe(1);
    expect(
      expectData(await gd.gql('employment', JOBS, { r: '440000', s: 'WELDING' }, GUANGZHOU)).jobs.totalCount,
    ).toBe(all.totalCount - 2);
  });

  it('should let every person read one post, a worker included', async () => {
    const id = expectData(await gd.gql('employment', JOBS, { r: '440305', f: 1 }, MINISTRY)).jobs.edges[0]
      .node.id;
    for (const caller of [WORKER, OTHER, MINISTRY, GUANGZHOU])
      expect(expectData(await gd.gql('employment', JOB, { id }, caller)).job).toMatchObject({
        id,
        enterprise: { id: factory },
      });
  });
});

const FILE = `mutation($i: FileReturnRequestInput!) { fileReturnRequest(input: $i) { id job { id } } }`;
const FILE_MANY = `mutation($i: [FileReturnRequestInput!]!) { fileReturnRequests(inputs: $i) { items { index error { code } record { id job { id } } } } }`;
const ON_POST = `mutation($id: ID!) { confirmOnPost(returnRequestId: $id) { id status job { id filled } enterprise { filled } } }`;

describe('filled through a post', () => {
  it("should store the post of the enterprise's own filing, refuse another's or an unknown one, and count him once on post", async () => {
    const job = expectData(await post(WELDERS, FACTORY)).postJob.id as string;
    const othersJob = expectData(await post(WELDERS, OTHER, other)).postJob.id as string;
    const filing = (jobId: string, serial = 1) => ({
      enterpriseId: factory,
      worker: {
        name: '韦工',
        idNumber: residentId('450203', '19900101', serial),
        phone: '13900771234',
        homeRegion: '450203',
      },
      plannedReturnDate: '2020-02-22',
      departureRegion: '450203',
      jobId,
    });
    expectError(
      await gd.gql('employment', FILE, { i: filing(othersJob) }, FACTORY),
      'BAD_USER_INPUT',
      /not a post of/,
    );
    expectError(await gd.gql('employment', FILE, { i: filing('J44-unknownpost1') }, FACTORY), 'NOT_FOUND');
    expectError(await gd.gql('employment', FILE, { i: filing(factory) }, FACTORY), 'BAD_USER_INPUT');
    const many = expectData(
      await gd.gql('employment', FILE_MANY, { i: [filing(othersJob, 2), filing(job, 3)] }, FACTORY),
    ).fileReturnRequests.items;
    expect(many[0]).toMatchObject({ error: { code: 'BAD_USER_INPUT' }, record: null });
    expect(many[1].record.job).toEqual({ id: job });

    const request = expectData(
      await gd.gql('employment', FILE, { i: filing(job) }, FACTORY),
    ).fileReturnRequest;
    expect(request.job).toEqual({ id: job });
    const filledBefore = expectData(
      await gd.gql(
        'employment',
        `query($id: ID!) { enterprise(id: $id) { filled } }`,
        { id: factory },
        FACTORY,
      ),
    ).enterprise.filled as number;
    const onPost = expectData(await gd.gql('employment', ON_POST, { id: request.id }, FACTORY)).confirmOnPost;
    expect(onPost).toMatchObject({
      status: 'ON_POST',
      job: { id: job, filled: 1 },
      enterprise: { filled: filledBefore + 1 },
    });
    expectError(await gd.gql('employment', ON_POST, { id: request.id }, FACTORY), 'CONFLICT');
    expect(expectData(await gd.gql('employment', JOB, { id: job }, FACTORY)).job.filled).toBe(1);
    // the second filing for another person, through the same post: filled 2
    const second = expectData(
      await gd.gql('employment', ON_POST, { id: many[1].record.id }, SHENZHEN),
    ).confirmOnPost;
    expect(second.job.filled).toBe(2);
  });
});

describe('job post counters', () => {
  const p = useTestProvince('440000');

  it('should count posts and their openings under every key of the work region, equal to the recount', async () => {
    const e = expectData(
      await p.gql('employment', REGISTER, { i: { name: '东莞某厂', region: '441900', sector: '制造' } }),
    ).registerEnterprise.id as string;
    for (const [region, openings] of [
      ['441900', 30],
      ['441900', 70],
      ['440305', 5],
      ['440106', 99_895],
    ] as const)
      expectData(
        await p.gql('employment', POST, {
          e,
          i: { title: '普工', openings, region, from: ['450000', '430000'] },
        }),
      );
    const [nation, guangdong, dongguan] = await expectCountersMatchRecords(p, [
      'CN',
      '440000',
      '441900',
      '440300',
      '440305',
      '440100',
    ]);
    expect(nation!.employment).toMatchObject({ jobPosts: 4, jobOpenings: 100_000 });
    // #15 attacker's read: an enterprise's posts offer at most 100,000 openings in all (else a few
    // thousand posts of 1,000,000 would push the national sum past 2^31 and break every summary).
    const before = await p.fingerprint();
    const error = expectError(
      await p.gql('employment', POST, {
        e,
        i: { title: '普工', openings: 1, region: '441900', from: ['450000'] },
      }),
      'BAD_USER_INPUT',
      /already offer 100000 openings/,
    );
    expect(error.extensions?.field).toBe('input.openings');
    expect(await p.fingerprint()).toBe(before);
    expect(guangdong!.employment.jobPosts).toBe(4);
    expect(dongguan!.employment).toMatchObject({ jobPosts: 2, jobOpenings: 100 });
  });
});
