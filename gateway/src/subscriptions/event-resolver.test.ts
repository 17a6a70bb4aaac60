import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@p2p/runtime';
import { EventResolvers, type FederatedExecutor } from './event-resolver.js';
import type { EntitySelection } from './event-selection.js';
import { TOPICS } from './topics.js';
import type { UpstreamEvent } from './topics.js';

/** The selection `trip { id }` of arrivals. */
function tripIdSelection(): EntitySelection {
  const operation = parse('{ id }').definitions[0];
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('unreachable');
  return {
    topic: TOPICS.arrivals,
    byResponseKey: new Map([['trip', [operation.selectionSet]]]),
    fragments: [],
    variableDefinitions: [],
    variables: {},
    key: 'arrivals|trip{id}',
  };
}

const event = (seq: number): UpstreamEvent =>
  ({ province: '130000', seq, at: '2020-02-20T08:00:00Z', entityId: `T13-${seq}` }) as UpstreamEvent;

describe('resolvers shared by selection and caller', () => {
  it('should share one resolver per (principal, selection), drop it with its last user, and keep counting its queries', async () => {
    let queries = 0;
    const execute: FederatedExecutor = async (_query, variables) => {
      queries++;
      const ids = Object.values(variables).filter((v): v is string => typeof v === 'string');
      return { data: Object.fromEntries(ids.map((id, i) => [`e${i}_0`, { id }])) };
    };
    const resolvers = new EventResolvers({ execute, logger: silentLogger });
    const selection = tripIdSelection();
    const a = resolvers.acquire(selection, 'city:110105', {});
    const b = resolvers.acquire(selection, 'city:110105', {});
    const other = resolvers.acquire(selection, 'province:110000', {});
    expect(b).toBe(a);
    expect(other).not.toBe(a);

    await a.resolve([event(1)]);
    await other.resolve([event(1)]);
    expect(resolvers.queries).toBe(2); // one per principal, never shared across them
    expect(queries).toBe(2);

    resolvers.release(a);
    expect(resolvers.acquire(selection, 'city:110105', {})).toBe(a); // one user left, then one more
    resolvers.release(a);
    resolvers.release(a);
    resolvers.release(a); // a release too many changes nothing
    expect(resolvers.queries).toBe(2); // the retired resolver's query still counts
    const fresh = resolvers.acquire(selection, 'city:110105', {});
    expect(fresh).not.toBe(a);
    resolvers.release(a); // the old resolver of the same key, released late: the new one stays
    expect(resolvers.acquire(selection, 'city:110105', {})).toBe(fresh);
    expect(resolvers.acquire(selection, 'province:110000', {})).toBe(other);
  });
});
