/**
 * A process of the subscriptions benchmark's clients (subscriptions.ts forks one per 5,000): it
 * holds its share of the graphql-ws clients, records when each delivery arrives, and checks per
 * client what it got. The clients live apart from the bench's own work (the federation's output,
 * the planned trips, the checks of the other clients): a real receiving district's officer does
 * not share a process with the hub's load, so that work's pauses must not count as the hub's
 * latency. Driven over the IPC channel with {@link SubscriberCommand}s; answers each with one
 * {@link SubscriberReply}, both carrying the command's number (`id`).
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { regionContains } from '@p2p/schema';

/** One client to open: its filter and the officer's connection params. */
export interface SubscriberSpec {
  filter: string;
  params: Record<string, string>;
}

/** What the bench asks of a subscriber process. */
export type SubscriberCommand =
  /** Opens `clients`, at most `handshakes` of them connecting at once. */
  | { type: 'open'; wsUrl: string; query: string; clients: SubscriberSpec[]; handshakes: number }
  | { type: 'measure' }
  /**
   * Every client leaves at once and comes back with the last cursor it got (`after`), at most
   * `handshakes` connecting at once (a gateway replica gone, its clients moved to another): replies
   * once all are subscribed again, with how long that took. Measures meanwhile; what each client
   * got before is kept, so an event it gets again counts as repeated at the next `check`.
   */
  | { type: 'move'; handshakes: number }
  /**
   * Waits until every client has every `measured` trip of its filter (or `deadlineMs` passes), then
   * stops measuring and checks each client. `trips`: every trip the bench planned (id, destination).
   */
  | { type: 'check'; measured: string[]; trips: [string, string][]; deadlineMs: number }
  | { type: 'close' };

/** What one phase measured in this process. */
export interface SubscriberCheck {
  /** Event-to-client latencies of every delivery while measuring, ms. */
  latencies: number[];
  expected: number;
  lost: number;
  repeated: number;
  foreign: number;
  /** Deliveries of trips whose planTrip answered an error (unknown to the bench). */
  unknown: number;
}

/** A subscriber process's answer to each command, in order. */
export type SubscriberReply =
  | { type: 'opened'; errors: number; errorSamples: string[]; slowConsumerCloses: number }
  | { type: 'measuring' }
  | { type: 'moved'; seconds: number; errors: number; errorSamples: string[]; slowConsumerCloses: number }
  | ({
      type: 'checked';
      errors: number;
      errorSamples: string[];
      slowConsumerCloses: number;
    } & SubscriberCheck)
  | { type: 'closed' };

/**
 * A client socket whose opening handshake gives up after 30 s: with a thousand handshakes at once
 * one can hang unanswered, and graphql-ws alone would wait on it for ever.
 */
class BenchSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols, { handshakeTimeout: 30_000 });
  }
}

const clients: Client[] = [];
const filters: string[] = [];
const specs: SubscriberSpec[] = [];
/** The last cursor each client got (where it resumes after a move). */
const cursors: (string | undefined)[] = [];
/** Where the clients connect, and their subscription (with `$d` and `$after`). */
let target: { wsUrl: string; query: string } | undefined;
/** What each client received: `tripId kind` → deliveries. */
const received: Map<string, number>[] = [];
const latencies: number[] = [];
let measuring = false;
/** Set by `close`: an `open` still waiting for handshakes stops waiting. */
let closing = false;
let errors = 0;
const errorSamples = new Set<string>();
let slowConsumerCloses = 0;

const sample = (text: string) => {
  if (errorSamples.size < 5) errorSamples.add(text.slice(0, 300));
};
const counts = () => ({ errors, errorSamples: [...errorSamples], slowConsumerCloses });

/**
 * Connects client `i` (its filter and params from `specs[i]`), subscribed from `after` when given;
 * `settle` is called once it is acknowledged or has failed.
 */
function connect(i: number, after: string | undefined, settle: () => void): void {
  const spec = specs[i]!;
  const mine = received[i]!;
  const client = createClient({
    url: target!.wsUrl,
    webSocketImpl: BenchSocket,
    connectionParams: spec.params,
    // A handshake or acknowledgement that does not come is retried: the bench measures
    // deliveries, not how a busy box answers its thousandth connection at once. A retry
    // during a phase loses that client's events, and the per-client check counts them.
    retryAttempts: 3,
    connectionAckWaitTimeout: 30_000,
    keepAlive: 30_000,
    lazy: false,
    onNonLazyError: settle, // counted by the subscription's error callback
    on: { connected: settle },
  });
  clients[i] = client;
  client.subscribe<{
    arrivals: { cursor: string; at: string; kind: string; trip: { id: string } | null };
  }>(
    { query: target!.query, variables: { d: spec.filter, ...(after ? { after } : {}) } },
    {
      next: (r) => {
        const now = Date.now();
        const event = r.data?.arrivals;
        if (!event?.trip) {
          errors++;
          sample(JSON.stringify(r));
          return;
        }
        cursors[i] = event.cursor;
        const key = `${event.trip.id} ${event.kind}`;
        mine.set(key, (mine.get(key) ?? 0) + 1);
        if (measuring) latencies.push(now - Date.parse(event.at));
      },
      error: (e) => {
        settle();
        if ((e as { code?: number })?.code === 4600) slowConsumerCloses++;
        else {
          errors++;
          sample(String((e as Error)?.message ?? JSON.stringify(e)));
        }
      },
      complete: () => {},
    },
  );
}

