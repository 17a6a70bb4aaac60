import { describe, expect, it } from 'vitest';
import { walkProblems, type WalkedPage } from './pagination-walk.js';

const WHOLE = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

/** The pages a correct province answers for these sizes. */
function pagesOf(ids: readonly string[], sizes: readonly number[], total = ids.length): WalkedPage[] {
  const pages: WalkedPage[] = [];
  let at = 0;
  for (const asked of sizes) {
    const slice = ids.slice(at, at + asked);
    at += slice.length;
    pages.push({
      asked,
      ids: slice,
      hasNextPage: at < ids.length,
      endCursor: slice.at(-1) ?? null,
      totalCount: total,
    });
    if (at >= ids.length) break;
  }
  return pages;
}

describe('walkProblems (the keyset walk judgement)', () => {
  it('should find nothing wrong when the pages concatenate to the whole list', () => {
    expect(walkProblems(WHOLE, pagesOf(WHOLE, [3, 1, 2, 5]), true, 7)).toEqual([]);
  });

  it('should name the gap when a page skips a record', () => {
    const pages = pagesOf(WHOLE, [3, 4]);
    pages[1] = { ...pages[1]!, ids: pages[1]!.ids.slice(1) };
    expect(walkProblems(WHOLE, pages, true, 7)).toContain(
      'after c the whole list has d, the walk gave e (record 4)',
    );
  });

  it('should name a record a page repeats', () => {
    const pages = pagesOf(WHOLE, [3, 4]);
    pages[1] = { ...pages[1]!, ids: ['c', ...pages[1]!.ids.slice(0, 3)] };
    expect(walkProblems(WHOLE, pages, true, 7).join('; ')).toMatch(/page 2 \(first: 4\) repeats c/);
  });

  it('should say so when a complete walk ends early or says hasNextPage at the end', () => {
    const early = pagesOf(WHOLE, [3, 2]).map((p) => ({ ...p, hasNextPage: false }));
    expect(walkProblems(WHOLE, early, true, 7).join('; ')).toMatch(/ended after 5 of 7 records/);
    const endless = pagesOf(WHOLE, [7]).map((p) => ({ ...p, hasNextPage: true }));
    expect(walkProblems(WHOLE, endless, true, 7).join('; ')).toMatch(/says hasNextPage after all 7/);
  });

  it('should compare only the beginning when the whole list is larger than one page', () => {
    const all = [...WHOLE, 'h', 'i'];
    expect(walkProblems(WHOLE, pagesOf(all, [4, 4], 9), false, 9)).toEqual([]);
    const stopped = pagesOf(all, [4], 9).map((p) => ({ ...p, hasNextPage: false }));
    expect(walkProblems(WHOLE, stopped, false, 9).join('; ')).toMatch(/ended after 4 records/);
  });

  it('should name a page larger than asked and a totalCount that differs', () => {
    const pages = pagesOf(WHOLE, [3, 4]);
    pages[0] = { ...pages[0]!, asked: 2, totalCount: 8 };
    const problems = walkProblems(WHOLE, pages, true, 7).join('; ');
    expect(problems).toMatch(/page 1 \(first: 2\) answered 3 edges/);
    expect(problems).toMatch(/page 1 \(first: 2\) answered totalCount 8, the whole list 7/);
  });
});
