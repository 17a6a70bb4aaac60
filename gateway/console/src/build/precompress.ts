/**
 * A vite plugin writing a brotli (`.br`) and a gzip (`.gz`) copy beside every text file of the
 * build: the gateway sends the smaller copy to a browser that accepts it (http/console-site.ts),
 * compressing once at build time at the best ratio instead of at every request. A receiving
 * district's officer on a slow mobile link gets the ministry page's bundle in a third of the bytes.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const TEXT = /\.(?:js|css|html|json|svg)$/;
/** Files smaller than this go as they are (the headers would outweigh the gain). */
const MIN_BYTES = 1024;

/** Every regular file under `dir`, at any depth, as paths joined to `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile());
}

/** Writes `<file>.br` and `<file>.gz` for every text file of `dir` of at least 1 KB. */
export function precompressDirectory(dir: string): number {
  let written = 0;
  for (const path of filesUnder(dir)) {
    if (!TEXT.test(path)) continue;
    const content = readFileSync(path);
    if (content.length < MIN_BYTES) continue;
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
    written++;
  }
  return written;
}

/** The plugin: precompresses the output directory once the bundle is written. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'p2p-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      precompressDirectory(outDir);
    },
  };
}
