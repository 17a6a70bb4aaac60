import { describe, expect, it } from 'vitest';
import { assertCursorsRetained } from './retention-check.js';
import { TOPICS } from './topics.js';
import type { UpstreamFeeds } from './upstream-feeds.js';

/** Feeds of three connected provinces whose retention points are given (undefined: no answer). */
function feedsWith(through: Record<string, number | undefined>) {
  const asked: string[] = [];
  const feeds = {
    provinces: ['130000', '410000', '450000'],
    async prunedThrough(province: string, topic: { subgraph: string }, region: string) {
      asked.push(`${province}/${topic.subgraph}/${region}`);
      return through[province];
    },
  } as unknown as UpstreamFeeds;
  return { feeds, asked };
}

describe("a vector cursor against the provinces' retention", () => {
  it("should accept positions at or above every province's retention point", async () => {
    const { feeds, asked } = feedsWith({ '130000': 5, '410000': 0, '450000': 7 });
    await expect(
      assertCursorsRetained(
        feeds,
        TOPICS.arrivals,
        '110000',
        new Map([
          ['130000', 5],
          ['410000', 0],
          ['450000', 90],
        ]),
      ),
    ).resolves.toBeUndefined();
    expect(asked.sort()).toEqual([
      '130000/transport/110000',
      '410000/transport/110000',
      '450000/transport/110000',
    ]);
  });

  it("should refuse a position below a province's retention point with CURSOR_EXPIRED naming the province", async () => {
    const { feeds } = feedsWith({ '130000': 5, '410000': 12, '450000': 7 });
    await expect(
      assertCursorsRetained(
        feeds,
        TOPICS.arrivals,
        '110000',
        new Map([
          ['130000', 5],
          ['410000', 11],
        ]),
      ),
    ).rejects.toMatchObject({
      extensions: { code: 'CURSOR_EXPIRED', field: 'after', province: '410000', prunedThrough: '12' },
      message: expect.stringMatching(/province 410000 no longer keeps/),
    });
  });

  it('should not check provinces that do not answer or are not connected', async () => {
    const { feeds, asked } = feedsWith({ '130000': undefined });
    await expect(
      assertCursorsRetained(
        feeds,
        TOPICS.returnRequestsFiled,
        '450000',
        new Map([
          ['130000', 1],
          ['999999', 1],
        ]),
      ),
    ).resolves.toBeUndefined();
    expect(asked).toEqual(['130000/employment/450000']);
  });
});
