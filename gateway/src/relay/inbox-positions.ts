/**
 * Where each target's inbox stands for each source, as last read from the target (`/relay/inbox`):
 * the relay keeps no position of its own, it starts from these (after a restart, or when a target
 * refused a batch as read after the wrong position) and then follows the apply answers.
 */
import type { RelayTransport } from './relay-transport.js';

/** A target's position in one source's events. */
export interface InboxPosition {
  /** The source's epoch the position belongs to; null when the target never applied anything of it. */
  epoch: string | null;
  position: number;
}

/** The targets' inboxes, read once per target and shared by every source's loop until forgotten. */
export class InboxPositions {
  private readonly inboxes = new Map<string, Promise<Map<string, InboxPosition>>>();

  constructor(private readonly transport: RelayTransport) {}

  /**
   * The position of `source` in `target`'s inbox (0 without an epoch when it has none).
   * @throws the transport's error when the target does not answer (nothing is cached then).
   */
  async of(target: string, source: string, signal?: AbortSignal): Promise<InboxPosition> {
    let inbox = this.inboxes.get(target);
    if (!inbox) {
      inbox = this.transport
        .inbox(target, signal)
        .then(
          (answer) =>
            new Map(answer.inbox.map((row) => [row.source, { epoch: row.epoch, position: row.position }])),
        );
      this.inboxes.set(target, inbox);
      inbox.catch(() => this.inboxes.delete(target));
    }
    return (await inbox).get(source) ?? { epoch: null, position: 0 };
  }

  /** Forgets `target`'s inbox: the next {@link of} reads it again. */
  forget(target: string): void {
    this.inboxes.delete(target);
  }
}
