/**
 * The build of the trusted-documents manifest (#18.6): the known clients' operations, their ids,
 * their validation against the supergraph, and the clear refusal of a document that cannot be
 * registered.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { supergraphSdl } from '@p2p/schema';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiSchemaOf,
  buildManifest,
  TrustedDocumentError,
  type TrustedClientsConfig,
} from './build-manifest.js';
import { CLIENTS_CONFIG_PATH } from './built-manifest.js';
import { checkManifest, documentId, MANIFEST_FORMAT } from './manifest.js';

let schema: GraphQLSchema;
beforeAll(() => {
  schema = apiSchemaOf(supergraphSdl());
});

/** A client directory holding `files` (name → text), and a config naming it. */
function clientOf(files: Record<string, string>): { config: TrustedClientsConfig; base: string } {
  const base = mkdtempSync(join(tmpdir(), 'trusted-'));
  mkdirSync(join(base, 'docs'));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(base, 'docs', name), text);
  }
  return { config: { clients: [{ name: 'test', documents: 'docs' }] }, base };
}

describe('the trusted-documents manifest build (#18.6)', () => {
  it("should register the known clients' operations with id = SHA-256 of a body that validates against the supergraph", () => {
    const config = JSON.parse(readFileSync(CLIENTS_CONFIG_PATH, 'utf8')) as TrustedClientsConfig;
    const manifest = buildManifest(config, dirname(CLIENTS_CONFIG_PATH), schema);
    expect(manifest.format).toBe(MANIFEST_FORMAT);
    expect(manifest.version).toBe(1);
    expect(manifest.operations.map((op) => op.name)).toContain('TripsToDestination');
    expect(manifest.operations.find((op) => op.name === 'Arrivals')?.type).toBe('subscription');
    for (const op of manifest.operations) {
      expect(op.id).toBe(createHash('sha256').update(op.body).digest('hex'));
      expect(validate(schema, parse(op.body)), op.name).toEqual([]);
    }
  });

  it('should normalise each operation to its printed text followed by the fragments it uses, in name order', () => {
    const { config, base } = clientOf({
      'a.graphql': 'query   Both { region(code: "110000") { ...B ...A } }  query Other { __typename }',
      'f.graphql':
        'fragment B on Region { name ...C } fragment A on Region { code } fragment C on Region { code } fragment Unused on Region { name }',
    });
    const [both, other] = buildManifest(config, base, schema).operations;
    expect(both!.body).toBe(
      [
        'query Both {\n  region(code: "110000") {\n    ...B\n    ...A\n  }\n}',
        'fragment A on Region {\n  code\n}',
        'fragment B on Region {\n  name\n  ...C\n}',
        'fragment C on Region {\n  code\n}',
      ].join('\n\n'),
    );
    expect(both!.id).toBe(documentId(both!.body));
    expect(other).toEqual({
      id: documentId('query Other {\n  __typename\n}'),
      name: 'Other',
      type: 'query',
      body: 'query Other {\n  __typename\n}',
    });
  });

  it('should fail with a message naming the client and the operation when a document does not validate', () => {
    const { config, base } = clientOf({
      'bad.graphql': 'query Broken { region(code: "110000") { population } }',
    });
    expect(() => buildManifest(config, base, schema)).toThrow(
      /client "test": operation "Broken" does not validate against the supergraph: Cannot query field "population" on type "Region"/,
    );
  });

  it('should refuse an anonymous operation, a missing fragment, a duplicate name and a syntax error, naming the file', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { 'anon.graphql': '{ __typename }' },
        /anon\.graphql: an anonymous query; name every registered operation/,
      ],
      [
        { 'frag.graphql': 'query Q { region(code: "1") { ...Missing } }' },
        /frag\.graphql: operation "Q": fragment "Missing" is not defined/,
      ],
      [
        { 'a.graphql': 'query Q { __typename }', 'b.graphql': 'query Q { __typename }' },
        /b\.graphql: operation "Q" is also defined in .*a\.graphql/,
      ],
      [{ 'syntax.graphql': 'query Q {' }, /syntax\.graphql: Syntax Error/],
      [{}, /client "test": no operation in/],
    ];
    for (const [files, message] of cases) {
      const { config, base } = clientOf(files);
      expect(() => buildManifest(config, base, schema), String(message)).toThrow(TrustedDocumentError);
      expect(() => buildManifest(config, base, schema)).toThrow(message);
    }
  });

  it("should take a client's own generated manifest, and refuse one whose id is not its body's hash", () => {
    const base = mkdtempSync(join(tmpdir(), 'trusted-'));
    const body = 'query Console { regions { code } }';
    const good = {
      format: MANIFEST_FORMAT,
      version: 1,
      operations: [{ id: documentId(body), name: 'Console', type: 'query', body }],
    };
    writeFileSync(join(base, 'good.json'), JSON.stringify(good));
    const config = { clients: [{ name: 'console', manifest: 'good.json' }] };
    expect(buildManifest(config, base, schema).operations).toEqual(good.operations);
    const forged = {
      ...good,
      operations: [{ ...good.operations[0]!, body: 'query Console { regions { code name } }' }],
    };
    writeFileSync(join(base, 'forged.json'), JSON.stringify(forged));
    expect(() =>
      buildManifest({ clients: [{ name: 'console', manifest: 'forged.json' }] }, base, schema),
    ).toThrow(
      /client "console": .*forged\.json: operation 0 \(Console\): id [0-9a-f]{16}… is not the SHA-256 of its body/,
    );
    expect(() => checkManifest({ format: 'other', version: 1, operations: [] }, 'x.json')).toThrow(
      /x\.json: not a persisted query manifest/,
    );
  });

  it('should refuse a manifest entry whose body holds a second operation, or another name or type than the entry', () => {
    const entry = (body: string, name = 'Console', type = 'query') => ({
      format: MANIFEST_FORMAT,
      version: 1,
      operations: [{ id: documentId(body), name, type, body }],
    });
    const smuggled = 'query Console { regions { code } }\n\nmutation Smuggled { __typename }';
    expect(() => checkManifest(entry(smuggled), 'm.json')).toThrow(
      /m\.json: operation 0 \(Console\): its body holds 2 operations; register one per entry/,
    );
    expect(() => checkManifest(entry('query Other { regions { code } }'), 'm.json')).toThrow(
      /its body is query Other, not query Console/,
    );
    expect(() => checkManifest(entry('mutation Console { __typename }'), 'm.json')).toThrow(
      /its body is mutation Console, not query Console/,
    );
    expect(() => checkManifest(entry('query Console {'), 'm.json')).toThrow(/its body does not parse/);
    expect(checkManifest(entry('query Console { regions { code } }'), 'm.json').operations).toHaveLength(1);
  });
});
