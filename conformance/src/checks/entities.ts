import { encodeId } from '@p2p/schema';
import { CheckFailure } from '../check-failure.js';
import type { ConformanceCheck } from '../check.js';

/**
 * `_entities` (how the gateway's planner fetches records by reference) answers one item per
 * representation, in the order asked, `null` for an id it does not know.
 */

const ENTITIES = `query KitWorkerEntities($r: [_Any!]!) {
  _entities(representations: $r) { ... on Worker { id } }
}`;

/** Kit workers and unknown ids in one request. */
const KNOWN = 5;
const UNKNOWN = 3;

const order: ConformanceCheck = {
  id: 'entities.order',
  title: '_entities answers in the order asked, with null for unknown ids of the province',
  writes: true,
  async run(kit) {
    const known = (await kit.records.population(KNOWN)).map((w) => w.id);
    const unknown = Array.from({ length: UNKNOWN }, () => encodeId('Worker', kit.province));
    const asked = [...known, ...unknown];
    for (let i = asked.length - 1; i > 0; i -= 1) {
      const j = Math.floor(kit.random() * (i + 1));
      [asked[i], asked[j]] = [asked[j]!, asked[i]!];
    }
    const answer = await kit.link.query(
      'workers',
      ENTITIES,
      { r: asked.map((id) => ({ __typename: 'Worker', id })) },
      kit.callers.provinceOfficer,
    );
    const items: unknown = answer.data?._entities;
    if (!Array.isArray(items) || items.length !== asked.length)
      throw new CheckFailure(
        `_entities must answer one item per representation (${asked.length})`,
        answer.exchange,
      );
    asked.forEach((id, i) => {
      const item = items[i] as { id?: unknown } | null;
      if (unknown.includes(id) && item !== null)
        throw new CheckFailure(
          `_entities must answer null for the unknown id ${id} (item ${i + 1}), not a record`,
          answer.exchange,
        );
      if (known.includes(id) && item?.id !== id)
        throw new CheckFailure(
          `_entities must answer item ${i + 1} with the worker asked there (${id}); got ${JSON.stringify(item)}`,
          answer.exchange,
        );
    });
  },
};

/** The `_entities` checks. */
export const ENTITIES_CHECKS: readonly ConformanceCheck[] = [order];
