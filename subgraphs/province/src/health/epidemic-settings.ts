/**
 * A province's settings of epidemic control (#14): the temperature from which a passenger is
 * refused at the boarding gate or put under observation at an arrival check, and how old a
 * negative nucleic-acid test may be for the gate (the organising province's choice, DESIGN.md
 * "Health").
 */
import { integerSetting } from '@p2p/runtime';

/** The epidemic-control settings of one province. */
export interface EpidemicSettings {
  /**
   * A temperature at or above it is a fever (°C): refused at boarding, observation at arrival.
   * @default 37.3
   */
  feverThreshold: number;
  /**
   * Days a negative nucleic-acid test stays valid at this province's boarding gates; 0: no test
   * is required (the health code alone decides).
   * @default 0
   */
  nucleicAcidValidDays: number;
}

/** The defaults of {@link EpidemicSettings}. */
export const DEFAULT_EPIDEMIC_SETTINGS: Readonly<EpidemicSettings> = Object.freeze({
  feverThreshold: 37.3,
  nucleicAcidValidDays: 0,
});

/**
 * Reads the settings from the environment: `FEVER_THRESHOLD` (°C, 35.0 to 42.0, one decimal) and
 * `NUCLEIC_ACID_VALID_DAYS` (0 to 30); absent or empty keeps the default.
 * @throws Error naming the setting and the accepted range
 */
export function epidemicSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EpidemicSettings {
  const threshold = env.FEVER_THRESHOLD?.trim();
  if (threshold && !(/^\d{2}(\.\d)?$/.test(threshold) && +threshold >= 35 && +threshold <= 42))
    throw new Error(`FEVER_THRESHOLD must be a temperature from 35.0 to 42.0 °C; got "${threshold}"`);
  return {
    feverThreshold: threshold ? Number(threshold) : DEFAULT_EPIDEMIC_SETTINGS.feverThreshold,
    nucleicAcidValidDays:
      integerSetting(env.NUCLEIC_ACID_VALID_DAYS, 'NUCLEIC_ACID_VALID_DAYS', { max: 30 }) ??
      DEFAULT_EPIDEMIC_SETTINGS.nucleicAcidValidDays,
  };
}
