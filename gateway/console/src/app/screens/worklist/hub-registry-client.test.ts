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
  it('should read each code once, ahead of the import, and answer undefined for a code it does not know', async () => {
    const { client, calls } = fakeClient((v) => ({
      data: { region: v.code === '459999' ? null : { code: v.code, level: 'COUNTY' } },
    }));
    const levelOf = hubDirectory(client);
    await lookUpAhead(
      [
        { line: 1, cells: ['姓名', '身份证号', '手机号码', '户籍地区划代码'] },
        { line: 2, cells: ['李', '', '', '450203'] },
        { line: 3, cells: ['王', '', '', '450203'] },
        { line: 4, cells: ['张', '', '', '459999'] },
        { line: 5, cells: ['赵', '', '', '广西'] },
      ],
      levelOf,
    );
    expect(calls.map((c) => c.code).sort()).toEqual(['450203', '459999']);
    await expect(levelOf('450203')).resolves.toBe('COUNTY');
    await expect(levelOf('459999')).resolves.toBeUndefined();
    expect(calls).toHaveLength(2);
  });
});
