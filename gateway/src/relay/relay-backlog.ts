/**
 * A fresh measure of what the relay has left to do, asked of the provinces themselves (not the
 * pump's last view): each target's inbox positions, then each source's head and backlog for every
 * target after them (a read without events and without waiting). `caughtUp` when every committed
 * RELAY event of every source has been applied by its target: what tests and benchmarks wait for
 * (`GET /relay/backlog` on the admin paths).
 */
import type { RelayConsumerPosition } from '@p2p/schema';
import type { RelayTransport } from './relay-transport.js';

/** One source → target pair as measured. */
export interface MeasuredPair {
  source: string;
  target: string;
  /** The source's highest event for the target. */
  head: number;
  /** The target's inbox position for the source. */
  position: number;
  /** Events for the target the source holds after that position. */
  backlog: number;
  /** Why the source refuses the position (an alarm), if it does. */
  refused?: string;
}

/** The answer of {@link measureBacklog}. */
export interface RelayBacklog {
  /** Every committed relay event is applied, every province answered and nothing is refused. */
  caughtUp: boolean;
  /** When it was measured (ISO 8601). */
  measuredAt: string;
  pairs: MeasuredPair[];
  /** Provinces that did not answer (their pairs are not measured). */
  unreachable: string[];
  /**
   * Provinces the gateway does not route to (their contract, their conformance report): not asked,
   * their pairs held by the relay and not measured.
   */
  held: string[];
}

/** Measures the backlog of every pair of `provinces` (see the module comment). */
export async function measureBacklog(
  transport: RelayTransport,
  connected: readonly string[],
  refusal: (province: string) => string | undefined = () => undefined,
): Promise<RelayBacklog> {
  const measuredAt = new Date().toISOString();
  const held = connected.filter((p) => refusal(p) !== undefined);
  const provinces = connected.filter((p) => !held.includes(p));
  const unreachable = new Set<string>();
  const inboxes = new Map<string, Map<string, RelayConsumerPosition>>();
  await Promise.all(
    provinces.map(async (target) => {
      try {
        const answer = await transport.inbox(target);
        inboxes.set(
          target,
          new Map(answer.inbox.map((row) => [row.source, { target, epoch: row.epoch, after: row.position }])),
        );
      } catch {
        unreachable.add(target);
      }
    }),
  );
  const pairs: MeasuredPair[] = [];
  await Promise.all(
    provinces.map(async (source) => {
      const consumers = provinces
        .filter((t) => t !== source && inboxes.has(t))
        .map((target) => inboxes.get(target)!.get(source) ?? { target, epoch: null, after: 0 });
      if (consumers.length === 0) return;
      try {
        const answer = await transport.readEvents(source, { consumers, limit: 0, waitMs: 0 });
        for (const batch of answer.consumers) {
          const position = consumers.find((c) => c.target === batch.target)!.after;
          pairs.push({
            source,
            target: batch.target,
            head: batch.head,
            position,
            backlog: batch.pending,
            ...(batch.refused ? { refused: `${batch.refused.code}: ${batch.refused.message}` } : {}),
          });
        }
      } catch {
        unreachable.add(source);
      }
    }),
  );
  pairs.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
  return {
    caughtUp:
      unreachable.size === 0 && held.length === 0 && pairs.every((p) => p.backlog === 0 && !p.refused),
    measuredAt,
    pairs,
    unreachable: [...unreachable].sort(),
    held,
  };
}
