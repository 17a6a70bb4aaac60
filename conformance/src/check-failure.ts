/** One request the kit sent and what came back: what a failed check shows. */
export interface Exchange {
  /** The logical subgraph (`workers`, …) or the path asked. */
  subgraph: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Role and region of the caller the assertion named (`city:130100`); `unsigned` when none. */
  caller: string;
  /** HTTP status, when over HTTP. */
  status?: number;
  /** The answer as received (parsed JSON, or the events of a subscription). */
  answer: unknown;
}

/** Thrown by a check that fails: the message says what the contract wants, the exchange what happened. */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
  constructor(
    message: string,
    readonly exchange?: Exchange,
  ) {
    super(message);
  }
}

/** Thrown by a check that cannot run here (e.g. read-only and no data to read): reported as skipped with the reason. */
export class CheckSkipped extends Error {
  override readonly name = 'CheckSkipped';
}
