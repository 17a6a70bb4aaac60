import { decodeId, scalarResolvers } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { EnterpriseRow, ReturnRequestRow } from '../db/schema/index.js';
import { entityRef, regionRef } from '../graphql/references.js';
import type { ResolverMap } from '../graphql/resolver-map.js';
import { recordsFor, runMutation } from '../mutation.js';
import { employmentStats } from '../summary/employment.js';
import { summaryScope, type SummaryKey, type SummaryScope } from '../summary/scope.js';
import {
  confirmOnPost,
  fileReturnRequest,
  registerEnterprise,
  reportLaborDemand,
  type FileReturnRequestInput,
  type RegisterEnterpriseInput,
} from './mutations.js';
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
  const { idempotencyKey, ...rest } = args;
  const ids = await runMutation(ctx, { operation, idempotencyKey, args: rest }, work);
  return (await recordsFor(ids, (x) => findEnterprises(ctx.db, x)))[0]!;
}

/** Runs a mutation returning one return request. */
async function oneReturnRequest(
  ctx: ProvinceContext,
  operation: string,
  args: Keyed & Record<string, unknown>,
  work: Work,
): Promise<ReturnRequestRow> {
  const { idempotencyKey, ...rest } = args;
  const ids = await runMutation(ctx, { operation, idempotencyKey, args: rest }, work);
  return (await recordsFor(ids, (x) => findReturnRequests(ctx.db, x)))[0]!;
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
  },
  Mutation: {
    registerEnterprise: (
      _: unknown,
      args: Keyed & { input: RegisterEnterpriseInput },
      ctx: ProvinceContext,
    ) => oneEnterprise(ctx, 'registerEnterprise', args, (tx) => registerEnterprise(ctx, tx, args.input)),
    reportLaborDemand: (
      _: unknown,
      args: Keyed & { enterpriseId: string; openings: number; filled?: number | null },
      ctx: ProvinceContext,
    ) =>
      oneEnterprise(ctx, 'reportLaborDemand', args, (tx) =>
        reportLaborDemand(ctx, tx, args.enterpriseId, args.openings, args.filled),
      ),
    fileReturnRequest: (_: unknown, args: Keyed & { input: FileReturnRequestInput }, ctx: ProvinceContext) =>
      oneReturnRequest(ctx, 'fileReturnRequest', args, (tx, events) =>
        fileReturnRequest(ctx, tx, args.input, events),
      ),
    confirmOnPost: (_: unknown, args: Keyed & { returnRequestId: string }, ctx: ProvinceContext) =>
      oneReturnRequest(ctx, 'confirmOnPost', args, (tx) => confirmOnPost(ctx, tx, args.returnRequestId)),
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
  },
  Summary: {
    __resolveReference: (ref: SummaryKey) => summaryScope(ref),
    employment: (scope: SummaryScope, _: unknown, ctx: ProvinceContext) => employmentStats(ctx, scope),
  },
};
