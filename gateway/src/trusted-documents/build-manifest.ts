/**
 * Builds the trusted-documents manifest from the operations of the known clients
 * (`gateway/trusted-documents/clients.json`), at build time. Each client is one line: a directory
 * of `.graphql` files (`documents`) or a persisted query manifest it generated (`manifest`).
 *
 * Normalisation of a `.graphql` operation: its body is graphql-js `print` of the operation, then
 * of every fragment it uses (directly or through other fragments, from any file of the same
 * client) in name order, joined by a blank line; its id is the SHA-256 of that body. Every
 * operation must be named, names are unique within a client, and every body must validate
 * against the gateway's API schema (the composed supergraph): anything else fails the build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import {
  Kind,
  parse,
  print,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import {
  checkManifest,
  documentId,
  MANIFEST_FORMAT,
  readManifest,
  type ManifestOperation,
  type PersistedQueryManifest,
} from './manifest.js';

/** One client whose operations are registered: `documents` or `manifest`, relative to the config file. */
export interface TrustedClient {
  /** Who sends these operations (in error messages). */
  name: string;
  /** A directory of `.graphql` files holding named operations and fragments. */
  documents?: string;
  /** A persisted query manifest the client generated (e.g. `@apollo/generate-persisted-query-manifest`). */
  manifest?: string;
}

/** The clients' configuration file. */
export interface TrustedClientsConfig {
  clients: TrustedClient[];
}

/** Thrown when a document cannot be registered; the message names the file and the operation. */
export class TrustedDocumentError extends Error {}

/** The fragments `root` uses, directly or through other fragments, in name order. */
function usedFragments(
  root: OperationDefinitionNode,
  fragments: Map<string, { node: FragmentDefinitionNode; file: string }>,
  where: string,
): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [root];
  while (pending.length) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new TrustedDocumentError(`${where}: fragment "${name}" is not defined`);
        used.set(name, fragment.node);
        pending.push(fragment.node);
      },
    });
  }
  return [...used.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, node]) => node);
}

/** The operations of a client's `.graphql` files, normalised (see the module comment). */
export function operationsOfDocuments(client: string, directory: string): ManifestOperation[] {
  let files: string[];
  try {
    files = readdirSync(directory)
      .filter((f) => f.endsWith('.graphql'))
      .sort();
  } catch (err) {
    throw new TrustedDocumentError(
      `client "${client}": cannot read ${directory} (${(err as Error).message})`,
    );
  }
  const parsed: { file: string; document: DocumentNode }[] = files.map((file) => {
    const path = join(directory, file);
    try {
      return { file: path, document: parse(readFileSync(path, 'utf8'), { noLocation: true }) };
    } catch (err) {
      throw new TrustedDocumentError(`${path}: ${(err as Error).message}`);
    }
  });
  const fragments = new Map<string, { node: FragmentDefinitionNode; file: string }>();
  for (const { file, document } of parsed)
    for (const d of document.definitions)
      if (d.kind === Kind.FRAGMENT_DEFINITION) {
        const known = fragments.get(d.name.value);
        if (known)
          throw new TrustedDocumentError(
            `${file}: fragment "${d.name.value}" is also defined in ${known.file}`,
          );
        fragments.set(d.name.value, { node: d, file });
      }
  const names = new Map<string, string>();
  const operations: ManifestOperation[] = [];
  for (const { file, document } of parsed)
    for (const d of document.definitions) {
      if (d.kind !== Kind.OPERATION_DEFINITION) continue;
      if (!d.name)
        throw new TrustedDocumentError(
          `${file}: an anonymous ${d.operation}; name every registered operation`,
        );
      const name = d.name.value;
      if (names.has(name))
        throw new TrustedDocumentError(`${file}: operation "${name}" is also defined in ${names.get(name)}`);
      names.set(name, file);
      const where = `${file}: operation "${name}"`;
      const body = [d, ...usedFragments(d, fragments, where)].map((node) => print(node)).join('\n\n');
      operations.push({ id: documentId(body), name, type: d.operation, body });
    }
  if (operations.length === 0)
    throw new TrustedDocumentError(`client "${client}": no operation in ${directory}/*.graphql`);
  return operations;
}

/**
 * Checks every operation against the API schema.
 * @throws TrustedDocumentError naming the client, the operation and graphql-js's first errors
 */
export function assertValidOperations(
  client: string,
  operations: readonly ManifestOperation[],
  schema: GraphQLSchema,
): void {
  for (const op of operations) {
    const errors = validate(schema, parse(op.body));
    if (errors.length)
      throw new TrustedDocumentError(
        `client "${client}": operation "${op.name}" does not validate against the supergraph: ${errors
          .slice(0, 3)
          .map((e) => e.message)
          .join('; ')}`,
      );
  }
}

/**
 * The manifest of every client of `config` (paths relative to `baseDir`), each operation checked
 * against `schema`; an operation two clients register is listed once. Sorted by name, then id.
 * @throws TrustedDocumentError at the first document that cannot be registered
 */
export function buildManifest(
  config: TrustedClientsConfig,
  baseDir: string,
  schema: GraphQLSchema,
): PersistedQueryManifest {
  const byId = new Map<string, ManifestOperation>();
  for (const client of config.clients) {
    if (!client.name || Boolean(client.documents) === Boolean(client.manifest))
      throw new TrustedDocumentError(
        `client ${JSON.stringify(client)}: give a name and exactly one of "documents" or "manifest"`,
      );
    let operations: ManifestOperation[];
    try {
      operations = client.documents
        ? operationsOfDocuments(client.name, resolve(baseDir, client.documents))
        : readManifest(resolve(baseDir, client.manifest!)).operations;
    } catch (err) {
      if (err instanceof TrustedDocumentError) throw err;
      throw new TrustedDocumentError(`client "${client.name}": ${(err as Error).message}`);
    }
    assertValidOperations(client.name, operations, schema);
    for (const op of operations) byId.set(op.id, { id: op.id, name: op.name, type: op.type, body: op.body });
  }
  const operations = [...byId.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  return checkManifest({ format: MANIFEST_FORMAT, version: 1, operations }, 'the built manifest');
}

/** The API schema the gateway serves over `supergraphSdl` (what clients' documents validate against). */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
