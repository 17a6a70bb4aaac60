import { describe, expect, it } from 'vitest';
import { hostedProvinceEnvs, provinceOptionsFromEnv } from './service-settings.js';
import { silentLog } from './testing/silent-log.js';

describe('hostedProvinceEnvs', () => {
  it('should serve the process env alone without HOSTED_PROVINCES', () => {
    const env = { PROVINCE: '450000', PORT: '4145' };
    expect(hostedProvinceEnvs(env)).toEqual([env]);
    expect(hostedProvinceEnvs({ ...env, HOSTED_PROVINCES: ' ' })).toEqual([
      { ...env, HOSTED_PROVINCES: ' ' },
    ]);
  });

  it("should give each hosted province its entry's variables over the shared ones", () => {
    const envs = hostedProvinceEnvs({
      GATEWAY_PUBLIC_KEY: 'key',
      FEVER_THRESHOLD: '37.5',
      HOSTED_PROVINCES: JSON.stringify([
        { PROVINCE: '110000', PORT: '4111', DATABASE_URL: 'postgres://h/p2p_110000' },
        { PROVINCE: '450000', PORT: '4145', FEVER_THRESHOLD: '37.3' },
      ]),
    });
    expect(envs).toEqual([
      {
        GATEWAY_PUBLIC_KEY: 'key',
        FEVER_THRESHOLD: '37.5',
        PROVINCE: '110000',
        PORT: '4111',
        DATABASE_URL: 'postgres://h/p2p_110000',
      },
      { GATEWAY_PUBLIC_KEY: 'key', FEVER_THRESHOLD: '37.3', PROVINCE: '450000', PORT: '4145' },
    ]);
  });

  it("should never give a hosted province the process's own province, port or database", () => {
    const [guangxi] = hostedProvinceEnvs({
      PROVINCE: '110000',
      PORT: '4111',
      DATABASE_URL: 'postgres://h/p2p_110000',
      PGLITE_DIR: '/data/110000',
      HOSTED_PROVINCES: JSON.stringify([{ PROVINCE: '450000', PORT: '0' }]),
    });
    expect(guangxi).toEqual({ PROVINCE: '450000', PORT: '0' });
  });

  it.each([
    ['not JSON', '[{PROVINCE:110000}]', /JSON array/],
    ['not an array', '{"PROVINCE":"110000"}', /non-empty JSON array/],
    ['empty', '[]', /non-empty JSON array/],
    ['an entry that is no object', '["110000"]', /HOSTED_PROVINCES\[0\] must be an object/],
    [
      'a value that is no string',
      '[{"PROVINCE":"110000"},{"PROVINCE":"450000","PORT":4145}]',
      /HOSTED_PROVINCES\[1\] must be an object/,
    ],
    ['an entry without its province', '[{"PORT":"4111"}]', /\[0\] must name its PROVINCE/],
    [
      'a province twice',
      '[{"PROVINCE":"110000"},{"PROVINCE":"110000","PORT":"0"}]',
      /\[0\] and \[1\] share province 110000/,
    ],
    [
      'a port twice',
      '[{"PROVINCE":"110000","PORT":"4111"},{"PROVINCE":"450000","PORT":"4111"}]',
      /share port 4111/,
    ],
    ['the default port twice', '[{"PROVINCE":"110000"},{"PROVINCE":"450000"}]', /share port 4100/],
    [
      'a database twice',
      '[{"PROVINCE":"110000","PORT":"0","DATABASE_URL":"postgres://u:secret@h/p"},{"PROVINCE":"450000","PORT":"0","DATABASE_URL":"postgres://u:secret@h/p"}]',
      /^HOSTED_PROVINCES\[0\] and \[1\] share DATABASE_URL$/,
    ],
    [
      'a PGlite directory twice',
      '[{"PROVINCE":"110000","PORT":"0","PGLITE_DIR":"/d"},{"PROVINCE":"450000","PORT":"0","PGLITE_DIR":"/d"}]',
      /share PGlite directory \/d/,
    ],
    [
      'a process-wide setting',
      '[{"PROVINCE":"110000","LOG_LEVEL":"debug","OTEL_SERVICE_NAME":"x"}]',
      /sets LOG_LEVEL, OTEL_SERVICE_NAME: a setting of the whole process/,
    ],
  ])('should refuse %s', (_, hosted, message) => {
    expect(() => hostedProvinceEnvs({ HOSTED_PROVINCES: hosted })).toThrow(message);
  });

  it('should let several provinces listen on ports the system picks (PORT 0)', () => {
    const hosted = JSON.stringify([
      { PROVINCE: '110000', PORT: '0' },
      { PROVINCE: '450000', PORT: '0' },
    ]);
    expect(hostedProvinceEnvs({ HOSTED_PROVINCES: hosted }).map((e) => e.PROVINCE)).toEqual([
      '110000',
      '450000',
    ]);
  });
});

describe('provinceOptionsFromEnv', () => {
  it('should read the variables of main.ts from the env given, not the process env', () => {
    const options = provinceOptionsFromEnv(
      {
        PROVINCE: '450000',
        PORT: '4145',
        DATABASE_URL: 'postgres://h/p2p_450000',
        DATABASE_POOL_SIZE: '2',
        OUTBOX_RETENTION_DAYS: '7',
        SERVED_CONTRACT: 'previous',
        ALLOW_UNSIGNED: '1',
        P2P_DEV: '1',
      },
      silentLog,
    );
    expect(options).toMatchObject({
      province: '450000',
      port: 4145,
      host: '127.0.0.1',
      databaseUrl: 'postgres://h/p2p_450000',
      databasePoolSize: 2,
      retention: { outboxDays: 7 },
      servedContract: 'previous',
      requireGatewaySignature: false,
      development: true,
    });
    expect(provinceOptionsFromEnv({ PROVINCE: '110000' }, silentLog)).toMatchObject({
      port: 4100,
      databaseUrl: undefined,
      requireGatewaySignature: true,
      servedContract: 'current',
    });
  });

  it('should refuse a code that is no province and a port out of range', () => {
    expect(() => provinceOptionsFromEnv({ PROVINCE: '450100' }, silentLog)).toThrow(
      /six-digit code of a province/,
    );
    expect(() => provinceOptionsFromEnv({ PROVINCE: '450000', PORT: '70000' }, silentLog)).toThrow(/PORT/);
  });
});
