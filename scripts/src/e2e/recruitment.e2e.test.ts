/**
 * Point-to-point recruitment through the gateway (#15; reports 001, 003, 004: the Spring Breeze
 * online job fairs), over real processes: a Guangdong (440000) enterprise posts a job recruiting
 * from Guangxi (450000); once the relay has carried the post, a Guangxi officer's `matchWorkers`
 * lists the Guangxi workers who fit it; the enterprise files a return request through the post and
 * confirms him on post: `job.filled` and Guangdong's `summary.employment` follow.
 * Runs on PGlite, or on PostgreSQL with DATABASE_URL set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlData } from '@p2p/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIdNumber } from '../demo/model.js';
import { startFederation, type RunningFederation } from '../harness/federation.js';
import { REPO_ROOT, SERVICE_ENTRIES } from '../harness/service-process.js';

const servicesExist = Object.values(SERVICE_ENTRIES).every((entry) => existsSync(join(REPO_ROOT, entry)));

describe.skipIf(!servicesExist)(
  `a Guangdong job post recruiting from Guangxi through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  () => {
    let hub: RunningFederation;
    beforeAll(async () => {
      // a loaded machine may take longer than the default minute to start a province
      hub = await startFederation({ provinces: ['440000', '450000'], readyTimeoutMs: 150_000 });
    }, 300_000);
    afterAll(async () => {
      await hub?.close();
    }, 60_000);

    it('should match the fitting Guangxi workers, and count the post filled once he is on post', async () => {
      const guangdong = await hub.authorization('province', '440000');
      const guangxi = await hub.authorization('province', '450000');
      const q = (query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
        graphqlData(hub.gatewayUrl, query, variables, headers);

      const people = [
        { name: '韦志强', home: '450203', birth: '19880301', seq: 11, skills: ['电焊'] },
        { name: '覃海燕', home: '450203', birth: '19900615', seq: 12, skills: ['木工'] },
      ];
      const register = async (p: (typeof people)[number], phone: string) => {
        const id = (
          await q(
            `mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }`,
            {
              i: { name: p.name, idNumber: demoIdNumber(p), phone, homeRegion: p.home, skills: p.skills },
            },
            guangxi,
          )
        ).registerWorker.id as string;
        await q(
          `mutation($w: ID!, $i: TravelIntentInput!) { reportTravelIntent(workerId: $w, input: $i) { id } }`,
          { w: id, i: { earliestDate: '2020-02-20', latestDate: '2020-02-28', destination: '440300' } },
          guangxi,
        );
        return id;
      };
      const welder = await register(people[0]!, '13907720011');
      await register(people[1]!, '13907720012');

      const enterpriseId = (
        await q(
          `mutation($i: RegisterEnterpriseInput!) { registerEnterprise(input: $i) { id } }`,
          { i: { name: '深圳南山电子厂', region: '440305', sector: '制造业' } },
          guangdong,
        )
      ).registerEnterprise.id as string;
      const enterprise = await hub.authorization('enterprise', '440305', enterpriseId);
      const jobId = (
        await q(
          `mutation($e: ID!, $i: PostJobInput!) { postJob(enterpriseId: $e, input: $i) { id } }`,
          {
            e: enterpriseId,
            i: { title: '电焊工', openings: 30, region: '440305', skills: ['电焊'], from: ['450000'] },
          },
          enterprise,
        )
      ).postJob.id as string;

      await hub.waitForRelay();
      const matched = await q(
        `query($j: ID!) { matchWorkers(jobId: $j, homeRegion: "450000") { totalCount edges { node { id name } } } }`,
        { j: jobId },
        guangxi,
      );
      expect(matched.matchWorkers).toEqual({
        totalCount: 1,
        edges: [{ node: { id: welder, name: '韦志强' } }],
      });

      const requestId = (
        await q(
          `mutation($i: FileReturnRequestInput!) { fileReturnRequest(input: $i) { id job { id } } }`,
          {
            i: {
              enterpriseId,
              worker: {
                name: people[0]!.name,
                idNumber: demoIdNumber(people[0]!),
                phone: '13907720011',
                homeRegion: '450203',
              },
              plannedReturnDate: '2020-02-24',
              departureRegion: '450203',
              jobId,
            },
          },
          enterprise,
        )
      ).fileReturnRequest.id as string;
      await hub.waitForRelay();
      const onPost = await q(
        `mutation($id: ID!) { confirmOnPost(returnRequestId: $id) { status job { id filled openings } } }`,
        { id: requestId },
        enterprise,
      );
      expect(onPost.confirmOnPost).toEqual({
        status: 'ON_POST',
        job: { id: jobId, filled: 1, openings: 30 },
      });
      const summary = await q(
        `{ summary(scope: "440000") { employment { filled jobPosts jobOpenings } } }`,
        {},
        await hub.authorization('ministry'),
      );
      expect(summary.summary.employment).toEqual({ filled: 1, jobPosts: 1, jobOpenings: 30 });
    }, 120_000);
  },
);
