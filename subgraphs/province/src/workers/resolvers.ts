import { decodeId, scalarResolvers } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { WorkerRow, WorkerStatus } from '../db/schema/index.js';
import { entityRef, regionRef } from '../graphql/references.js';
import type { ResolverMap } from '../graphql/resolver-map.js';
import { batchResult } from '../batch-items.js';
import { recordsFor, runBatchMutation, runMutation, runOneRecord } from '../mutation.js';
import { summaryScope, type SummaryKey } from '../summary/scope.js';
import { workerStats } from '../summary/workers.js';
import { recordHealthCheck, recordHealthChecks, type HealthCheckInput } from './health-checks.js';
import { registerWorkers, reportEmployment, type RegisterWorkerInput } from './mutations.js';
import { findWorkers, workerLoader, workerPage, type IntentFilter } from './records.js';
import { reportTravelIntent, reportTravelIntents, type TravelIntentInput } from './travel-intents.js';
import type { WorkerItem } from './worker-items.js';
import { declineReturnRequest, returnRequestsOf } from './return-requests.js';
import { currentTrip, tripsOf } from './worker-trips.js';
import { refusedBoardingPage, type RefusedBoarding } from './refused-boardings.js';
import { matchWorkerPage, type MatchWorkersArgs } from './job-matching.js';

type Keyed = { idempotencyKey?: string | null };

/** Runs a single-worker mutation and returns the worker as it is after the commit. */
async function oneWorker(
  ctx: ProvinceContext,
  operation: string,
  args: Keyed & Record<string, unknown>,
  work: Parameters<typeof runMutation>[2],
): Promise<WorkerRow> {
  return runOneRecord(ctx, operation, args, work, (ids) => findWorkers(ctx.db, ids));
}

/** Runs a bulk worker mutation with per-item results and returns `WorkerBatchResult`. */
async function workerBatch(
  ctx: ProvinceContext,
  operation: string,
  args: Keyed & Record<string, unknown>,
  work: Parameters<typeof runBatchMutation>[2],
) {
  const { idempotencyKey, ...rest } = args;
  const outcomes = await runBatchMutation(ctx, { operation, idempotencyKey, args: rest }, work);
  return batchResult(outcomes, (ids) => findWorkers(ctx.db, ids));
}

