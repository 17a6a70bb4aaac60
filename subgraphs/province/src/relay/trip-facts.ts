/** What a province does with the trip facts the relay brings it (TRIP, TRIP_COPY). To be built. */
import type { FactHandlerTable } from './fact-handler.js';

/** Handlers of trip facts. */
export const TRIP_FACT_HANDLERS: FactHandlerTable = {};
