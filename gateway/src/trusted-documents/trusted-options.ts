import { existsSync } from 'node:fs';
import type { Logger } from '@p2p/runtime';
import type { Counter } from 'prom-client';
import { BUILT_MANIFEST_PATH } from './built-manifest.js';
import { readManifest, type PersistedQueryManifest } from './manifest.js';
import { TRUSTED_DOCUMENTS_MODES, TrustedDocuments, type TrustedDocumentsMode } from './trusted-documents.js';

/** The gateway's trusted-documents settings (`GatewayOptions.trustedDocuments`). */
export interface TrustedDocumentsSettings {
  /** `TRUSTED_DOCUMENTS`. @default 'apq' in development mode, 'safelist' otherwise */
  mode?: TrustedDocumentsMode;
  /**
   * Manifests registered beside the built one, as file paths (`TRUSTED_DOCUMENTS_MANIFESTS`) or
   * parsed: a province's own system registers its operations without a rebuild. @default []
   */
  manifests?: readonly (string | PersistedQueryManifest)[];
  /** The build's manifest; false: none. @default BUILT_MANIFEST_PATH (gateway/dist/trusted-documents.json) */
  builtManifest?: string | false;
}

/**
 * `TRUSTED_DOCUMENTS` (off, apq or safelist) and `TRUSTED_DOCUMENTS_MANIFESTS` (comma-separated
 * paths of extra manifests) from the environment.
 * @throws Error naming the setting when the mode is not one of the three
 */
export function trustedDocumentsFromEnv(env: NodeJS.ProcessEnv): TrustedDocumentsSettings {
  const mode = (env.TRUSTED_DOCUMENTS ?? '').trim().toLowerCase();
  if (mode && !(TRUSTED_DOCUMENTS_MODES as readonly string[]).includes(mode))
    throw new Error(`TRUSTED_DOCUMENTS must be off, apq or safelist; got "${env.TRUSTED_DOCUMENTS}"`);
  const manifests = (env.TRUSTED_DOCUMENTS_MANIFESTS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    ...(mode ? { mode: mode as TrustedDocumentsMode } : {}),
    ...(manifests.length ? { manifests } : {}),
  };
}

/**
 * The registered operations and the mode, read at start-up. A missing built manifest is logged
 * (running from sources without a build); an extra manifest that cannot be read stops the start.
 * @throws Error naming the extra manifest at fault
 */
export function loadTrustedDocuments(
  settings: TrustedDocumentsSettings,
  development: boolean,
  logger: Logger,
  counter?: Counter<'transport' | 'outcome'>,
): TrustedDocuments {
  const mode = settings.mode ?? (development ? 'apq' : 'safelist');
  const manifests: PersistedQueryManifest[] = [];
  const built = settings.builtManifest ?? BUILT_MANIFEST_PATH;
  if (built !== false) {
    if (existsSync(built)) manifests.push(readManifest(built));
    else if (mode !== 'off')
      logger.warn(
        { path: built },
        'no built trusted-documents manifest (run npm run build): none registered from it',
      );
  }
  for (const extra of settings.manifests ?? [])
    manifests.push(typeof extra === 'string' ? readManifest(extra) : extra);
  const trusted = new TrustedDocuments({ mode, manifests, logger, ...(counter ? { counter } : {}) });
  logger.info({ mode, operations: trusted.size }, 'trusted documents');
  if (mode === 'safelist' && trusted.size === 0)
    logger.warn('safelist mode with no registered operation: every operation will be refused');
  return trusted;
}
