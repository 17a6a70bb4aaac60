import type { ProvinceContext } from '../context.js';
import { partFigures } from './figures.js';
import type { Figures } from './metrics.js';
import type { SummaryScope } from './scope.js';

/** `HealthStats` of the contract: epidemic control inside the scope. */
export interface HealthStats {
  boardingRefused: {
    /** Refused at the gate with a temperature at or above the threshold. */
    fever: number;
    /** Refused for the health code: HEALTH_CODE and NO_HEALTH_RECORD. */
    healthCode: number;
  };
  feverAtArrival: number;
  underObservation: number;
  released: number;
}

/**
 * `HealthStats` from the counters of one key (migration 0009): refusals at the boarding gates of
 * this province's trips whose origin is under the key (ABSENT is no refusal; a refusal stays
 * counted whatever becomes of the trip, it is a fact of the gate), fevers found by the arrival
 * checks of its trips at stops under the key (a passenger's stop: `alightAt`, else the
 * destination), and its observations under the key, not ended (`underObservation`) or ended
 * RELEASED (`released`; TRANSFERRED_TO_HOSPITAL counts in neither).
 */
export function healthStatsFrom(figures: Figures): HealthStats {
  return {
    boardingRefused: {
      fever: figures.get('boardingRefused.fever'),
      healthCode: figures.get('boardingRefused.healthCode'),
    },
    feverAtArrival: figures.get('feverAtArrival'),
    underObservation: figures.get('underObservation'),
    released: figures.get('released'),
  };
}

/** This province's statistics of safety inside the scope, as of the scope's day, from the counters. */
export async function healthStats(ctx: ProvinceContext, scope: SummaryScope): Promise<HealthStats> {
  return healthStatsFrom(await partFigures(ctx, 'health', scope));
}
