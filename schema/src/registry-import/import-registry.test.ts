import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findRegion } from '../regions.js';
import { residentIdFrom } from '../resident-id.js';
import { importKey } from './import-key.js';
import {
  ImportAborted,
  importRegistry,
  type ImportReport,
  type RegisterWorkersAnswer,
  type RegistryImportOptions,
  type RegistryRecord,
} from './import-registry.js';
import { rejectsCsv } from './rejects-csv.js';
import { RegionLookupFailed, type RegisterWorkerInput } from './worker-row.js';

const levelOf = (code: string) => findRegion(code)?.level;

/** A header and one row per home region (line i + 2), the i-th with phone 1390000000i. */
function records(
  homes: string[],
  over: (cells: string[], i: number) => string[] = (c) => c,
): RegistryRecord[] {
  return [
    { line: 1, cells: ['name', 'idNumber', 'phone', 'homeRegion'] },
    ...homes.map((home, i) => ({
      line: i + 2,
      cells: over(
        [`工人${i}`, residentIdFrom('450203', '19900101', i), `1390000${String(i).padStart(4, '0')}`, home],
        i,
      ),
    })),
  ];
}

/** A sender answering each call with `decide(inputs)`, keeping what it was sent. */
function scripted(decide: (inputs: RegisterWorkerInput[]) => RegisterWorkersAnswer) {
  const calls: { inputs: RegisterWorkerInput[]; key: string }[] = [];
  const send: RegistryImportOptions['send'] = async (inputs, key) => {
    calls.push({ inputs, key });
    return decide(inputs);
  };
  return { send, calls };
}

const registered = (inputs: RegisterWorkerInput[]): RegisterWorkersAnswer => ({
  data: { registerWorkers: inputs.map((_, i) => ({ id: `W45-${i}` })) },
});

