/**
 * The relayed events the provinces wrote, read from their own outboxes (the benchmark's databases
 * are on this machine): the seq where a phase of the benchmark begins and ends in each province,
 * and every RELAY event between, with its target, its `at`, and what its fact says.
 */
import pg from 'pg';
import type { SourceEvent } from './relay-apply-log.js';

/** A RELAY outbox row of a source province. */
export interface RelayOutboxEvent extends SourceEvent {
  /** `TRIP`, `TRIP_COPY`, `RETURN_REQUEST`… */
  fact: string;
  /** For TRIP facts: ASSIGNED, DEPARTED, ARRIVED, HANDED_OVER… */
  event: string | null;
  tripId: string | null;
  /** Workers the fact names (TRIP facts: their list; HEALTH_COPY: one). */
  workers: number;
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** The highest outbox seq of each province now (province code → seq). */
export async function outboxHeads(databaseUrls: Record<string, string>): Promise<Map<string, number>> {
  const heads = await Promise.all(
    Object.entries(databaseUrls).map(async ([province, url]) => {
      const seq = await withClient(url, async (c) =>
        Number(
          (await c.query<{ seq: string }>('SELECT coalesce(max(seq), 0) AS seq FROM outbox')).rows[0]!.seq,
        ),
      );
      return [province, seq] as const;
    }),
  );
  return new Map(heads);
}

/** Every RELAY event each province wrote with a seq in (`from`, `to`], in seq order per source. */
export async function relayEventsBetween(
  databaseUrls: Record<string, string>,
  from: ReadonlyMap<string, number>,
  to: ReadonlyMap<string, number>,
): Promise<RelayOutboxEvent[]> {
  const lists = await Promise.all(
    Object.entries(databaseUrls).map(([source, url]) =>
      withClient(url, async (c) => {
        const { rows } = await c.query<{
          seq: string;
          target: string;
          at_ms: number;
          fact: string;
          event: string | null;
          trip_id: string | null;
          workers: number | null;
        }>(
          `SELECT seq, target, (extract(epoch FROM at) * 1000)::float8 AS at_ms,
                  payload->>'fact' AS fact, payload->>'event' AS event, payload->'trip'->>'id' AS trip_id,
                  CASE WHEN jsonb_typeof(payload->'workers') = 'array' THEN jsonb_array_length(payload->'workers')
                       WHEN payload ? 'workerId' THEN 1 END AS workers
             FROM outbox WHERE target IS NOT NULL AND seq > $1 AND seq <= $2 ORDER BY seq`,
          [from.get(source) ?? 0, to.get(source) ?? 0],
        );
        return rows.map(
          (r): RelayOutboxEvent => ({
            source,
            target: r.target,
            seq: Number(r.seq),
            at: Number(r.at_ms),
            fact: r.fact,
            event: r.event,
            tripId: r.trip_id,
            workers: r.workers ?? 0,
          }),
        );
      }),
    ),
  );
  return lists.flat();
}
