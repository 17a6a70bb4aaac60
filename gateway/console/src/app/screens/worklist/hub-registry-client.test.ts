import { RegionLookupFailed } from '@p2p/schema/registry-import';
import { CombinedError } from '@urql/core';
import type { Client } from 'urql';
import { describe, expect, it } from 'vitest';
import { clientSender, hubDirectory, lookUpAhead } from './hub-registry-client.js';

type Answer = { data?: unknown; error?: CombinedError };

/** A client answering every operation with `answer(variables)`, counting the calls. */
function fakeClient(answer: (variables: Record<string, unknown>) => Answer) {
  const calls: Record<string, unknown>[] = [];
  const operation = (_document: unknown, variables: Record<string, unknown>) => {
    calls.push(variables);
    return { toPromise: async () => answer(variables) };
  };
  return { client: { query: operation, mutation: operation } as unknown as Client, calls };
}

describe("the registry import's sender through the console's client", () => {
  it('should hand over the GraphQL errors with their code and field, so a refused row is found by index', async () => {
    const { client } = fakeClient(() => ({
      data: null,
      error: new CombinedError({
        graphQLErrors: [
          {
            message: 'inputs[3].phone: a mainland mobile number has 11 digits',
            extensions: { code: 'BAD_USER_INPUT', field: 'inputs[3].phone' },
          },
        ],
      }),
    }));
    await expect(clientSender(client)([], 'k')).resolves.toEqual({
      data: null,
      errors: [
        {
          message: 'inputs[3].phone: a mainland mobile number has 11 digits',
          extensions: { code: 'BAD_USER_INPUT', field: 'inputs[3].phone' },
        },
      ],
    });
  });

  it('should throw when no GraphQL answer came (the import retries, then stops)', async () => {
    const { client } = fakeClient(() => ({
      error: new CombinedError({ networkError: new Error('Failed to fetch') }),
    }));
    await expect(clientSender(client)([], 'k')).rejects.toThrow('Failed to fetch');
  });
});

describe("the hub's region directory", () => {
  const header = { line: 1, cells: ['姓名', '身份证号', '手机号码', '户籍地区划代码'] };
  const levels = (v: Record<string, unknown>, unknown: string[] = []) =>
    Object.fromEntries(
      Object.entries(v).map(([name, code]) => [
        name.replace('c', 'r'),
        unknown.includes(String(code)) ? null : { level: 'TOWNSHIP' },
      ]),
    );

  it('should ask about many codes a request, each once, and answer undefined for a code it does not know', async () => {
    const { client, calls } = fakeClient((v) => ({ data: levels(v, ['459999999']) }));
    const directory = hubDirectory(client);
    const townships = Array.from({ length: 120 }, (_, i) => `450203${String(i).padStart(3, '0')}`);
    await lookUpAhead(
      [
        header,
        ...townships.map((code, i) => ({ line: i + 2, cells: ['李', '', '', code] })),
        { line: 200, cells: ['王', '', '', townships[0]!] },
        { line: 201, cells: ['张', '', '', '459999999'] },
        { line: 202, cells: ['赵', '', '', '广西'] },
      ],
      directory,
      ['450200'],
    );
    expect(calls).toHaveLength(3); // 122 distinct codes, 50 a request
    const asked = calls.flatMap((c) => Object.values(c));
    expect(new Set(asked).size).toBe(122);
    expect(asked).not.toContain('广西');
    await expect(directory.levelOf('450203007')).resolves.toBe('TOWNSHIP');
    await expect(directory.levelOf('459999999')).resolves.toBeUndefined();
    expect(calls).toHaveLength(3);
    await expect(directory.levelOf('130102')).resolves.toBe('TOWNSHIP');
    expect(calls).toHaveLength(4);
  });

  it('should take a code the hub refuses as a variable for one that does not exist, and ask about the others again', async () => {
    const { client, calls } = fakeClient((v) => {
      const refused = Object.entries(v).filter(([, code]) => code === '459999');
      return refused.length
        ? {
            error: new CombinedError({
              graphQLErrors: refused.map(([name]) => ({
                message: `Variable "$${name}" got invalid value "459999"; RegionCode: region code 459999 does not exist in GB/T 2260`,
                extensions: { code: 'BAD_USER_INPUT' },
              })),
            }),
          }
        : { data: levels(v) };
    });
    const directory = hubDirectory(client);
    await directory.lookUp(['450203', '459999', '450203001']);
    expect(calls).toHaveLength(2);
    expect(Object.values(calls[1]!)).not.toContain('459999');
    await expect(directory.levelOf('459999')).resolves.toBeUndefined();
    await expect(directory.levelOf('450203001')).resolves.toBe('TOWNSHIP');
  });

  it('should ask again when rate limited, then make the codes of a failed request throw their code', async () => {
    let answers = 0;
    const { client, calls } = fakeClient((v) =>
      answers++ === 0
        ? {
            error: new CombinedError({
              graphQLErrors: [{ message: 'too many requests', extensions: { code: 'RATE_LIMITED' } }],
            }),
          }
        : { data: levels(v) },
    );
    const directory = hubDirectory(client, { retryMs: 1 });
    await directory.lookUp(['450203']);
    expect(calls).toHaveLength(2);
    await expect(directory.levelOf('450203')).resolves.toBe('TOWNSHIP');

    const refused = fakeClient(() => ({
      error: new CombinedError({
        graphQLErrors: [{ message: 'too many requests', extensions: { code: 'RATE_LIMITED' } }],
      }),
    }));
    const failing = hubDirectory(refused.client, { retryMs: 1, attempts: 2 });
    await expect(failing.lookUp(['450203', '130102'])).resolves.toBeUndefined();
    expect(refused.calls).toHaveLength(2);
    const failure = await Promise.resolve(failing.levelOf('130102')).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(RegionLookupFailed);
    expect(failure).toMatchObject({ code: 'RATE_LIMITED' });
  });
});
