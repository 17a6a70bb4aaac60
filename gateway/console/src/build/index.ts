/**
 * The console's Node side: where its built app is (the gateway serves it at `/console/`) and how
 * to build it on demand. The app itself is `src/app` (a browser bundle built by vite).
 */
export { CONSOLE_APP_DIR, CONSOLE_PACKAGE_DIR } from './console-paths.js';
export { consoleBuildIsFresh, ensureConsoleBuilt, type EnsureConsoleOptions } from './ensure-built.js';
