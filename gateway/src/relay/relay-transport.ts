/**
 * What the relay needs from the provinces, without saying how it reaches them: the pump
 * (`relay-pump.ts`) runs over this interface, the HTTP adapter (`relay-http-transport.ts`) or a
 * test's fake implements it.
 */
import type {
  RelayApplyAnswer,
  RelayApplyRequest,
  RelayEventsAnswer,
  RelayEventsRequest,
  RelayInboxAnswer,
} from '@p2p/schema';

/** The provinces' relay endpoints. */
export interface RelayTransport {
  /** Source side: the events for some targets after their positions (waits up to `request.waitMs`). */
  readEvents(source: string, request: RelayEventsRequest, signal?: AbortSignal): Promise<RelayEventsAnswer>;
  /** Target side: applies a batch of one source's events; answers the inbox position after it. */
  apply(target: string, request: RelayApplyRequest, signal?: AbortSignal): Promise<RelayApplyAnswer>;
  /** Target side: where its inbox of every source stands. */
  inbox(target: string, signal?: AbortSignal): Promise<RelayInboxAnswer>;
}

/** Why a call to a province's relay endpoint failed. */
export type RelayFailure =
  /** The province refused the position or batch: another epoch, pruned events. Needs an operator. */
  | 'CURSOR_EXPIRED'
  /** The province refused the request as malformed or out of place (e.g. a position beyond its inbox). */
  | 'BAD_USER_INPUT'
  /** The province does not serve the relay, refused the relay's credentials, or failed. */
  | 'REFUSED'
  /** No answer: down, timed out, unreachable. */
  | 'UNREACHABLE';

/** A failed call to a province's relay endpoint (no personal data in the message). */
export class RelayCallError extends Error {
  constructor(
    readonly province: string,
    readonly failure: RelayFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RelayCallError';
  }
}
