/**
 * The subscriptions of a fake province: an in-memory event log (the test appends events) served
 * over graphql-ws at `/transport/graphql` and `/employment/graphql`, with the WebSocket-only
 * `outboxHead` and `outboxPrunedThrough(region:, field:)` a real province serves, and a record of
 * every subscription and question it received (which province the gateway asked, for what).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { regionContains } from '@p2p/schema';
import { buildSchema, type GraphQLScalarType } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

/** A subscription field a province serves. */
export type FakeTopic = 'arrivals' | 'departures' | 'returnRequestsFiled' | 'returnRequestUpdates';

/** One event of the fake outbox. */
export interface FakeEvent {
  seq: number;
  topic: FakeTopic;
  /** What the topic filters on: region codes (any inside the filter matches), or the enterprise id. */
  keys: string[];
  kind?: string;
  status?: string;
  at: string;
  /** The trip's or the return request's id. */
  entityId: string;
  /** TripEvent ARRIVED, HANDED_OVER: the stop's region code. */
  stop?: string;
}

/** One subscription (or WebSocket query) a fake province received. */
export interface FakeSubscriptionCall {
  field: string;
  args: Record<string, unknown>;
}

const SUBGRAPH_OF: Record<FakeTopic, 'transport' | 'employment'> = {
  arrivals: 'transport',
  departures: 'transport',
  returnRequestsFiled: 'employment',
  returnRequestUpdates: 'employment',
};

const SDL = `
  scalar RegionCode
  type Query { outboxHead: String! outboxPrunedThrough(region: String!, field: String): String! }
  type Ref { id: ID! }
  type RegionRef { code: String! }
  type TripEvent { cursor: String! kind: String! at: String! trip: Ref! stop: RegionRef }
  type ReturnRequestEvent { cursor: String! at: String! returnRequest: Ref! }
  type ReturnRequestUpdate { cursor: String! at: String! status: String! returnRequest: Ref! }
  type Subscription {
    arrivals(destination: RegionCode!, after: String): TripEvent!
    departures(homeRegion: RegionCode!, after: String): TripEvent!
    returnRequestsFiled(origin: RegionCode!, after: String): ReturnRequestEvent!
    returnRequestUpdates(enterpriseId: ID!, after: String): ReturnRequestUpdate!
  }`;

/** The filter argument of each field. */
const FILTER_OF: Record<FakeTopic, string> = {
  arrivals: 'destination',
  departures: 'homeRegion',
  returnRequestsFiled: 'origin',
  returnRequestUpdates: 'enterpriseId',
};

/** The event log of one fake province and its graphql-ws service. */
export class FakeEventLog {
  /** Events appended, in seq order. */
  readonly events: FakeEvent[] = [];
  /** Subscriptions and WebSocket queries received, in order. */
  readonly calls: FakeSubscriptionCall[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly schema = buildSchema(SDL);

  constructor() {
    // RegionCode arrives as a string; a plain pass-through scalar is enough for a fake.
    Object.assign(this.schema.getType('RegionCode') as GraphQLScalarType, {
      parseValue: (v: unknown) => v,
      serialize: (v: unknown) => v,
    });
  }

  /** The highest seq given out. */
  get head(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  /** Appends an event (seq = head + 1) and wakes the subscriptions. */
  emit(event: Omit<FakeEvent, 'seq' | 'at'> & { at?: string }): FakeEvent {
    const full = { ...event, seq: this.head + 1, at: event.at ?? new Date().toISOString() };
    this.events.push(full);
    for (const wake of this.waiters) wake();
    return full;
  }

  /** Subscriptions received for `field`, with their arguments. */
  subscriptions(field: FakeTopic): Record<string, unknown>[] {
    return this.calls.filter((c) => c.field === field).map((c) => c.args);
  }

  /** A WebSocket server taking the upgrades of `/transport/graphql` and `/employment/graphql`. */
  attach(server: Server): () => Promise<void> {
    const wss = new WebSocketServer({ noServer: true });
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const subgraph = /^\/(transport|employment)\/graphql/.exec(req.url ?? '')?.[1];
      if (!subgraph) return socket.destroy();
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    };
    server.on('upgrade', onUpgrade);
    const disposable = useServer(
      {
        schema: this.schema,
        roots: {
          query: {
            outboxHead: () => {
              this.calls.push({ field: 'outboxHead', args: {} });
              return String(this.head);
            },
            outboxPrunedThrough: (args: Record<string, unknown>) => {
              this.calls.push({ field: 'outboxPrunedThrough', args });
              return '0';
            },
          },
          subscription: Object.fromEntries(
            (Object.keys(FILTER_OF) as FakeTopic[]).map((topic) => [
              topic,
              (args: Record<string, unknown>) => {
                this.calls.push({ field: topic, args });
                return this.follow(topic, String(args[FILTER_OF[topic]]), Number(args.after ?? this.head));
              },
            ]),
          ),
        },
      },
      wss,
    );
    return async () => {
      server.off('upgrade', onUpgrade);
      await disposable.dispose();
      for (const client of wss.clients) client.terminate();
      wss.close();
    };
  }

  /** The events of `topic` matching `filter` after `after`, then live ones, as the field's payload. */
  private async *follow(
    topic: FakeTopic,
    filter: string,
    after: number,
  ): AsyncGenerator<Record<string, unknown>> {
    let position = after;
    for (;;) {
      const next = this.events.find(
        (e) =>
          e.seq > position &&
          e.topic === topic &&
          e.keys.some((key) =>
            topic === 'returnRequestUpdates' ? key === filter : regionContains(filter, key),
          ),
      );
      if (!next) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            this.waiters.delete(wake);
            resolve();
          };
          this.waiters.add(wake);
        });
        continue;
      }
      position = next.seq;
      const entity = { id: next.entityId };
      yield {
        [topic]: {
          cursor: String(next.seq),
          at: next.at,
          ...(next.kind !== undefined ? { kind: next.kind } : {}),
          ...(next.status !== undefined ? { status: next.status } : {}),
          ...(SUBGRAPH_OF[topic] === 'transport' ? { trip: entity } : { returnRequest: entity }),
          ...(SUBGRAPH_OF[topic] === 'transport' ? { stop: next.stop ? { code: next.stop } : null } : {}),
        },
      };
    }
  }
}
