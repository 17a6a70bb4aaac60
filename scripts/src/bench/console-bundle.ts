/**
 * The console's bundle as a browser receives it: which files the page loads first (the
 * `<script>`, `<link rel="stylesheet">` and `<link rel="modulepreload">` of `index.html`) and
 * which only when a screen asks for them (the other chunks: ECharts, exceljs…), each with its raw,
 * gzip and brotli size — what BENCHMARKS.md reports for #16.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** One file of the built console. */
export interface BundleFile {
  /** Path under the app directory, e.g. `assets/index-abc.js`. */
  path: string;
  /** Loaded with the page (true) or on demand (false). */
  initial: boolean;
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

/** The paths `index.html` loads with the page (scripts, stylesheets, module preloads), without the base. */
export function initialAssets(indexHtml: string, base = '/console/'): string[] {
  const paths = new Set<string>();
  for (const match of indexHtml.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"[^>]*>/g)) {
    const tag = match[0];
    if (tag.startsWith('<link') && !/rel="(?:stylesheet|modulepreload)"/.test(tag)) continue;
    const url = match[1]!;
    paths.add(url.startsWith(base) ? url.slice(base.length) : url.replace(/^\.?\//, ''));
  }
  return [...paths].sort();
}

/** Every regular file under `dir`, at any depth, as paths joined to `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile());
}

/** Every `.js` and `.css` file of the built app (`dist/app`), initial ones first, then by size. */
export function bundleFiles(appDir: string): BundleFile[] {
  const initial = new Set(initialAssets(readFileSync(join(appDir, 'index.html'), 'utf8')));
  return filesUnder(appDir)
    .filter((path) => /\.(?:js|css)$/.test(path))
    .map((path) => {
      const content = readFileSync(path);
      const rel = relative(appDir, path);
      return {
        path: rel,
        initial: initial.has(rel),
        bytes: content.length,
        gzipBytes: gzipSync(content, { level: 9 }).length,
        brotliBytes: brotliCompressSync(content, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
        }).length,
      };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.bytes - a.bytes);
}

/** Sums of a set of files. */
export function bundleTotals(files: readonly BundleFile[]): {
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
} {
  return files.reduce(
    (sum, f) => ({
      bytes: sum.bytes + f.bytes,
      gzipBytes: sum.gzipBytes + f.gzipBytes,
      brotliBytes: sum.brotliBytes + f.brotliBytes,
    }),
    { bytes: 0, gzipBytes: 0, brotliBytes: 0 },
  );
}
