import { describe, expect, it } from 'vitest';
import { assertCursorsReached } from './head-check.js';
import { TOPICS } from './topics.js';

/** Feeds of three connected provinces whose heads are given (undefined: no answer). */
function feedsWith(heads: Record<string, number | undefined>, wentBack: Record<string, number> = {}) {
  const asked: string[] = [];
  const feeds = {
    provinces: ['130000', '410000', '450000'],
    async headReaches(province: string, subgraph: string, position: number) {
      asked.push(`${province}/${subgraph}`);
      const head = heads[province];
      return head === undefined ? undefined : position <= head;
    },
    wentBackBelow: (province: string) =>
      wentBack[province] === undefined ? undefined : { epoch: `${province}-e1`, head: wentBack[province] },
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

  it('should expire a position beyond where a province went back in its epoch, even once its head is past it again', async () => {
    // Henan was restored without noticing it: its head went back to 12; it is at 30 again since.
    const { feeds } = feedsWith({ '130000': 41, '410000': 30 }, { '410000': 12 });
    await expect(
      assertCursorsReached(feeds, TOPICS.arrivals, new Map([['410000', 20]])),
    ).rejects.toMatchObject({
      extensions: { code: 'CURSOR_EXPIRED', field: 'after', province: '410000', epoch: '410000-e1' },
    });
    // Up to where it went back, the events are those the client had.
    await expect(
      assertCursorsReached(
        feeds,
        TOPICS.arrivals,
        new Map([
          ['410000', 12],
          ['130000', 41],
        ]),
      ),
    ).resolves.toBeUndefined();
  });
});