/**
 * Connects clients `from` to `to` - 1, each from its cursor when `resume`, at most `handshakes` in
 * flight; resolves once each is acknowledged or failed (or the process closes).
 */
async function connectAll(from: number, to: number, resume: boolean, handshakes: number): Promise<void> {
  let settled = 0;
  for (let i = from; i < to; i++) {
    if (closing) return;
    let done = false;
    connect(i, resume ? cursors[i] : undefined, () => {
      if (done) return;
      done = true;
      settled++;
    });
    while (i + 1 - from - settled >= handshakes && !closing) await new Promise((r) => setTimeout(r, 20));
  }
  while (settled < to - from && !closing) await new Promise((r) => setTimeout(r, 20));
}

/** Waits for the measured trips to arrive, then checks each client (see {@link SubscriberCommand}). */
async function check(
  measured: string[],
  trips: Map<string, string>,
  deadlineMs: number,
): Promise<SubscriberCheck> {
  const expectedOf = new Map<string, string[]>();
  for (const filter of new Set(filters))
    expectedOf.set(
      filter,
      measured.filter((id) => regionContains(filter, trips.get(id)!)).map((id) => `${id} PLANNED`),
    );
  const expected = received.reduce((n, _, i) => n + expectedOf.get(filters[i]!)!.length, 0);
  const delivered = () => {
    let n = 0;
    received.forEach((mine, i) => {
      for (const key of expectedOf.get(filters[i]!)!) if (mine.has(key)) n++;
    });
    return n;
  };
  // The full count (a walk over every client) only once the deliveries add up: a walk while
  // events still arrive would pause this process's clients, and count as the hub's latency.
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline && (latencies.length < expected || delivered() < expected))
    await new Promise((r) => setTimeout(r, 250));
  measuring = false;
  let lost = 0;
  let repeated = 0;
  let foreign = 0;
  let unknown = 0;
  received.forEach((mine, i) => {
    const filter = filters[i]!;
    for (const key of expectedOf.get(filter)!) if (!mine.has(key)) lost++;
    for (const [key, count] of mine) {
      const destination = trips.get(key.split(' ')[0]!);
      if (!destination) unknown += count;
      else if (!regionContains(filter, destination)) foreign += count;
      else if (count > 1) repeated += count - 1;
    }
  });
  return { latencies: latencies.splice(0), expected, lost, repeated, foreign, unknown };
}

process.on('message', (command: SubscriberCommand & { id: number }) => {
  const run = async (): Promise<SubscriberReply> => {
    switch (command.type) {
      case 'open': {
        target = { wsUrl: command.wsUrl, query: command.query };
        const from = specs.length;
        for (const spec of command.clients) {
          specs.push(spec);
          filters.push(spec.filter);
          received.push(new Map());
          cursors.push(undefined);
        }
        await connectAll(from, specs.length, false, command.handshakes);
        return { type: 'opened', ...counts() };
      }
      case 'move': {
        const started = Date.now();
        latencies.length = 0;
        measuring = true;
        await Promise.allSettled(clients.map((c) => c.dispose()));
        await connectAll(0, specs.length, true, command.handshakes);
        return { type: 'moved', seconds: (Date.now() - started) / 1000, ...counts() };
      }
      case 'measure':
        latencies.length = 0;
        for (const mine of received) mine.clear();
        measuring = true;
        return { type: 'measuring' };
      case 'check':
        return {
          type: 'checked',
          ...(await check(command.measured, new Map(command.trips), command.deadlineMs)),
          ...counts(),
        };
      case 'close':
        closing = true;
        await Promise.allSettled(clients.map((c) => c.dispose()));
        return { type: 'closed' };
    }
  };
  // Each reply carries its command's number: commands may overlap (a close during a check).
  const reply = (message: SubscriberReply) => {
    // The bench may have gone meanwhile (interrupted): a reply to nobody is dropped, not an error.
    if (process.connected) process.send!({ ...message, id: command.id }, undefined, {}, () => {});
  };
  run().then(reply, (err: unknown) => {
    console.error(`subscriber process failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
});
// The bench gone (its channel closed): nothing to report to.
process.on('disconnect', () => process.exit(0));
