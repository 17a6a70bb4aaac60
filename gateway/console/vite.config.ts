import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from './src/build/precompress.js';

const app = (file: string) => fileURLToPath(new URL(`./src/app/${file}`, import.meta.url));

/**
 * The console's build: one page app under `/console/` (the gateway serves `dist/app`), every asset
 * bundled from the project's own packages (no CDN), ECharts and exceljs in their own chunks so the
 * first screen does not wait for them. A second, tiny page, `silent-renew.html`, answers the
 * identity provider's silent renewals in a hidden frame. Text files get precompressed copies.
 */
export default defineConfig({
  root: app(''),
  base: '/console/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/app', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: { index: app('index.html'), 'silent-renew': app('silent-renew.html') },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  // A brotli and a gzip copy of every text file, sent by the gateway to browsers that accept them.
  plugins: [precompress()],
});
