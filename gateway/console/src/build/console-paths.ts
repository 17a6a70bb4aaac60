import { fileURLToPath } from 'node:url';

/** The console package's directory (works from `src/build` and from `dist/build`). */
export const CONSOLE_PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** Where `vite build` writes the app: what the gateway serves at `/console/`. */
export const CONSOLE_APP_DIR = fileURLToPath(new URL('../../dist/app/', import.meta.url));
/** The console's registered operations (one client of `gateway/trusted-documents/clients.json`). */
export const CONSOLE_OPERATIONS_DIR = fileURLToPath(new URL('../operations/', import.meta.url));
/** What codegen writes: typed documents and their registered ids. */
export const CONSOLE_GENERATED_DIR = fileURLToPath(new URL('../app/generated/', import.meta.url));
