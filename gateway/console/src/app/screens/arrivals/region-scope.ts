/** Whether a region code lies inside an officer's region (GB/T 2260: a province, city or county prefix). */

/** The prefix every code inside `region` starts with: `410000` → `41`, `110100` → `1101`, `110105` → `110105`. */
export function regionPrefix(region: string): string {
  let prefix = region;
  while (prefix.length > 2 && prefix.endsWith('00')) prefix = prefix.slice(0, -2);
  return prefix;
}

/** True when `code` is `region` or inside it. */
export function isInside(code: string, region: string): boolean {
  return code.startsWith(regionPrefix(region));
}