/** Resolvers of the `workers` logical subgraph. */
export const workersResolvers: ResolverMap = {
  ...scalarResolvers,
  Query: {
    worker: (_: unknown, args: { id: string }, ctx: ProvinceContext) => {
      decodeId(args.id, 'Worker');
      return workerLoader(ctx).load(args.id);
    },
    workers: (
      _: unknown,
      args: {
        homeRegion: string;
        status?: WorkerStatus | null;
        intent?: IntentFilter | null;
        first?: number | null;
        after?: string | null;
      },
      ctx: ProvinceContext,
    ) => workerPage(ctx.db, args),
    matchWorkers: (_: unknown, args: MatchWorkersArgs, ctx: ProvinceContext) =>
      matchWorkerPage(ctx, ctx.db, args),
    refusedBoardings: (
      _: unknown,
      args: { homeRegion: string; first?: number | null; after?: string | null },
      ctx: ProvinceContext,
    ) => refusedBoardingPage(ctx.db, args),
  },
  Mutation: {
    registerWorker: (_: unknown, args: Keyed & { input: RegisterWorkerInput }, ctx: ProvinceContext) =>
      oneWorker(ctx, 'registerWorker', args, (tx) => registerWorkers(ctx, tx, [args.input], false)),
    registerWorkers: async (
      _: unknown,
      args: Keyed & { inputs: RegisterWorkerInput[] },
      ctx: ProvinceContext,
    ) => {
      const { idempotencyKey, ...rest } = args;
      const ids = await runMutation(ctx, { operation: 'registerWorkers', idempotencyKey, args: rest }, (tx) =>
        registerWorkers(ctx, tx, args.inputs, true),
      );
      return recordsFor(ids, (x) => findWorkers(ctx.db, x));
    },
    reportEmployment: (
      _: unknown,
      args: Keyed & { workerId: string; workRegion: string; enterpriseId?: string | null },
      ctx: ProvinceContext,
    ) =>
      oneWorker(ctx, 'reportEmployment', args, (tx) =>
        reportEmployment(ctx, tx, args.workerId, args.workRegion, args.enterpriseId),
      ),
    recordHealthCheck: (
      _: unknown,
      args: Keyed & { workerId: string; input: HealthCheckInput },
      ctx: ProvinceContext,
    ) =>
      oneWorker(ctx, 'recordHealthCheck', args, (tx, events) =>
        recordHealthCheck(ctx, tx, args.workerId, args.input, events),
      ),
    reportTravelIntent: (
      _: unknown,
      args: Keyed & { workerId: string; input: TravelIntentInput },
      ctx: ProvinceContext,
    ) =>
      oneWorker(ctx, 'reportTravelIntent', args, (tx) =>
        reportTravelIntent(ctx, tx, args.workerId, args.input),
      ),
    declineReturnRequest: (
      _: unknown,
      args: Keyed & { workerId: string; returnRequestId: string; reason: string },
      ctx: ProvinceContext,
    ) =>
      oneWorker(ctx, 'declineReturnRequest', args, (tx, events) =>
        declineReturnRequest(ctx, tx, args.workerId, args.returnRequestId, args.reason, events),
      ),
    recordHealthChecks: (
      _: unknown,
      args: Keyed & { items: WorkerItem<HealthCheckInput>[] },
      ctx: ProvinceContext,
    ) =>
      workerBatch(ctx, 'recordHealthChecks', args, (tx, events) =>
        recordHealthChecks(ctx, tx, args.items, events),
      ),
    reportTravelIntents: (
      _: unknown,
      args: Keyed & { items: WorkerItem<TravelIntentInput>[] },
      ctx: ProvinceContext,
    ) => workerBatch(ctx, 'reportTravelIntents', args, (tx) => reportTravelIntents(ctx, tx, args.items)),
  },
  Worker: {
    __resolveReference: (ref: { id: string }, ctx: ProvinceContext) => workerLoader(ctx).load(ref.id),
    homeRegion: (w: WorkerRow) => regionRef(w.homeRegion),
    workRegion: (w: WorkerRow) => regionRef(w.workRegion),
    employer: (w: WorkerRow) => entityRef('Enterprise', w.employerId),
    health: (w: WorkerRow) =>
      w.healthCode && w.healthCheckedAt && w.healthValidUntil
        ? {
            code: w.healthCode,
            issuedBy: regionRef(w.healthIssuedBy ?? `${w.homeRegion.slice(0, 2)}0000`),
            checkedAt: w.healthCheckedAt,
            validUntil: w.healthValidUntil,
            nucleicAcid: w.healthNucleicAcid,
            testedAt: w.healthTestedAt,
            institution: w.healthInstitution,
            source: w.healthSource ?? 'OFFICER',
          }
        : null,
    travelIntent: (w: WorkerRow) =>
      w.intentEarliestDate && w.intentLatestDate && w.intentDestination
        ? {
            earliestDate: w.intentEarliestDate,
            latestDate: w.intentLatestDate,
            destination: regionRef(w.intentDestination),
            mode: w.intentMode,
            declaredAt: w.intentDeclaredAt ?? w.updatedAt,
          }
        : null,
    returnRequests: (w: WorkerRow, args: { first?: number | null }, ctx: ProvinceContext) =>
      returnRequestsOf(ctx.db, w.id, args.first ?? 20),
    currentTrip: (w: WorkerRow) => currentTrip(w),
    trips: (w: WorkerRow, args: { first?: number | null }, ctx: ProvinceContext) =>
      tripsOf(w, args.first, ctx),
    // kept by the province where it happens (the `health` subgraph resolves it)
    observation: (w: WorkerRow) => (w.observationId ? { id: w.observationId } : null),
  },
  RefusedBoarding: {
    // a worker of this subgraph: his record (a reference would not be resolved here), batched
    worker: (r: RefusedBoarding, _: unknown, ctx: ProvinceContext) => workerLoader(ctx).load(r.worker.id),
  },
  Summary: {
    __resolveReference: (ref: SummaryKey) => summaryScope(ref),
    workers: (scope: ReturnType<typeof summaryScope>, _: unknown, ctx: ProvinceContext) =>
      workerStats(ctx, scope),
  },
};
