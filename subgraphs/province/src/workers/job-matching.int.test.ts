/**
 * Point-to-point recruitment on the home side (#15): a Guangdong (440000) enterprise's post
 * reaches Guangxi (450000) as a JOB_POST copy (carried by hand here, as the relay would), and
 * Guangxi's officers list their workers at home who fit it (`matchWorkers`): each fit rule against
 * its neighbouring case, who may ask, and NOT_FOUND before the copy or for a post that does not
 * recruit from Guangxi. Signed requests over real HTTP, access rules on.
 */
import { encodeId, type Caller } from '@p2p/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyFactsTo,
  expectData,
  expectError,
  factsToldTo,
  residentId,
  signedRequests,
  startSignedTestProvince,
  type SignedRequests,
  type SignedTestProvince,
} from '../testing/index.js';

const SHENZHEN: Caller = { subject: 'sz', role: 'city', region: '440300' };
const GUANGXI: Caller = { subject: 'gx', role: 'province', region: '450000' };
const LIUZHOU: Caller = { subject: 'lz', role: 'city', region: '450200' };
const NANNING: Caller = { subject: 'nn', role: 'city', region: '450100' };
const MINISTRY: Caller = { subject: 'm', role: 'ministry' };

const MATCH = `query($j: ID!, $h: RegionCode!, $f: Int, $a: String) { matchWorkers(jobId: $j, homeRegion: $h, first: $f, after: $a) { totalCount edges { node { id name phone } } pageInfo { hasNextPage endCursor } } }`;
const POST = `mutation($e: ID!, $i: PostJobInput!) { postJob(enterpriseId: $e, input: $i) { id } }`;

let gdSigned: SignedTestProvince;
let gxSigned: SignedTestProvince;
let gd: SignedRequests;
let gx: SignedRequests;
let factory: string;
let FACTORY: Caller;
/** Welders for Nanshan (440305), from Liuzhou (450200). */
let welders: string;
/** Any worker for Guangzhou's Tianhe (440106), from all Guangxi. */
let anyone: string;
/** Recruits from Guangdong only. */
let local: string;
let serial = 0;

/** Registers a Guangxi worker, with his travel intent when `destination` is given; his id. */
async function worker(home: string, skills: string[], destination?: string): Promise<string> {
  serial++;
  const id = expectData(
    await gx.gql(
      'workers',
      'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }',
      {
        i: {
          name: `韦工${serial}`,
          idNumber: residentId(home, '19900101', serial),
          phone: `1390077${String(1000 + serial)}`,
          homeRegion: home,
          skills,
        },
      },
      GUANGXI,
    ),
  ).registerWorker.id as string;
  if (destination)
    expectData(
      await gx.gql(
        'workers',
        'mutation($w: ID!, $i: TravelIntentInput!) { reportTravelIntent(workerId: $w, input: $i) { id } }',
        { w: id, i: { earliestDate: '2020-02-20', latestDate: '2020-02-28', destination } },
        GUANGXI,
      ),
    );
  return id;
}

const matched = async (jobId: string, home: string, caller: Caller = GUANGXI) =>
  (
    expectData(await gx.gql('workers', MATCH, { j: jobId, h: home }, caller)).matchWorkers.edges as {
      node: { id: string };
    }[]
  ).map((e) => e.node.id);

/** The workers of the neighbouring cases, by the case they stand for. */
const fits = {} as Record<
  | 'intentContainsRegion'
  | 'skillCase'
  | 'intentIsProvince'
  | 'unrelatedIntent'
  | 'noSkill'
  | 'homeOutsideFrom'
  | 'noIntent'
  | 'atWork',
  string
>;

