/**
 * The province of a stop receives ARRIVAL_FEVER facts (`transport/stops.ts`: an arrival check at
 * the stop found a fever). Starting the observation is the `health` subgraph's handler, registered
 * for the same kind beside this one (#14.4); this handler only logs the fact's receipt (ids and
 * places, no temperature), so that a province always has a handler for the kind and the relay
 * from the organiser never stalls on it.
 */
import type { ArrivalFeverFact } from '@p2p/schema';
import type { FactHandler, FactHandlerTable } from './fact-handler.js';

/** Logs an arrival fever told to this province. */
export const noteArrivalFever: FactHandler<ArrivalFeverFact> = async (ctx, _tx, fact, origin) => {
  ctx.log.info(
    { source: origin.source, seq: origin.seq, trip: fact.tripId, stop: fact.stop },
    'arrival check found a fever at a stop of this province',
  );
};

/** Handlers of ARRIVAL_FEVER facts on the stop's side. */
export const ARRIVAL_FEVER_FACT_HANDLERS: FactHandlerTable = { ARRIVAL_FEVER: [noteArrivalFever] };
