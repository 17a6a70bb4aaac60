import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build` writes the gateway's trusted-documents manifest:
 * `gateway/dist/trusted-documents.json` (the same path from `src/` and from `dist/`).
 */
export const BUILT_MANIFEST_PATH = fileURLToPath(
  new URL('../../dist/trusted-documents.json', import.meta.url),
);

/** The known clients whose operations the build registers: `gateway/trusted-documents/clients.json`. */
export const CLIENTS_CONFIG_PATH = fileURLToPath(
  new URL('../../trusted-documents/clients.json', import.meta.url),
);