beforeAll(async () => {
  gdSigned = await startSignedTestProvince('440000');
  gxSigned = await startSignedTestProvince('450000');
  gd = signedRequests(gdSigned);
  gx = signedRequests(gxSigned);
  factory = expectData(
    await gd.gql(
      'employment',
      `mutation { registerEnterprise(input: { name: "深圳某电子厂", region: "440305", sector: "制造" }) { id } }`,
      {},
      SHENZHEN,
    ),
  ).registerEnterprise.id as string;
  FACTORY = { subject: 'f', role: 'enterprise', region: '440305', enterpriseId: factory };
  const postJob = async (input: Record<string, unknown>) =>
    expectData(await gd.gql('employment', POST, { e: factory, i: input }, FACTORY)).postJob.id as string;
  welders = await postJob({
    title: '电焊工',
    openings: 20,
    region: '440305',
    skills: ['电焊', 'Welding'],
    from: ['450200'],
  });
  anyone = await postJob({ title: '普工', openings: 100, region: '440106', from: ['450000', '430000'] });
  local = await postJob({ title: '普工', openings: 10, region: '440305', from: ['440000'] });

  fits.intentContainsRegion = await worker('450203', ['电焊'], '440300');
  fits.skillCase = await worker('450203', [' WELDING '], '440305');
  fits.intentIsProvince = await worker('450205', ['电焊'], '440000');
  fits.unrelatedIntent = await worker('450203', ['电焊'], '440106');
  fits.noSkill = await worker('450203', ['木工'], '440300');
  fits.homeOutsideFrom = await worker('450102', ['电焊'], '440300');
  fits.noIntent = await worker('450203', ['电焊']);
  fits.atWork = await worker('450203', ['电焊'], '440300');
  expectData(
    await gx.gql(
      'workers',
      'mutation($w: ID!) { reportEmployment(workerId: $w, workRegion: "440305") { id status } }',
      { w: fits.atWork },
      GUANGXI,
    ),
  );
});
afterAll(async () => {
  await gdSigned?.close();
  await gxSigned?.close();
});

describe('the copy of a post', () => {
  it('should answer NOT_FOUND before the copy arrives, then list the fitting workers once it has', async () => {
    expectError(
      await gx.gql('workers', MATCH, { j: welders, h: '450000' }, GUANGXI),
      'NOT_FOUND',
      /not arrived|does not recruit/,
    );
    const facts = await factsToldTo(gdSigned.service, '450000');
    expect(facts.map((f) => f.fact.fact)).toEqual(['JOB_POST', 'JOB_POST']);
    expect(facts.map((f) => (f.fact as { job: { id: string } }).job.id)).toEqual([welders, anyone]);
    expect((await factsToldTo(gdSigned.service, '430000')).map((f) => f.fact.fact)).toEqual(['JOB_POST']);
    await applyFactsTo(gxSigned.service, '440000', facts);
    expect(await matched(welders, '450000')).toEqual(
      [fits.intentContainsRegion, fits.skillCase, fits.intentIsProvince].sort(),
    );
  });

  it('should answer NOT_FOUND for a post that does not recruit from the province', async () => {
    expectError(
      await gx.gql('workers', MATCH, { j: local, h: '450000' }, GUANGXI),
      'NOT_FOUND',
      new RegExp(local),
    );
  });

  it('should leave a copy told by a province that does not own the post', async () => {
    const forged = encodeId('Job', '110000');
    await applyFactsTo(gxSigned.service, '440000', [
      {
        fact: 'JOB_POST',
        job: {
          id: forged,
          enterpriseId: factory,
          title: 'x',
          region: '440305',
          openings: 1,
          skills: [],
          from: ['450000'],
          postedAt: new Date().toISOString(),
        },
      },
    ]);
    expectError(await gx.gql('workers', MATCH, { j: forged, h: '450000' }, GUANGXI), 'NOT_FOUND');
  });
});

