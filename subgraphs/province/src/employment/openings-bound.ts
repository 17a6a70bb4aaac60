/**
 * Most openings one enterprise may report (#11.13), and offer in all its job posts (#15): totals
 * stay `Int`, so inputs are bounded far below 2^31 (a national sum reaches 2^31 only past 21,474
 * enterprises all at the bound; a sum past 2^31 − 1 is a field error, never a wrapped number:
 * README, Limits).
 */
export const MAX_OPENINGS = 100_000;
