import { createTokenVerifier } from '@p2p/gateway';
import { encodeId } from '@p2p/schema';
import { describe, expect, it } from 'vitest';
import { parseTokenArgs, tokenFromArgs } from './token.js';

describe('npm run token', () => {
  it('should parse the options', () => {
    expect(parseTokenArgs(['--role', 'city', '--region', '450200', '--expires', '30m'])).toEqual({
      role: 'city',
      region: '450200',
      expiresIn: '30m',
      help: false,
    });
    expect(parseTokenArgs(['--role', 'ministry', '--expires', '60']).expiresIn).toBe(60);
    expect(parseTokenArgs(['--help']).help).toBe(true);
    expect(() => parseTokenArgs([])).toThrow(/--role must be one of province, city, enterprise, ministry/);
    expect(() => parseTokenArgs(['--role', 'ministry', '--expires', 'soon'])).toThrow(/--expires/);
    expect(() => parseTokenArgs(['--rol', 'ministry'])).toThrow();
  });

  it('should print tokens the gateway accepts with the same secret, and refuse claims it would not', async () => {
    const verify = createTokenVerifier({ jwtSecret: 'token-test' });
    const token = await tokenFromArgs(
      parseTokenArgs(['--role', 'province', '--region', '450000']),
      'token-test',
    );
    await expect(verify(`Bearer ${token}`)).resolves.toEqual({
      subject: 'province:450000',
      role: 'province',
      region: '450000',
    });
    const expired = await tokenFromArgs({ role: 'ministry', expiresIn: -120, help: false }, 'token-test');
    await expect(verify(`Bearer ${expired}`)).rejects.toThrow(/expired/);
    await expect(
      tokenFromArgs(parseTokenArgs(['--role', 'enterprise', '--region', '110105']), 'token-test'),
    ).rejects.toThrow(/enterpriseId/);
  });

  it("should print a worker's token bound to his id, his region the home province it encodes", async () => {
    const verify = createTokenVerifier({ jwtSecret: 'token-test' });
    const workerId = encodeId('Worker', '410000');
    expect(parseTokenArgs(['--role', 'worker', '--worker', workerId])).toMatchObject({
      role: 'worker',
      workerId,
    });
    const token = await tokenFromArgs(
      parseTokenArgs(['--role', 'worker', '--worker', workerId]),
      'token-test',
    );
    await expect(verify(`Bearer ${token}`)).resolves.toEqual({
      subject: `worker:${workerId}`,
      role: 'worker',
      region: '410000',
      workerId,
    });
    await expect(tokenFromArgs(parseTokenArgs(['--role', 'worker']), 'token-test')).rejects.toThrow(
      /workerId/,
    );
  });
});
