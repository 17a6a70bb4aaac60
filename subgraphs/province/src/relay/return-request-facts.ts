/** What a province does with the return-request and staff facts the relay brings it. To be built. */
import type { FactHandlerTable } from './fact-handler.js';

/** Handlers of return-request and staff facts. */
export const REQUEST_FACT_HANDLERS: FactHandlerTable = {};
