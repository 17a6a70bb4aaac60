import { describe, expect, it } from 'vitest';
import { assertCursorsReached } from './head-check.js';
import { TOPICS } from './topics.js';

/** Feeds of three connected provinces whose heads are given (undefined: no answer). */
function feedsWith(heads: Record<string, number | undefined>) {
  const asked: string[] = [];
  const feeds = {
    provinces: ['130000', '410000', '450000'],
    async headReaches(province: string, subgraph: string, position: number) {
      asked.push(`${province}/${subgraph}`);
      const head = heads[province];
      return head === undefined ? undefined : position <= head;
    },
  };
  return { feeds, asked };
}

describe("a vector cursor against the provinces' heads", () => {
  it('should accept positions at or below every province head', async () => {
    const { feeds, asked } = feedsWith({ '130000': 41, '410000': 0, '450000': 7 });
    await expect(
      assertCursorsReached(
        feeds,
        TOPICS.arrivals,
        new Map([
          ['130000', 41],
          ['410000', 0],
          ['450000', 3],
        ]),
      ),
    ).resolves.toBeUndefined();
    expect(asked.sort()).toEqual(['130000/transport', '410000/transport', '450000/transport']);
  });

  it('should refuse a position ahead of a province head with BAD_USER_INPUT naming it (#11.7 feed poisoning)', async () => {
    const { feeds } = feedsWith({ '130000': 41, '410000': 12, '450000': 7 });
    await expect(
      assertCursorsReached(
        feeds,
        TOPICS.returnRequestsFiled,
        new Map([
          ['130000', 41],
          ['410000', 1e12],
        ]),
      ),
    ).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'after', province: '410000' },
      message: expect.stringMatching(/province 410000 .* is ahead of its latest event/),
    });
  });

  it('should not check provinces that do not answer or are not connected', async () => {
    const { feeds, asked } = feedsWith({ '130000': undefined });
    await expect(
      assertCursorsReached(
        feeds,
        TOPICS.arrivals,
        new Map([
          ['130000', 1e12],
          ['999999', 1e12],
        ]),
      ),
    ).resolves.toBeUndefined();
    expect(asked).toEqual(['130000/transport']);
  });
});
