/**
 * WebSocket keep-alive towards the gateway's clients. Each client is pinged once per interval and
 * dropped on its next turn when it has sent nothing since (no pong, no message): a dead client is
 * gone within two intervals of its last sign of life.
 *
 * The clients are spread over the turns of one timer (a turn every `turnMs`), so 10,000 clients
 * cost 10,000 pings per interval in groups of a few dozen, never one loop long enough to hold back
 * the events, and no timer or listener per client or per ping (#17.4: the per-client
 * timers, one `setTimeout` and one `pong` listener per ping, were a tenth of the gateway's CPU at
 * 10,000 subscribers).
 */

/**
 * The gateway's ping interval towards its subscription clients: a dead client is dropped within
 * 30 s, well inside the 60 s idle timeout of the usual proxies and load balancers, and 10,000
 * clients cost 667 pings a second (at 6 s they were 1,667, more than the deliveries of 10
 * arrivals a second to them).
 */
export const DEFAULT_CLIENT_KEEPALIVE_MS = 15_000;

/** What the heartbeat needs of a socket (`ws`'s WebSocket has it). */
export interface HeartbeatSocket {
  readonly readyState: number;
  readonly OPEN: number;
  readonly CLOSED: number;
  ping(): void;
  terminate(): void;
}

/** Options of {@link ClientHeartbeat}. */
export interface ClientHeartbeatOptions {
  /** Each client is pinged once per interval; 0 or Infinity: no pings. */
  intervalMs: number;
  /** How often the timer takes its turn, pinging its share of the clients (a whole interval at most). @default 100 */
  turnMs?: number;
}

/** The keep-alive of a server's client sockets (see the module comment). */
export class ClientHeartbeat<S extends HeartbeatSocket> {
  /** The sockets of each turn. */
  private readonly slices: Set<S>[];
  /** Each socket followed: its turn, and whether it answered since its last ping (true until its first). */
  private readonly followed = new Map<S, { slice: Set<S>; answered: boolean }>();
  private turn = 0;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(options: ClientHeartbeatOptions) {
    const enabled = options.intervalMs > 0 && Number.isFinite(options.intervalMs);
    const slices = enabled ? Math.max(1, Math.round(options.intervalMs / (options.turnMs ?? 100))) : 1;
    this.slices = Array.from({ length: slices }, () => new Set<S>());
    this.timer = enabled
      ? setInterval(() => this.nextTurn(), options.intervalMs / slices).unref()
      : undefined;
  }

  /** Follows `socket` from now on, in the turn that has the fewest sockets. */
  add(socket: S): void {
    if (this.followed.has(socket)) return;
    let slice = this.slices[0]!;
    for (const s of this.slices) if (s.size < slice.size) slice = s;
    slice.add(socket);
    this.followed.set(socket, { slice, answered: true });
  }

  /** A sign of life from `socket` (a pong, a message). */
  seen(socket: S): void {
    const followed = this.followed.get(socket);
    if (followed) followed.answered = true;
  }

  /** Stops following `socket` (it closed). */
  remove(socket: S): void {
    this.followed.get(socket)?.slice.delete(socket);
    this.followed.delete(socket);
  }

  /** Stops the timer; no socket is pinged or dropped any more. */
  stop(): void {
    clearInterval(this.timer);
  }

  /** One turn: drops the sockets of this turn that did not answer their last ping, pings the others. */
  private nextTurn(): void {
    const slice = this.slices[this.turn]!;
    this.turn = (this.turn + 1) % this.slices.length;
    for (const socket of slice) {
      if (socket.readyState !== socket.OPEN) {
        // closing: its turn comes again; closed without its `close` event reaching `remove`: dropped here
        if (socket.readyState === socket.CLOSED) this.remove(socket);
        continue;
      }
      const followed = this.followed.get(socket)!;
      if (!followed.answered) {
        this.remove(socket);
        socket.terminate();
        continue;
      }
      followed.answered = false;
      socket.ping();
    }
  }
}
