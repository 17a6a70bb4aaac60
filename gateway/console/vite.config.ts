import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console's build: one page app under `/console/` (the gateway serves `dist/app`), every asset
 * bundled from the project's own packages (no CDN), ECharts and exceljs in their own chunks so the
 * first screen does not wait for them.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/app', import.meta.url)),
  base: '/console/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/app', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
