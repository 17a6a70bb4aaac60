import { describe, expect, it } from 'vitest';
import { devProvincePort, parseDevOptions } from './dev-options.js';

describe('npm start options', () => {
  it('defaults to the five demo provinces on PGlite, seeded', () => {
    expect(parseDevOptions([], {})).toEqual({
      provinces: ['110000', '130000', '410000', '440000', '450000'],
      provincesPerProcess: 1,
      seed: true,
      verbose: false,
      gatewayPort: 4000,
      nationalPort: 4001,
      help: false,
    });
  });

  it('reads --provinces, --database-url, --no-seed and --pglite-dir', () => {
    const options = parseDevOptions(
      [
        '--provinces',
        '110000,450000',
        '--database-url',
        'postgres://postgres@127.0.0.1:5432/test',
        '--no-seed',
      ],
      {},
    );
    expect(options).toMatchObject({
      provinces: ['110000', '450000'],
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      seed: false,
    });
    expect(parseDevOptions(['--pglite-dir', '.data/dev'], {}).pgliteDir).toBe('.data/dev');
    expect(parseDevOptions(['--provinces-per-process', '8'], {}).provincesPerProcess).toBe(8);
  });

  it('reads --provinces all as the 31 provinces of the mainland', () => {
    const { provinces } = parseDevOptions(['--provinces', 'all'], {});
    expect(provinces).toHaveLength(31);
    expect(provinces).toContain('450000');
    expect(provinces).toContain('650000');
    expect(provinces).not.toContain('710000');
    expect(parseDevOptions(['--provinces', 'all'], {}).provincesPerProcess).toBe(8);
    expect(
      parseDevOptions(['--provinces', 'all', '--provinces-per-process', '1'], {}).provincesPerProcess,
    ).toBe(1);
  });

  it('rejects what it cannot do', () => {
    expect(() => parseDevOptions(['--provinces', '450200'], {})).toThrow(/not a province code/);
    expect(() => parseDevOptions(['--database-url', 'mysql://x'], {})).toThrow(/postgres/);
    expect(() => parseDevOptions(['--database-url', 'postgres://x/y', '--pglite-dir', 'd'], {})).toThrow(
      /exclude/,
    );
    expect(() => parseDevOptions(['--frobnicate'], {})).toThrow();
    for (const bad of ['0', '32', '2.5', 'eight'])
      expect(() => parseDevOptions(['--provinces-per-process', bad], {})).toThrow(/from 1 to 31/);
  });

  it('puts each province on 4100 + its prefix', () => {
    expect(['110000', '130000', '410000', '440000', '450000'].map(devProvincePort)).toEqual([
      4111, 4113, 4141, 4144, 4145,
    ]);
  });
});