describe('importing a registry through a sender', () => {
  it('should group rows by home province in calls of the batch size, reporting progress after each', async () => {
    const { send, calls } = scripted(registered);
    const progress: number[] = [];
    const report = await importRegistry(
      records(['450203', '130102', '450203001', '450203', '450203', '130102']),
      { send, levelOf, batchSize: 2, onProgress: (r) => progress.push(r.registered) },
    );
    expect(report).toEqual({ rows: 6, registered: 6, rejected: [], calls: 3 });
    expect(calls.map((c) => c.inputs.map((i) => i.homeRegion).join(' ')).sort()).toEqual([
      '130102 130102',
      '450203 450203',
      '450203 450203001',
    ]);
    expect(progress.at(-1)).toBe(6);
    expect(progress.length).toBe(4); // after each call, and once every row was read
  });

  it('should set aside rows it cannot read, by line, without sending them', async () => {
    const { send, calls } = scripted(registered);
    const report = await importRegistry(
      records(['450203', '459999', '450203', '450203'], (cells, i) =>
        i === 2
          ? [
              ...cells.slice(0, 1),
              `${cells[1]!.slice(0, 17)}${cells[1]![17] === '0' ? '1' : '0'}`,
              ...cells.slice(2),
            ]
          : i === 3
            ? cells.slice(0, 3)
            : cells,
      ),
      { send, levelOf },
    );
    expect(report.rejected).toEqual([
      { line: 3, code: 'BAD_USER_INPUT', reason: 'homeRegion: not a GB/T 2260 region code (6 or 9 digits)' },
      { line: 4, code: 'BAD_USER_INPUT', reason: expect.stringMatching(/check digit/) },
      { line: 5, code: 'BAD_USER_INPUT', reason: 'the row has 3 cells, the header 4 (an unquoted comma?)' },
    ]);
    expect(calls.map((c) => c.inputs.length)).toEqual([1]);
    expect(JSON.stringify(report)).not.toMatch(/工人|450203199/);
  });

  it('should drop a row the province names by index, send the rest again, and split a refusal naming none', async () => {
    const { send, calls } = scripted((inputs) => {
      const bad = inputs.findIndex((i) => i.phone.endsWith('0003'));
      if (bad >= 0)
        return {
          errors: [
            {
              message: `inputs[${bad}].phone: a mainland mobile number has 11 digits`,
              extensions: { code: 'BAD_USER_INPUT', field: `inputs[${bad}].phone` },
            },
          ],
        };
      return inputs.some((i) => i.name === '工人6')
        ? { errors: [{ message: 'not yours to register', extensions: { code: 'FORBIDDEN' } }] }
        : registered(inputs);
    });
    const report = await importRegistry(records(Array(8).fill('450203')), { send, levelOf });
    expect(report).toMatchObject({
      rows: 8,
      registered: 6,
      rejected: [
        { line: 5, code: 'BAD_USER_INPUT', reason: 'phone: a mainland mobile number has 11 digits' },
        { line: 8, code: 'FORBIDDEN', reason: 'not yours to register' },
      ],
    });
    expect(calls.map((c) => c.inputs.length)).toEqual([8, 7, 4, 3, 2, 1, 1, 1]);
  });

  it('should key each call by its content, as the command line always did (SHA-256 of the inputs)', async () => {
    const inputs = [{ name: '李', idNumber: '1', phone: '2', homeRegion: '450203' }];
    const expected = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 40);
    await expect(importKey(inputs)).resolves.toBe(`import-workers:${expected}`);
    const { send, calls } = scripted(registered);
    await importRegistry(records(['450203']), { send, levelOf });
    await importRegistry(records(['450203']), { send, levelOf });
    expect(calls[0]!.key).toBe(calls[1]!.key);
  });

  it('should retry a passing failure, and abort when no answer comes or the credentials are refused', async () => {
    let failures = 2;
    const flaky = scripted((inputs) =>
      failures-- > 0
        ? {
            errors: [
              { message: 'province 450000 did not answer', extensions: { code: 'PROVINCE_UNAVAILABLE' } },
            ],
          }
        : registered(inputs),
    );
    await expect(
      importRegistry(records(['450203', '450203']), { send: flaky.send, levelOf, retryMs: 1 }),
    ).resolves.toMatchObject({ registered: 2, calls: 3, rejected: [] });
    const nowhere = importRegistry(records(['450203']), {
      send: async () => {
        throw new Error('fetch failed');
      },
      levelOf,
      target: 'http://127.0.0.1:1/graphql',
      retryMs: 1,
      attempts: 2,
    });
    await expect(nowhere).rejects.toBeInstanceOf(ImportAborted);
    await expect(nowhere).rejects.toThrow(/gateway at http:\/\/127\.0\.0\.1:1\/graphql cannot be reached/);
    const refused = scripted(() => ({
      errors: [{ message: 'bad token', extensions: { code: 'UNAUTHENTICATED' } }],
    }));
    await expect(importRegistry(records(['450203']), { send: refused.send, levelOf })).rejects.toThrow(
      /refused the credentials/,
    );
  });

  it("should set aside rows outside a city officer's region, and refuse a caller who registers nobody", async () => {
    const { send, calls } = scripted(registered);
    const report = await importRegistry(records(['450203', '450302', '450203001']), {
      send,
      levelOf,
      caller: { role: 'city', region: '450200' },
    });
    expect(report.rejected).toEqual([
      { line: 3, code: 'FORBIDDEN', reason: "homeRegion: outside the caller's region 450200" },
    ]);
    expect(calls.flatMap((c) => c.inputs.map((i) => i.homeRegion))).toEqual(['450203', '450203001']);
    await expect(
      importRegistry(records(['450203']), { send, levelOf, caller: { role: 'ministry' } }),
    ).rejects.toThrow(/province or city officer; this token's role is ministry/);
    await expect(importRegistry([], { send, levelOf })).rejects.toThrow(/the file is empty/);
  });

  it('should set aside the rows whose home region the directory could not be asked about, by code', async () => {
    const { send, calls } = scripted(registered);
    const flakyLevelOf = (code: string) => {
      if (code === '130102') throw new RegionLookupFailed('RATE_LIMITED', 'too many requests');
      return levelOf(code);
    };
    const report = await importRegistry(records(['450203', '130102', '450203001']), {
      send,
      levelOf: flakyLevelOf,
    });
    expect(report.registered).toBe(2);
    expect(report.rejected).toEqual([
      {
        line: 3,
        code: 'RATE_LIMITED',
        reason:
          'homeRegion: the region directory could not be read (RATE_LIMITED); import the row again later',
      },
    ]);
    expect(calls.flatMap((c) => c.inputs.map((i) => i.homeRegion))).toEqual(['450203', '450203001']);
    await expect(
      importRegistry(records(['450203']), {
        send,
        levelOf: () => Promise.reject(new RegionLookupFailed('RATE_LIMITED', 'too many requests')),
        caller: { role: 'city', region: '450200' },
      }),
    ).rejects.toThrow(ImportAborted);
  });

  it('should let the calls already sent settle before an unexpected failure stops the import', async () => {
    let settled = 0;
    const send: RegistryImportOptions['send'] = async (inputs) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      settled++;
      return registered(inputs);
    };
    const broken = (code: string) => {
      if (code === '130102') throw new Error('directory bug');
      return levelOf(code);
    };
    await expect(
      importRegistry(records(['450203', '130102']), { send, levelOf: broken, batchSize: 1 }),
    ).rejects.toThrow('directory bug');
    expect(settled).toBe(1);
  });
});

describe('rejects list', () => {
  it('should write refused rows as CSV with line, code and quoted reason', () => {
    const report: ImportReport = {
      rows: 2,
      registered: 0,
      calls: 1,
      rejected: [{ line: 3, code: 'BAD_USER_INPUT', reason: 'phone: a "mainland" number' }],
    };
    expect(rejectsCsv(report)).toBe('line,code,reason\n3,BAD_USER_INPUT,"phone: a ""mainland"" number"\n');
  });
});
