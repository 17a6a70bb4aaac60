/**
 * The home province follows its own people anywhere (#13.4): from each TRIP fact about its
 * workers (told by the trip's organiser, this province itself included, `transport/tell-homes.ts`)
 * it writes a DEPARTURE outbox event whose `home_regions` are the distinct home regions of its
 * workers concerned, which the `departures(homeRegion:)` subscription follows (`event-topics.ts`).
 * The event carries the trip id and the kind of `TripEvent` it stands for, no worker:
 * - ASSIGNED → PLANNED (only the workers newly put on the trip are concerned: the trip is now
 *   planned for them);
 * - REMOVED → CANCELLED (the workers taken off the manifest: the trip is cancelled for them,
 *   while it goes on for the others; `TripEventKind` has no value of its own for it, and a
 *   subscriber reads the trip, no longer listing them, as it is now);
 * - DEPARTED, ETA_CHANGED, ARRIVED, HANDED_OVER, CANCELLED → the same kind (every worker of this
 *   province on the manifest).
 * Workers unknown here (not registered in their home province) make no event.
 */
import type { TripFact } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import { workers } from '../db/schema/index.js';
import { isOwnId } from '../validation/ownership.js';
import type { FactHandlerTable, FactRunHandler } from './fact-handler.js';

/** What a `TripEvent` of the `departures` subscription says happened. */
export type DepartureKind = 'PLANNED' | 'DEPARTED' | 'ETA_CHANGED' | 'ARRIVED' | 'HANDED_OVER' | 'CANCELLED';

/** The `TripEventKind` of each trip fact event (see the module comment). */
export const DEPARTURE_KIND_OF: Readonly<Record<TripFact['event'], DepartureKind>> = {
  ASSIGNED: 'PLANNED',
  REMOVED: 'CANCELLED',
  DEPARTED: 'DEPARTED',
  ETA_CHANGED: 'ETA_CHANGED',
  ARRIVED: 'ARRIVED',
  HANDED_OVER: 'HANDED_OVER',
  CANCELLED: 'CANCELLED',
};

/** This province's workers a fact names, once each. */
const ownWorkers = (fact: TripFact, province: string) =>
  [...new Set(fact.workers.map((w) => w.id))].filter((id) => isOwnId(id, 'Worker', province));

/**
 * Writes the DEPARTURE event of each TRIP fact of a run, in order, for the home regions of this
 * province's workers on it: one read of their home regions for the whole run.
 */
export const recordDepartures: FactRunHandler<TripFact> = {
  async run(ctx, tx, facts, events) {
    const ids = [...new Set(facts.flatMap(({ fact }) => ownWorkers(fact, ctx.province)))];
    if (ids.length === 0) return;
    const homeOf = new Map(
      (
        await tx
          .select({ id: workers.id, homeRegion: workers.homeRegion })
          .from(workers)
          .where(sql`${workers.id} = ANY(${sql.param(ids)}::text[])`)
      ).map((w) => [w.id, w.homeRegion]),
    );
    for (const { fact, origin } of facts) {
      const homes = [...new Set(ownWorkers(fact, ctx.province).flatMap((id) => homeOf.get(id) ?? []))].sort();
      if (homes.length === 0) continue;
      events.add({
        kind: 'DEPARTURE',
        origin: fact.trip.origin,
        destination: fact.trip.destination,
        tripId: fact.trip.id,
        homeRegions: homes,
        payload: {
          tripId: fact.trip.id,
          kind: DEPARTURE_KIND_OF[fact.event],
          event: fact.event,
          organizer: fact.trip.organizer,
          source: origin.source,
          at: origin.at.toISOString(),
          // ARRIVED, HANDED_OVER: the stop where it happened (`TripEvent.stop`)
          ...(fact.stop ? { stop: fact.stop } : {}),
        },
      });
    }
  },
};

/** Handlers of TRIP facts that write the home side's DEPARTURE events. */
export const DEPARTURE_FACT_HANDLERS: FactHandlerTable = { TRIP: [recordDepartures] };
