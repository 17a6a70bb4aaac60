/** The items of a typed list (`410000, 450200`, `焊工，电工`): split on commas (either width), semicolons or spaces, trimmed, empty and repeated items dropped. */
export function wordList(text: string): string[] {
  return [...new Set(text.split(/[\s,，;；、]+/).filter(Boolean))];
}