describe('matchWorkers: malformed copies (#15 attacker read)', () => {
  it('should leave, without throwing, copies of its own posts that break the bounds of a post, and keep the next good one', async () => {
    const good = {
      enterpriseId: factory,
      title: '装配工',
      region: '440305',
      openings: 10,
      skills: ['装配'],
      from: ['450000'],
      postedAt: new Date().toISOString(),
    };
    const bad: Record<string, unknown>[] = [
      { openings: 1_000_000 },
      { openings: 1.5 },
      { skills: 'weld' },
      { skills: Array.from({ length: 21 }, (_, i) => `s${i}`) },
      { title: 'x'.repeat(201) },
      { region: '999999' },
      { region: '450203' },
      { enterpriseId: encodeId('Enterprise', '110000') },
      { from: ['450000', 'nowhere'] },
    ];
    const ids = bad.map(() => encodeId('Job', '440000'));
    const goodId = encodeId('Job', '440000');
    await applyFactsTo(gxSigned.service, '440000', [
      ...bad.map((change, i) => ({
        fact: 'JOB_POST' as const,
        job: { ...good, id: ids[i]!, ...change } as never,
      })),
      { fact: 'JOB_POST' as const, job: { ...good, id: goodId } },
    ]);
    for (const id of ids)
      expectError(await gx.gql('workers', MATCH, { j: id, h: '450000' }, GUANGXI), 'NOT_FOUND');
    expectData(await gx.gql('workers', MATCH, { j: goodId, h: '450000' }, GUANGXI));
  });
});

describe('matchWorkers: the fit rules', () => {
  it('should list only workers at home, home inside from, with a skill in common and an intent related to the work region', async () => {
    const listed = new Set(await matched(welders, '450000'));
    expect(listed.has(fits.atWork)).toBe(false);
    expect(listed.has(fits.homeOutsideFrom)).toBe(false);
    expect(listed.has(fits.noSkill)).toBe(false);
    expect(listed.has(fits.unrelatedIntent)).toBe(false);
    expect(listed.has(fits.noIntent)).toBe(false);
    expect(listed.has(fits.skillCase)).toBe(true);
    expect(listed.has(fits.intentIsProvince)).toBe(true);
  });

  it('should take any worker for a post without skills, from every region it names', async () => {
    // anyone: Tianhe 440106, all Guangxi; intent 440106 (the region itself) and 440000 (containing) fit
    expect(await matched(anyone, '450000')).toEqual([fits.intentIsProvince, fits.unrelatedIntent].sort());
  });

  it('should keep to homeRegion and page by id', async () => {
    expect(await matched(welders, '450205', LIUZHOU)).toEqual([fits.intentIsProvince]);
    const first = expectData(
      await gx.gql('workers', MATCH, { j: welders, h: '450200', f: 2 }, LIUZHOU),
    ).matchWorkers;
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = expectData(
      await gx.gql('workers', MATCH, { j: welders, h: '450200', a: first.pageInfo.endCursor }, LIUZHOU),
    ).matchWorkers;
    expect([...first.edges, ...rest.edges].map((e: { node: { id: string } }) => e.node.id)).toEqual(
      await matched(welders, '450000'),
    );
  });
});

describe('matchWorkers: who may ask', () => {
  it("should let the home province's and city's officers and the ministry (masked) list, and refuse others", async () => {
    const home = expectData(
      await gx.gql('workers', MATCH, { j: welders, h: '450200' }, LIUZHOU),
    ).matchWorkers;
    expect(home.edges[0].node.phone).toMatch(/^1\d{10}$/);
    const ministry = expectData(
      await gx.gql('workers', MATCH, { j: welders, h: '450000' }, MINISTRY),
    ).matchWorkers;
    expect(ministry.totalCount).toBe(3);
    expect(ministry.edges[0].node.phone).not.toBe(home.edges[0].node.phone);
    const WORKER: Caller = { subject: 'w', role: 'worker', region: '450000', workerId: fits.skillCase };
    const GD_FACTORY: Caller = { ...FACTORY };
    for (const caller of [
      NANNING,
      GD_FACTORY,
      WORKER,
      { subject: 'sz', role: 'city', region: '440300' } as Caller,
    ])
      expectError(await gx.gql('workers', MATCH, { j: welders, h: '450200' }, caller), 'FORBIDDEN');
  });
});
