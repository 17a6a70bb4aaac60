import { decodeId, scalarResolvers } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { EnterpriseRow, JobPostRow, ReturnRequestRow, StaffStatus } from '../db/schema/index.js';
import { entityRef, regionRef } from '../graphql/references.js';
import type { ResolverMap } from '../graphql/resolver-map.js';
import { recordsFor, runMutation, runOneRecord } from '../mutation.js';
import { employmentStats } from '../summary/employment.js';
import { summaryScope, type SummaryKey, type SummaryScope } from '../summary/scope.js';
import { decodeOutcome } from '../item-outcomes.js';
import { fileReturnRequests } from './file-return-requests.js';
import {
  confirmOnPost,
  fileReturnRequest,
  registerEnterprise,
  reportLaborDemand,
  setKeyEnterprise,
  withdrawReturnRequest,
  type FileReturnRequestInput,
  type RegisterEnterpriseInput,
} from './mutations.js';
import { reportStaffChange } from './staff.js';
import { findJobPosts, jobLoader, jobPage, postJob, type JobFilter, type PostJobInput } from './job-posts.js';
import {
  enterpriseLoader,
  enterprisePage,
  findEnterprises,
  findReturnRequests,
  returnRequestLoader,
  returnRequestPage,
  type EnterpriseFilter,
  type ReturnRequestFilter,
} from './records.js';

type Keyed = { idempotencyKey?: string | null };
type Work = Parameters<typeof runMutation>[2];

/** Runs a mutation returning one enterprise. */
async function oneEnterprise(
  ctx: ProvinceContext,
  operation: string,
  args: Keyed & Record<string, unknown>,
  work: Work,
): Promise<EnterpriseRow> {
  return runOneRecord(ctx, operation, args, work, (ids) => findEnterprises(ctx.db, ids));
}

/** Runs a mutation returning one return request. */
async function oneReturnRequest(
  ctx: ProvinceContext,
  operation: string,
  args: Keyed & Record<string, unknown>,
  work: Work,
): Promise<ReturnRequestRow> {
  return runOneRecord(ctx, operation, args, work, (ids) => findReturnRequests(ctx.db, ids));
}

