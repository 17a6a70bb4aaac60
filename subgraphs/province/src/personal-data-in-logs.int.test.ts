/**
 * No personal data in the logs, even when the database fails under a mutation (a lost connection, a
 * serialization failure, a full disk): the error the driver layer raises names the statement AND
 * its parameters, which for a registration or a bulk filing are names, resident ID numbers and
 * phones. Faults are injected by a constraint that refuses every row; the requests go over real
 * HTTP and the province's own logger is captured.
 */
import { Writable } from 'node:stream';
import { createLogger } from '@p2p/runtime';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvince, type ProvinceService } from './index.js';
import { createProvinceDatabase, expectData, expectError, residentId } from './testing/index.js';

const lines: string[] = [];
let service: ProvinceService;
let drop: () => Promise<void>;

async function gql(subgraph: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${service.url}/${subgraph}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

const PERSON = {
  name: '黄秘密',
  idNumber: residentId('450203', '19850505', 77),
  phone: '13977001234',
  homeRegion: '450203',
};

beforeAll(async () => {
  const database = await createProvinceDatabase();
  drop = database.drop;
  const capture = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  service = await startProvince({
    province: '450000',
    port: 0,
    databaseUrl: database.databaseUrl,
    logger: createLogger({ level: 'debug', destination: capture }),
    requireGatewaySignature: false,
  });
});
afterAll(async () => {
  await service?.close();
  await drop?.();
});

describe('personal data in the logs when the database fails (review of #13)', () => {
  it("should log a failed registration and a failed bulk filing without the people's names, ID numbers or phones", async () => {
    const enterprise = expectData(
      await gql(
        'employment',
        'mutation { registerEnterprise(input: { name: "某厂", region: "450203", sector: "制造" }) { id } }',
        {},
      ),
    ).registerEnterprise.id;
    await service.db.db.execute(
      sql`ALTER TABLE workers ADD CONSTRAINT review_refuse_all CHECK (false) NOT VALID`,
    );
    await service.db.db.execute(
      sql`ALTER TABLE return_requests ADD CONSTRAINT review_refuse_all CHECK (false) NOT VALID`,
    );
    expectError(
      await gql('workers', 'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }', {
        i: PERSON,
      }),
      'INTERNAL_SERVER_ERROR',
    );
    expectError(
      await gql(
        'employment',
        'mutation($i: [FileReturnRequestInput!]!) { fileReturnRequests(inputs: $i) { items { index } } }',
        {
          i: [
            {
              enterpriseId: enterprise,
              worker: PERSON,
              plannedReturnDate: '2020-02-22',
              departureRegion: '450203',
            },
          ],
        },
      ),
      'INTERNAL_SERVER_ERROR',
    );
    const logged = lines.join('');
    expect(logged).toContain('unexpected error');
    for (const personal of [PERSON.name, PERSON.idNumber, PERSON.phone])
      expect(logged).not.toContain(personal);
  });
});
