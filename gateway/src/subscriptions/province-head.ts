/**
 * Reads a province's outbox head and the epoch of its event sequence (`Query.outboxHead`,
 * `Query.outboxEpoch`, served over graphql-ws). A province of a release before epochs does not
 * know `outboxEpoch` (it refuses the query naming that field, a validation error): its head alone
 * is read (a second query), and its positions carry no epoch. Any other failure (a closed socket,
 * a refused credential, a timeout) is thrown for the caller to retry: taking it for "no epochs"
 * would stop checking the epochs of that province's cursors.
 */

/** What is read over: a province link (an `UpstreamLink`). */
export interface HeadLink {
  query<T>(query: string): Promise<T>;
}

/** A province's head and epoch. */
export interface ProvinceHead {
  head: number;
  /** Absent: the province does not serve epochs. */
  epoch?: string;
}

/**
 * Reads the head (and epoch) over `link`.
 * @throws Error when the province does not answer or answers something else.
 */
export async function readProvinceHead(link: HeadLink): Promise<ProvinceHead> {
  let answer: { outboxHead: string; outboxEpoch?: string };
  try {
    answer = await link.query<{ outboxHead: string; outboxEpoch: string }>(
      'query OutboxHead { outboxHead outboxEpoch }',
    );
  } catch (err) {
    if (!refusesEpochField(err)) throw err;
    // A province before epochs (a rolling upgrade): its head alone.
    answer = await link.query<{ outboxHead: string }>('query OutboxHead { outboxHead }');
  }
  const head = Number(answer.outboxHead);
  if (!Number.isSafeInteger(head) || head < 0) throw new Error(`not an outbox head: ${answer.outboxHead}`);
  return typeof answer.outboxEpoch === 'string' && answer.outboxEpoch
    ? { head, epoch: answer.outboxEpoch }
    : { head };
}

/**
 * Whether `err` is a province before epochs refusing the field `outboxEpoch`: GraphQL validation
 * (`Cannot query field "outboxEpoch"`), or the WebSocket's own rule of those releases, which
 * allowed only `outboxHead` and `outboxPrunedThrough` there (FORBIDDEN, naming both).
 */
export function refusesEpochField(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return (
    /Cannot query field "outboxEpoch"/.test(message) ||
    /serves only subscriptions and outboxHead \/ outboxPrunedThrough\b/.test(message)
  );
}
