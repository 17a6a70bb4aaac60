/**
 * Reads a province's outbox head and the epoch of its event sequence (`Query.outboxHead`,
 * `Query.outboxEpoch`, served over graphql-ws). A province of a release before epochs does not
 * know `outboxEpoch`: its head alone is read (a second query), and its positions carry no epoch.
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
  } catch {
    // A province before epochs refuses the field (or the query on its WebSocket): its head alone.
    answer = await link.query<{ outboxHead: string }>('query OutboxHead { outboxHead }');
  }
  const head = Number(answer.outboxHead);
  if (!Number.isSafeInteger(head) || head < 0) throw new Error(`not an outbox head: ${answer.outboxHead}`);
  return typeof answer.outboxEpoch === 'string' && answer.outboxEpoch
    ? { head, epoch: answer.outboxEpoch }
    : { head };
}
