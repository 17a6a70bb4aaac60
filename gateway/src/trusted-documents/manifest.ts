/**
 * Apollo's persisted query manifest (`apollo-persisted-query-manifest`, version 1): the format
 * the gateway's trusted documents are written and read in, so that Apollo Client's
 * `@apollo/persisted-query-lists` and `@apollo/generate-persisted-query-manifest` interoperate.
 * Each operation's id is the SHA-256 (lowercase hex) of its `body` exactly as written: the same
 * hash an Apollo client sends as `extensions.persistedQuery.sha256Hash` for that text.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, parse, type DocumentNode } from 'graphql';

/** The `format` field of a manifest. */
export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

/** One registered operation. */
export interface ManifestOperation {
  /** SHA-256 of `body`, lowercase hex. */
  id: string;
  /** The operation's name. */
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  /** The document: the operation and the fragments it uses. */
  body: string;
}

/** A persisted query manifest. */
export interface PersistedQueryManifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  operations: ManifestOperation[];
}

/** The id of a document text: SHA-256 of its UTF-8 bytes, lowercase hex. */
export function documentId(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

const TYPES = new Set(['query', 'mutation', 'subscription']);

/**
 * Checks a parsed manifest: the format and version, and for every operation a name, a type, a
 * body and an id that is the SHA-256 of the body.
 * @param source names the manifest in error messages (a path)
 * @throws Error naming `source` and the first operation at fault
 */
export function checkManifest(value: unknown, source: string): PersistedQueryManifest {
  const manifest = value as Partial<PersistedQueryManifest> | null;
  if (!manifest || manifest.format !== MANIFEST_FORMAT || manifest.version !== 1)
    throw new Error(`${source}: not a persisted query manifest (format "${MANIFEST_FORMAT}", version 1)`);
  if (!Array.isArray(manifest.operations)) throw new Error(`${source}: "operations" must be an array`);
  manifest.operations.forEach((op, i) => {
    const at = `${source}: operation ${i} (${String(op?.name ?? 'unnamed')})`;
    if (!op || typeof op.body !== 'string' || typeof op.id !== 'string' || typeof op.name !== 'string')
      throw new Error(`${at}: needs a string id, name and body`);
    if (!TYPES.has(op.type)) throw new Error(`${at}: type must be query, mutation or subscription`);
    if (documentId(op.body) !== op.id)
      throw new Error(`${at}: id ${op.id.slice(0, 16)}… is not the SHA-256 of its body`);
    const problem = bodyProblem(op.body, op.name, op.type);
    if (problem) throw new Error(`${at}: ${problem}`);
  });
  return manifest as PersistedQueryManifest;
}

/**
 * What is wrong with a registered body, if anything: it must parse and hold exactly ONE operation,
 * of the entry's name and type (and fragments), so an id registers one operation and a client
 * cannot pick another one out of the same body with `operationName`.
 */
function bodyProblem(body: string, name: string, type: string): string | undefined {
  let document: DocumentNode;
  try {
    document = parse(body, { noLocation: true });
  } catch (err) {
    return `its body does not parse (${(err as Error).message})`;
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1)
    return `its body holds ${operations.length} operations; register one per entry`;
  const [operation] = operations;
  if (operation?.name?.value !== name || operation.operation !== type)
    return `its body is ${operation?.operation} ${operation?.name?.value ?? '(anonymous)'}, not ${type} ${name}`;
  return undefined;
}

/**
 * Reads and checks a manifest file.
 * @throws Error naming the file when it cannot be read or is not a valid manifest
 */
export function readManifest(path: string): PersistedQueryManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read the trusted-documents manifest (${(err as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${path}: the trusted-documents manifest is not valid JSON`);
  }
  return checkManifest(value, path);
}
