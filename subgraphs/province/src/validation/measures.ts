import { badInput } from '@p2p/schema';

/**
 * An integer within [min, max].
 * @throws BAD_USER_INPUT naming the range.
 */
export function intInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw badInput(`${field}: must be a whole number from ${min} to ${max}`, field);
  return value;
}

/** Body temperatures a thermometer at boarding can plausibly read, °C. */
export const TEMPERATURE_RANGE = { min: 34, max: 43 } as const;

/**
 * A body temperature in °C within {@link TEMPERATURE_RANGE}, rounded to 0.1.
 * @throws BAD_USER_INPUT otherwise (e.g. a reading in °F).
 */
export function bodyTemperature(value: number, field = 'temperature'): number {
  if (!Number.isFinite(value) || value < TEMPERATURE_RANGE.min || value > TEMPERATURE_RANGE.max) {
    throw badInput(
      `${field}: ${value} is not a body temperature in °C (${TEMPERATURE_RANGE.min}–${TEMPERATURE_RANGE.max})`,
      field,
    );
  }
  return Math.round(value * 10) / 10;
}

/** How far in the future a reported past event (a test, an arrival) may lie: clock skew. */
export const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * An instant that has already happened (tolerating {@link CLOCK_SKEW_MS}).
 * @throws BAD_USER_INPUT when it lies in the future.
 */
export function pastInstant(value: Date, field: string, now = Date.now()): Date {
  if (value.getTime() > now + CLOCK_SKEW_MS)
    throw badInput(`${field}: ${value.toISOString()} lies in the future`, field);
  return value;
}

/**
 * Checks `later` is not before `earlier` (days as YYYY-MM-DD or instants).
 * @throws BAD_USER_INPUT naming both fields.
 */
export function notBefore(
  later: Date | string,
  earlier: Date | string,
  laterField: string,
  earlierField: string,
): void {
  const a = typeof later === 'string' ? later : later.getTime();
  const b = typeof earlier === 'string' ? earlier : earlier.getTime();
  if (a < b) throw badInput(`${laterField} must not be before ${earlierField}`, laterField);
}
