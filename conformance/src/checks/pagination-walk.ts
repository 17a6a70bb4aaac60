/**
 * The judgement of a keyset walk: pages asked one after another (each `after` the previous
 * `endCursor`) must concatenate to exactly the sorted whole, with no repeat and no gap.
 */

/** One page of a walk, as answered. */
export interface WalkedPage {
  /** `first` as asked. */
  asked: number;
  /** The node ids, in the order of the edges. */
  ids: readonly string[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: number;
}

/**
 * What is wrong with a walk, in words (empty when nothing is).
 * @param whole the ids of one page with a large `first`: the sorted list the walk must give.
 * @param complete true when `whole` is the entire list (its total fits one page): the walk must then
 *   end exactly there; otherwise it must give `whole` as its beginning.
 * @param totalCount the `totalCount` the whole page answered (every page must answer it too).
 */
export function walkProblems(
  whole: readonly string[],
  pages: readonly WalkedPage[],
  complete: boolean,
  totalCount: number,
): string[] {
  const problems: string[] = [];
  const walked: string[] = [];
  const seen = new Set<string>();
  pages.forEach((page, n) => {
    const at = `page ${n + 1} (first: ${page.asked})`;
    if (page.ids.length > page.asked) problems.push(`${at} answered ${page.ids.length} edges`);
    if (page.totalCount !== totalCount)
      problems.push(`${at} answered totalCount ${page.totalCount}, the whole list ${totalCount}`);
    if (page.hasNextPage && page.ids.length === 0) problems.push(`${at} is empty but says hasNextPage`);
    if (page.hasNextPage && !page.endCursor) problems.push(`${at} says hasNextPage without an endCursor`);
    for (const id of page.ids) {
      if (seen.has(id)) problems.push(`${at} repeats ${id}`);
      seen.add(id);
      walked.push(id);
    }
  });
  const length = complete ? Math.max(walked.length, whole.length) : Math.min(walked.length, whole.length);
  for (let i = 0; i < length; i += 1) {
    if (walked[i] !== whole[i]) {
      const previous = i > 0 ? `after ${whole[i - 1]} ` : 'first ';
      problems.push(
        walked[i] === undefined
          ? `the walk ended after ${walked.length} of ${whole.length} records: ${whole[i]} and the rest are missing`
          : whole[i] === undefined
            ? `the walk gave ${walked.length} records, the whole list has ${whole.length} (${walked[i]} is extra)`
            : `${previous}the whole list has ${whole[i]}, the walk gave ${walked[i]} (record ${i + 1})`,
      );
      break;
    }
  }
  if (!complete && walked.length < whole.length && !pages.at(-1)?.hasNextPage)
    problems.push(`the walk ended after ${walked.length} records, the whole page has ${whole.length}`);
  if (complete && pages.at(-1)?.hasNextPage)
    problems.push(`the last page says hasNextPage after all ${totalCount} records`);
  if (complete && whole.length !== totalCount)
    problems.push(
      `one page with first: ${whole.length} or more answered ${whole.length} edges of totalCount ${totalCount}`,
    );
  return problems;
}
