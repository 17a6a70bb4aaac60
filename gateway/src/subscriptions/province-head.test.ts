/**
 * Reading a province's head and epoch: only a province that refuses the `outboxEpoch` field (a
 * release before epochs, during a rolling upgrade) is read without an epoch; any other failure is
 * the caller's to retry, never "this province has no epochs" (its cursors' epochs would go unchecked).
 */
import { describe, expect, it } from 'vitest';
import { readProvinceHead, type HeadLink } from './province-head.js';

/** A link answering the epoch query with `first` (an error to throw, or the answer). */
function link(first: Error | Record<string, string>) {
  const asked: string[] = [];
  const headLink: HeadLink = {
    async query<T>(query: string) {
      asked.push(query);
      if (query.includes('outboxEpoch')) {
        if (first instanceof Error) throw first;
        return first as T;
      }
      return { outboxHead: '12' } as T;
    },
  };
  return { headLink, asked };
}

describe('reading a province head', () => {
  it('should read the head and the epoch together', async () => {
    const { headLink, asked } = link({ outboxHead: '40', outboxEpoch: 'e1' });
    await expect(readProvinceHead(headLink)).resolves.toEqual({ head: 40, epoch: 'e1' });
    expect(asked).toHaveLength(1);
  });

  it('should read the head alone of a province that does not know outboxEpoch', async () => {
    const { headLink, asked } = link(new Error('Cannot query field "outboxEpoch" on type "Query".'));
    await expect(readProvinceHead(headLink)).resolves.toEqual({ head: 12 });
    expect(asked).toHaveLength(2);
  });

  it('should read the head alone of a province whose WebSocket allowed only outboxHead and outboxPrunedThrough (the release before epochs)', async () => {
    const { headLink, asked } = link(
      new Error(
        "a province's WebSocket serves only subscriptions and outboxHead / outboxPrunedThrough; send queries over HTTP",
      ),
    );
    await expect(readProvinceHead(headLink)).resolves.toEqual({ head: 12 });
    expect(asked).toHaveLength(2);
  });

  it.each([
    "a province's WebSocket serves only subscriptions and outboxHead / outboxEpoch / outboxPrunedThrough; send queries over HTTP",
    'closed 1006',
    'closed 4401 Unauthorized',
    'timed out',
    'Cannot query field "outboxHead" on type "Query".',
  ])('should throw, not take the province for one without epochs, on "%s"', async (message) => {
    const { headLink, asked } = link(new Error(message));
    await expect(readProvinceHead(headLink)).rejects.toThrow(message);
    expect(asked).toHaveLength(1);
  });
});
