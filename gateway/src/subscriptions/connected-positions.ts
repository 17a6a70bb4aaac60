import type { ProvincePositions } from './vector-cursor.js';

/** One province's position of a vector cursor, with what was asked about it. */
export interface PositionAnswer<T> {
  province: string;
  after: number;
  answer: T;
}

/**
 * Asks `ask` about each position of `start` whose province is connected, all in parallel (the
 * up-front checks of a subscription's cursor: retention points, heads). Positions of provinces
 * that are not connected are left out: their own streams refuse what they must.
 */
export async function askConnectedProvinces<T>(
  connected: readonly string[],
  start: ProvincePositions,
  ask: (province: string, after: number) => Promise<T>,
): Promise<PositionAnswer<T>[]> {
  const known = new Set(connected);
  return Promise.all(
    [...start]
      .filter(([province]) => known.has(province))
      .map(async ([province, after]) => ({ province, after, answer: await ask(province, after) })),
  );
}
