/**
 * The subscription backlog of one gateway process: the client streams alive and the events
 * waiting in their buffers (received from the provinces, not yet sent), and how many clients
 * were cut off for reading too slowly. What `/metrics` shows so an operator sees clients falling
 * behind before they are closed (SubscriptionCloseCode.SlowConsumer).
 */

/** What the backlog reads of a client stream. */
export interface BufferedStream {
  /** Events waiting for the client. */
  readonly buffered: number;
}

/** The backlog's figures at one moment. */
export interface BacklogStats {
  /** Events waiting in every client's buffer. */
  bufferedEvents: number;
  /** The most events waiting for one client. */
  maxBufferedEvents: number;
  /** Clients cut off for reading too slowly since start. */
  slowConsumersClosed: number;
}

/** The live client streams of a process and their cut-offs. */
export class ClientBacklog {
  private readonly live = new Set<BufferedStream>();
  private slowConsumers = 0;

  /** A client stream started. */
  add(stream: BufferedStream): void {
    this.live.add(stream);
  }

  /** A client stream ended (however it ended). */
  remove(stream: BufferedStream): void {
    this.live.delete(stream);
  }

  /** A client was cut off because its buffer overflowed. */
  slowConsumerClosed(): void {
    this.slowConsumers++;
  }

  /** The figures now (one pass over the live streams, at scrape time). */
  stats(): BacklogStats {
    let bufferedEvents = 0;
    let maxBufferedEvents = 0;
    for (const stream of this.live) {
      const waiting = stream.buffered;
      bufferedEvents += waiting;
      if (waiting > maxBufferedEvents) maxBufferedEvents = waiting;
    }
    return { bufferedEvents, maxBufferedEvents, slowConsumersClosed: this.slowConsumers };
  }
}
