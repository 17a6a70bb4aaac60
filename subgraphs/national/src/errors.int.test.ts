import { describe, expect, it } from 'vitest';
import { post, useNational } from './test-client.js';

const url = useNational();

/** Bad codes a clerk might type: wrong length, letters, a well-formed code GB/T 2260 lacks. */
const BAD_CODES = ['45', '4502031', 'abcdef', '999999', '450299', '450203999', ''];

describe('bad region codes are BAD_USER_INPUT', () => {
  it.each(BAD_CODES)('%j in a variable', async (code) => {
    const answer = await post(url(), `query($c: RegionCode!) { region(code: $c) { code } }`, { c: code });
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it.each(BAD_CODES)('%j written in the query', async (code) => {
    const answer = await post(url(), `{ region(code: ${JSON.stringify(code)}) { code } }`);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'RegionCode' });
    expect(answer.errors![0]!.message).toMatch(/region code/);
  });

  it('answers HTTP 200 so a gateway keeps the code', async () => {
    const literal = await post(url(), `{ region(code: "999999") { code } }`);
    const variable = await post(url(), `query($c: RegionCode!) { region(code: $c) { code } }`, {
      c: '999999',
    });
    expect([literal.status, variable.status]).toEqual([200, 200]);
  });

  it('a number where a code is expected is BAD_USER_INPUT too', async () => {
    const literal = await post(url(), `{ regions(parent: 450000) { code } }`);
    const variable = await post(url(), `query($p: RegionCode) { regions(parent: $p) { code } }`, {
      p: 450000,
    });
    expect(literal.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(variable.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('a bad day is BAD_USER_INPUT', async () => {
    const literal = await post(url(), `{ summary(day: "2020-02-30") { day } }`);
    const variable = await post(url(), `query($d: Date) { summary(day: $d) { day } }`, { d: '20200220' });
    expect(literal.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(variable.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('should report other validation failures with a registry code (BAD_USER_INPUT), answered 200 for the gateway', async () => {
    const answer = await post(url(), `{ region(code: "450000") { population } }`);
    expect(answer.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(answer.errors![0]!.message).toMatch(/population/);
    expect(answer.status).toBe(200);
  });

  it('should report a bad code and an unknown field together, each with its message', async () => {
    const answer = await post(url(), `{ region(code: "999999") { code } regions { population } }`);
    expect(answer.errors!.map((e) => e.extensions!.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(answer.errors!.map((e) => e.message).join(' ')).toMatch(/999999.*population|population.*999999/);
  });
});
