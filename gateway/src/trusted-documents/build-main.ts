/**
 * The build step writing the trusted-documents manifest (part of `npm run build` of the gateway):
 * `node dist/trusted-documents/build-main.js [--config clients.json] [--out manifest.json]`.
 * Reads the known clients (default `gateway/trusted-documents/clients.json`), validates every
 * operation against the contract's composed supergraph and writes the manifest (default
 * `gateway/dist/trusted-documents.json`). A document that cannot be registered fails the build:
 * exit 1 with one line naming the file and the operation.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { supergraphSdl } from '@p2p/schema';
import { apiSchemaOf, buildManifest, type TrustedClientsConfig } from './build-manifest.js';
import { BUILT_MANIFEST_PATH, CLIENTS_CONFIG_PATH } from './built-manifest.js';

const { values } = parseArgs({ options: { config: { type: 'string' }, out: { type: 'string' } } });
const configPath = resolve(values.config ?? CLIENTS_CONFIG_PATH);
const outPath = resolve(values.out ?? BUILT_MANIFEST_PATH);

try {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as TrustedClientsConfig;
  const manifest = buildManifest(config, dirname(configPath), apiSchemaOf(supergraphSdl()));
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(
    `trusted documents: ${manifest.operations.length} operations of ${config.clients.length} clients → ${outPath}\n`,
  );
} catch (err) {
  process.stderr.write(`trusted documents: the build failed: ${(err as Error).message}\n`);
  process.exit(1);
}
