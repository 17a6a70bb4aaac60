/**
 * The boarding gate's judgement (#14.2), a pure function: who of a trip's manifest boards, and
 * why the others stay off. `departTrip` (`movement.ts`) gathers the facts and writes the outcome.
 *
 * "The day" is the trip's planned departure day (`departureAt`) in China Standard Time (UTC+8):
 * one vehicle, one plan; the gate checks the passengers for the journey as planned (the day
 * `assignPassengers` already judges travel intents by), and a trip that leaves on another day is
 * re-planned. The rules, in order, for each passenger on the manifest:
 * 1. not presented at the gate → ABSENT;
 * 2. a temperature at or above the organising province's threshold → FEVER;
 * 3. no recognised record: none, or only his own declaration (SELF, DESIGN.md "Health") →
 *    NO_HEALTH_RECORD;
 * 4. a code other than GREEN, or the day outside [the day of `checkedAt`, the day of `validUntil`]
 *    → HEALTH_CODE. Any province's code counts (mutual recognition: `issuedBy` is not judged);
 * 5. when the organising province requires a test (`nucleicAcidValidDays` > 0): a NEGATIVE result
 *    whose sample was taken on the day or at most that many days before → otherwise HEALTH_CODE;
 * 6. otherwise he boards.
 */
import type { BoardingRefusalReason } from '@p2p/schema';
import type { HealthCode, HealthSource, NucleicAcidResult } from '../db/schema/index.js';
import type { EpidemicSettings } from '../health/epidemic-settings.js';
import { chinaDay } from '../summary/scope.js';

/** A worker's health record as the gate reads it (his own, or the copy his home sent). */
export interface GateRecord {
  code: HealthCode;
  checkedAt: Date;
  validUntil: Date;
  nucleicAcid: NucleicAcidResult | null;
  testedAt: Date | null;
  source: HealthSource;
}

/** One passenger at the gate. */
export interface GatePassenger {
  /** Taken at the gate; undefined when he was not presented. */
  temperature?: number;
  record?: GateRecord | null;
}

const DAY_MS = 86_400_000;

/**
 * Why the passenger stays off, or null when he boards (see the module comment).
 * @param departureAt the trip's planned departure: its day in China Standard Time is "the day".
 */
export function boardingRefusal(
  passenger: GatePassenger,
  departureAt: Date,
  settings: Pick<EpidemicSettings, 'feverThreshold' | 'nucleicAcidValidDays'>,
): BoardingRefusalReason | null {
  if (passenger.temperature === undefined) return 'ABSENT';
  if (passenger.temperature >= settings.feverThreshold) return 'FEVER';
  const record = passenger.record;
  if (!record || record.source === 'SELF') return 'NO_HEALTH_RECORD';
  const day = chinaDay(departureAt);
  if (record.code !== 'GREEN' || day < chinaDay(record.checkedAt) || day > chinaDay(record.validUntil))
    return 'HEALTH_CODE';
  if (settings.nucleicAcidValidDays > 0) {
    const earliest = chinaDay(new Date(departureAt.getTime() - settings.nucleicAcidValidDays * DAY_MS));
    const tested = record.testedAt ? chinaDay(record.testedAt) : undefined;
    if (record.nucleicAcid !== 'NEGATIVE' || !tested || tested < earliest || tested > day)
      return 'HEALTH_CODE';
  }
  return null;
}