/** Resolvers of the `employment` logical subgraph. */
export const employmentResolvers: ResolverMap = {
  ...scalarResolvers,
  Query: {
    enterprise: (_: unknown, args: { id: string }, ctx: ProvinceContext) => {
      decodeId(args.id, 'Enterprise');
      return enterpriseLoader(ctx).load(args.id);
    },
    enterprises: (_: unknown, args: EnterpriseFilter, ctx: ProvinceContext) => enterprisePage(ctx.db, args),
    returnRequest: (_: unknown, args: { id: string }, ctx: ProvinceContext) => {
      decodeId(args.id, 'ReturnRequest');
      return returnRequestLoader(ctx).load(args.id);
    },
    returnRequests: (_: unknown, args: ReturnRequestFilter, ctx: ProvinceContext) =>
      returnRequestPage(ctx.db, args),
    job: (_: unknown, args: { id: string }, ctx: ProvinceContext) => {
      decodeId(args.id, 'Job');
      return jobLoader(ctx).load(args.id);
    },
    jobs: (_: unknown, args: JobFilter, ctx: ProvinceContext) => jobPage(ctx.db, args),
  },
  Mutation: {
    registerEnterprise: (
      _: unknown,
      args: Keyed & { input: RegisterEnterpriseInput },
      ctx: ProvinceContext,
    ) => oneEnterprise(ctx, 'registerEnterprise', args, (tx) => registerEnterprise(ctx, tx, args.input)),
    postJob: (
      _: unknown,
      args: Keyed & { enterpriseId: string; input: PostJobInput },
      ctx: ProvinceContext,
    ) =>
      runOneRecord(
        ctx,
        'postJob',
        args,
        (tx, events) => postJob(ctx, tx, args.enterpriseId, args.input, events),
        (ids) => findJobPosts(ctx.db, ids),
      ),
    reportLaborDemand: (
      _: unknown,
      args: Keyed & { enterpriseId: string; openings: number; filled?: number | null },
      ctx: ProvinceContext,
    ) =>
      oneEnterprise(ctx, 'reportLaborDemand', args, (tx) =>
        reportLaborDemand(ctx, tx, args.enterpriseId, args.openings, args.filled),
      ),
    setKeyEnterprise: (
      _: unknown,
      args: Keyed & { enterpriseId: string; key: boolean },
      ctx: ProvinceContext,
    ) =>
      oneEnterprise(ctx, 'setKeyEnterprise', args, (tx) =>
        setKeyEnterprise(ctx, tx, args.enterpriseId, args.key),
      ),
    fileReturnRequest: (_: unknown, args: Keyed & { input: FileReturnRequestInput }, ctx: ProvinceContext) =>
      oneReturnRequest(ctx, 'fileReturnRequest', args, (tx, events) =>
        fileReturnRequest(ctx, tx, args.input, events),
      ),
    fileReturnRequests: async (
      _: unknown,
      args: Keyed & { inputs: FileReturnRequestInput[] },
      ctx: ProvinceContext,
    ) => {
      const { idempotencyKey, ...rest } = args;
      const stored = await runMutation(
        ctx,
        { operation: 'fileReturnRequests', idempotencyKey, args: rest },
        (tx, events) => fileReturnRequests(ctx, tx, args.inputs, events),
      );
      const outcomes = stored.map(decodeOutcome);
      const ids = outcomes.flatMap((o) => ('id' in o ? [o.id] : []));
      const records = new Map(
        (await recordsFor(ids, (x) => findReturnRequests(ctx.db, x))).map((r) => [r.id, r]),
      );
      return {
        items: outcomes.map((o, index) =>
          'id' in o
            ? { index, record: records.get(o.id), error: null }
            : { index, record: null, error: o.error },
        ),
      };
    },
    confirmOnPost: (_: unknown, args: Keyed & { returnRequestId: string }, ctx: ProvinceContext) =>
      oneReturnRequest(ctx, 'confirmOnPost', args, (tx, events) =>
        confirmOnPost(ctx, tx, args.returnRequestId, events),
      ),
    withdrawReturnRequest: (
      _: unknown,
      args: Keyed & { returnRequestId: string; reason: string },
      ctx: ProvinceContext,
    ) =>
      oneReturnRequest(ctx, 'withdrawReturnRequest', args, (tx, events) =>
        withdrawReturnRequest(ctx, tx, args.returnRequestId, args.reason, events),
      ),
    reportStaffChange: (
      _: unknown,
      args: Keyed & { enterpriseId: string; workerId: string; change: StaffStatus },
      ctx: ProvinceContext,
    ) =>
      oneEnterprise(ctx, 'reportStaffChange', args, (tx, events) =>
        reportStaffChange(ctx, tx, args.enterpriseId, args.workerId, args.change, events),
      ),
  },
  Enterprise: {
    __resolveReference: (ref: { id: string }, ctx: ProvinceContext) => enterpriseLoader(ctx).load(ref.id),
    region: (e: EnterpriseRow) => regionRef(e.region),
  },
  ReturnRequest: {
    __resolveReference: (ref: { id: string }, ctx: ProvinceContext) => returnRequestLoader(ctx).load(ref.id),
    enterprise: (r: ReturnRequestRow, _: unknown, ctx: ProvinceContext) =>
      enterpriseLoader(ctx).load(r.enterpriseId),
    worker: (r: ReturnRequestRow) => entityRef('Worker', r.workerId),
    filedWorker: (r: ReturnRequestRow) => ({
      name: r.workerName,
      idNumber: r.workerIdNumber,
      phone: r.workerPhone,
      homeRegion: regionRef(r.workerHomeRegion),
    }),
    departureRegion: (r: ReturnRequestRow) => regionRef(r.departureRegion),
    job: (r: ReturnRequestRow, _: unknown, ctx: ProvinceContext) =>
      r.jobId ? jobLoader(ctx).load(r.jobId) : null,
  },
  Job: {
    __resolveReference: (ref: { id: string }, ctx: ProvinceContext) => jobLoader(ctx).load(ref.id),
    enterprise: (j: JobPostRow, _: unknown, ctx: ProvinceContext) =>
      enterpriseLoader(ctx).load(j.enterpriseId),
    region: (j: JobPostRow) => regionRef(j.region),
    from: (j: JobPostRow) => j.recruitsFrom.map((code) => regionRef(code)),
  },
  Summary: {
    __resolveReference: (ref: SummaryKey) => summaryScope(ref),
    employment: (scope: SummaryScope, _: unknown, ctx: ProvinceContext) => employmentStats(ctx, scope),
  },
};
