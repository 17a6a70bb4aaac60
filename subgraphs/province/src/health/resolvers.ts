/**
 * Resolvers of the `health` logical subgraph (epidemic control at the receiving place:
 * observations and the statistics of safety).
 */
import { decodeId, scalarResolvers } from '@p2p/schema';
import type { ProvinceContext } from '../context.js';
import type { ObservationOutcome, ObservationRow } from '../db/schema/index.js';
import { entityRef, regionRef } from '../graphql/references.js';
import type { ResolverMap } from '../graphql/resolver-map.js';
import { type runMutation, runOneRecord } from '../mutation.js';
import {
  endObservation,
  endsAt,
  findObservations,
  observationLoader,
  observationPage,
  startObservation,
  type ObservationFilter,
  type StartObservationInput,
} from './observations.js';
import { safetyFigureResolvers } from './safety-figures.js';

type Keyed = { idempotencyKey?: string | null };

/** Runs an observation mutation and returns the observation as it is after the commit. */
async function oneObservation(
  ctx: ProvinceContext,
  operation: string,
  args: Keyed & Record<string, unknown>,
  work: Parameters<typeof runMutation>[2],
): Promise<ObservationRow> {
  return runOneRecord(ctx, operation, args, work, (ids) => findObservations(ctx.db, ids));
}

/** The `health` subgraph's resolvers. */
export const healthResolvers: ResolverMap = {
  ...scalarResolvers,
  ...safetyFigureResolvers,
  Query: {
    observation: (_: unknown, args: { id: string }, ctx: ProvinceContext) => {
      decodeId(args.id, 'Observation');
      return observationLoader(ctx).load(args.id);
    },
    observations: (_: unknown, args: ObservationFilter, ctx: ProvinceContext) =>
      observationPage(ctx.db, args),
  },
  Mutation: {
    startObservation: (_: unknown, args: Keyed & { input: StartObservationInput }, ctx: ProvinceContext) =>
      oneObservation(ctx, 'startObservation', args, (tx, events) =>
        startObservation(ctx, tx, args.input, events),
      ),
    endObservation: (
      _: unknown,
      args: Keyed & { observationId: string; outcome: ObservationOutcome },
      ctx: ProvinceContext,
    ) =>
      oneObservation(ctx, 'endObservation', args, (tx, events) =>
        endObservation(ctx, tx, args.observationId, args.outcome, events),
      ),
  },
  Observation: {
    __resolveReference: (ref: { id: string }, ctx: ProvinceContext) => observationLoader(ctx).load(ref.id),
    worker: (o: ObservationRow) => entityRef('Worker', o.workerId),
    region: (o: ObservationRow) => regionRef(o.region),
    trip: (o: ObservationRow) => entityRef('Trip', o.tripId),
    endsAt: (o: ObservationRow) => endsAt(o),
    active: (o: ObservationRow) => o.endedAt === null,
  },
};
