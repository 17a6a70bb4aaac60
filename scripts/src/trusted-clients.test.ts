import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMPORT_WORKERS_OPERATION } from '@p2p/province/registry-import';
import { Kind, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness/service-process.js';

/**
 * The clients that send their operations by id (docs/trusted-documents.md) send exactly the body
 * the gateway registers at build time from `gateway/trusted-documents/`: otherwise a gateway in
 * safelist mode refuses them.
 */
describe('the clients registered with the gateway', () => {
  it('should send the registry import by the id of its registered body', () => {
    const file = readFileSync(
      join(REPO_ROOT, 'gateway/trusted-documents/import-workers/import-workers.graphql'),
      'utf8',
    );
    const [operation] = parse(file, { noLocation: true }).definitions.filter(
      (d) => d.kind === Kind.OPERATION_DEFINITION,
    );
    expect(operation && print(operation)).toBe(IMPORT_WORKERS_OPERATION);
    expect(print(parse(IMPORT_WORKERS_OPERATION))).toBe(IMPORT_WORKERS_OPERATION);
  });
});
