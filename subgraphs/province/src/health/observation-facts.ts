/**
 * What the province where an observation happens does with the facts the relay brings it:
 * - ARRIVAL_FEVER (from the trip's organiser, `confirmArrival` of a stop in this province): an
 *   arrival check found a fever, so this province starts the observation itself (reason
 *   FEVER_AT_ARRIVAL, CENTRALISED at a designated site, from the check's time, 14 days, the trip
 *   named), once per trip and worker (`observations_fever_idx`), and tells his home;
 * - OBSERVATION_HOME (from the worker's home, answering STARTED): his home region, stored as
 *   `home_region` so the officers of his home may read the observation (`access/read-rules.ts`).
 * A fact this province cannot place (a stop outside it, an unknown observation, another worker,
 * a home region outside the source) is logged without personal data and left: it never blocks the
 * relay. The central check (`apply-fact.ts`) has already made sure the source owns the fact's
 * subject: the trip (organiser) for a fever, the worker (home) for the answer.
 */
import {
  encodeId,
  findRegion,
  provinceOf,
  tryDecodeId,
  type ArrivalFeverFact,
  type ObservationHomeFact,
} from '@p2p/schema';
import { and, eq, sql } from 'drizzle-orm';
import { observations } from '../db/schema/index.js';
import type { FactHandler, FactHandlerTable } from '../relay/fact-handler.js';
import { isOwnId } from '../validation/ownership.js';
import { DEFAULT_OBSERVATION_DAYS, tellHome } from './observations.js';

/** The site recorded for an observation started by a fever at an arrival check. */
export const FEVER_SITE = 'designated site (fever at the arrival check)';

/** The stop's province: a fever at one of its arrival checks starts an observation here. */
const onArrivalFever: FactHandler<ArrivalFeverFact> = async (ctx, tx, fact, origin, events) => {
  const left = (why: string) =>
    ctx.log.warn({ fact: 'ARRIVAL_FEVER', source: origin.source, seq: origin.seq, trip: fact.tripId }, why);
  if (typeof fact.stop !== 'string' || !findRegion(fact.stop) || provinceOf(fact.stop) !== ctx.province)
    return left('arrival fever left: its stop is not a region of this province');
  const home = tryDecodeId(fact.workerId);
  if (home?.kind !== 'Worker' || findRegion(home.province)?.level !== 'PROVINCE')
    return left('arrival fever left: it names no worker');
  const checkedAt = new Date(fact.checkedAt);
  if (Number.isNaN(checkedAt.getTime())) return left('arrival fever left: its check time is no instant');
  const [row] = await tx
    .insert(observations)
    .values({
      id: encodeId('Observation', ctx.province),
      workerId: fact.workerId,
      region: fact.stop,
      kind: 'CENTRALISED',
      site: FEVER_SITE,
      reason: 'FEVER_AT_ARRIVAL',
      tripId: fact.tripId,
      startedAt: checkedAt,
      days: DEFAULT_OBSERVATION_DAYS,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    // The same fever told again (observations_fever_idx), or he is under observation here already.
    ctx.log.info(
      { source: origin.source, seq: origin.seq, trip: fact.tripId },
      'arrival fever: already under observation in this province, nothing started',
    );
    return;
  }
  tellHome(ctx, events, row, 'STARTED');
};

/** The observation's province: the worker's home answered a STARTED fact. */
const onObservationHome: FactHandler<ObservationHomeFact> = async (ctx, tx, fact, origin) => {
  const left = (why: string) =>
    ctx.log.warn(
      { fact: 'OBSERVATION_HOME', source: origin.source, seq: origin.seq, observation: fact.observationId },
      why,
    );
  if (!isOwnId(fact.observationId, 'Observation', ctx.province))
    return left('observation answer left: not an observation of this province');
  if (fact.homeRegion == null) {
    ctx.log.info(
      { source: origin.source, seq: origin.seq, observation: fact.observationId },
      'observation answer: the home side does not place the worker here; his home officers will not read it',
    );
    return;
  }
  if (
    typeof fact.homeRegion !== 'string' ||
    !findRegion(fact.homeRegion) ||
    provinceOf(fact.homeRegion) !== origin.source
  )
    return left('observation answer left: its home region is not a region of its source');
  const updated = await tx
    .update(observations)
    .set({ homeRegion: fact.homeRegion, updatedAt: sql`now()` })
    .where(and(eq(observations.id, fact.observationId), eq(observations.workerId, fact.workerId)))
    .returning({ id: observations.id });
  if (updated.length === 0) left('observation answer left: no such observation of that worker');
};

/** Handlers of the observation province's facts (`apply-fact.ts` TABLES). */
export const OBSERVATION_PLACE_FACT_HANDLERS: FactHandlerTable = {
  ARRIVAL_FEVER: [onArrivalFever],
  OBSERVATION_HOME: [onObservationHome],
};
