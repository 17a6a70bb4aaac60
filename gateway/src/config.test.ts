import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatewayOptionsFromEnv, parsePairs } from './config.js';

describe('gateway configuration', () => {
  it('should read PROVINCES and SUBGRAPHS as name=url lists', () => {
    expect(
      parsePairs('110000=http://127.0.0.1:4110, 450000=http://127.0.0.1:4145/?a=b', 'PROVINCES'),
    ).toEqual({ '110000': 'http://127.0.0.1:4110', '450000': 'http://127.0.0.1:4145/?a=b' });
    expect(() => parsePairs('oops', 'PROVINCES')).toThrow(/PROVINCES: "oops"/);
  });

  it('should read TRUSTED_DOCUMENTS and TRUSTED_DOCUMENTS_MANIFESTS, refusing an unknown mode', () => {
    expect(
      gatewayOptionsFromEnv({
        TRUSTED_DOCUMENTS: 'Safelist',
        TRUSTED_DOCUMENTS_MANIFESTS: ' a.json, b.json ,',
      }).trustedDocuments,
    ).toEqual({ mode: 'safelist', manifests: ['a.json', 'b.json'] });
    expect(gatewayOptionsFromEnv({ TRUSTED_DOCUMENTS: 'apq' }).trustedDocuments).toEqual({ mode: 'apq' });
    expect(() => gatewayOptionsFromEnv({ TRUSTED_DOCUMENTS: 'allowlist' })).toThrow(
      /TRUSTED_DOCUMENTS must be off, apq or safelist; got "allowlist"/,
    );
  });

  it('should default the port to 4000 and read the environment', () => {
    expect(gatewayOptionsFromEnv({})).toEqual({ port: 4000 });
    expect(
      gatewayOptionsFromEnv({
        PORT: '0',
        HOST: '0.0.0.0',
        PROVINCES: '450000=http://x:1',
        NATIONAL_URL: 'http://n/graphql',
        PROVINCE_TIMEOUT_MS: '800',
      }),
    ).toEqual({
      port: 0,
      host: '0.0.0.0',
      provinces: { '450000': 'http://x:1' },
      nationalUrl: 'http://n/graphql',
      provinceTimeoutMs: 800,
    });
    expect(() => gatewayOptionsFromEnv({ PROVINCE_TIMEOUT_MS: 'soon' })).toThrow(/PROVINCE_TIMEOUT_MS/);
    expect(gatewayOptionsFromEnv({ RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:6379/2' })).toEqual({
      port: 4000,
      rateLimitRedisUrl: 'redis://127.0.0.1:6379/2',
    });
  });

  it('should run the relay unless RELAY=off, with RELAY_WAIT_MS, RELAY_BATCH_SIZE and RELAY_ALARM_RETRY_MS', () => {
    expect(gatewayOptionsFromEnv({}).relay).toBeUndefined();
    expect(gatewayOptionsFromEnv({ RELAY: 'off' }).relay).toBe(false);
    expect(
      gatewayOptionsFromEnv({ RELAY: 'on', RELAY_WAIT_MS: '5000', RELAY_BATCH_SIZE: '100' }).relay,
    ).toEqual({
      waitMs: 5000,
      batchSize: 100,
    });
    expect(() => gatewayOptionsFromEnv({ RELAY: 'sometimes' })).toThrow(/RELAY must be on or off/);
    expect(() => gatewayOptionsFromEnv({ RELAY_WAIT_MS: '60000' })).toThrow(/RELAY_WAIT_MS/);
    expect(() => gatewayOptionsFromEnv({ RELAY_BATCH_SIZE: '0' })).toThrow(/RELAY_BATCH_SIZE/);
    expect(gatewayOptionsFromEnv({ RELAY_ALARM_RETRY_MS: '1000' }).relay).toEqual({ alarmRetryMs: 1000 });
    expect(() => gatewayOptionsFromEnv({ RELAY_ALARM_RETRY_MS: '10' })).toThrow(/RELAY_ALARM_RETRY_MS/);
  });

  it('should read a GATEWAY_CONFIG file, with the environment taking precedence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    writeFileSync(join(dir, 'super.graphql'), 'schema { query: Query } type Query { a: Int }');
    writeFileSync(
      join(dir, 'gateway.json'),
      JSON.stringify({
        port: 4100,
        provinces: { '110000': 'http://b:1' },
        supergraphPath: 'super.graphql',
        subgraphs: 'a=http://a/graphql',
        healthCheckIntervalMs: 1000,
      }),
    );
    const options = gatewayOptionsFromEnv({ GATEWAY_CONFIG: join(dir, 'gateway.json'), PORT: '4200' });
    expect(options).toMatchObject({
      port: 4200,
      provinces: { '110000': 'http://b:1' },
      subgraphUrls: { a: 'http://a/graphql' },
      healthCheckIntervalMs: 1000,
    });
    expect(options.supergraphSdl).toContain('type Query');
  });

  it('should read CONFORMANCE_REPORT_DIR as an absolute directory, refusing one that does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-reports-'));
    expect(gatewayOptionsFromEnv({}).conformanceReportDir).toBeUndefined();
    expect(gatewayOptionsFromEnv({ CONFORMANCE_REPORT_DIR: dir }).conformanceReportDir).toBe(dir);
    expect(() => gatewayOptionsFromEnv({ CONFORMANCE_REPORT_DIR: join(dir, 'nowhere') })).toThrow(
      /CONFORMANCE_REPORT_DIR: no directory at .*nowhere/,
    );
    writeFileSync(join(dir, 'a-file'), '');
    expect(() => gatewayOptionsFromEnv({ CONFORMANCE_REPORT_DIR: join(dir, 'a-file') })).toThrow(
      /CONFORMANCE_REPORT_DIR: no directory/,
    );
    mkdirSync(join(dir, 'reports'));
    writeFileSync(join(dir, 'gateway.json'), JSON.stringify({ conformanceReportDir: 'reports' }));
    expect(gatewayOptionsFromEnv({ GATEWAY_CONFIG: join(dir, 'gateway.json') }).conformanceReportDir).toBe(
      join(dir, 'reports'),
    );
  });

  it('should read the console settings, refusing an issuer that is no URL or not the one the gateway verifies', () => {
    expect(
      gatewayOptionsFromEnv({
        CONSOLE_OIDC_ISSUER: 'https://id.example.gov.cn/realms/hub',
        CONSOLE_OIDC_CLIENT_ID: 'console',
        AUTH_ISSUER: 'https://id.example.gov.cn/realms/hub',
      }).console,
    ).toEqual({ oidc: { issuer: 'https://id.example.gov.cn/realms/hub', clientId: 'console' } });
    expect(() => gatewayOptionsFromEnv({ CONSOLE_OIDC_ISSUER: 'https://id.example.gov.cn' })).toThrow(
      /CONSOLE_OIDC_ISSUER and CONSOLE_OIDC_CLIENT_ID go together/,
    );
    expect(() =>
      gatewayOptionsFromEnv({ CONSOLE_OIDC_ISSUER: 'id.example.gov.cn', CONSOLE_OIDC_CLIENT_ID: 'console' }),
    ).toThrow(/http\(s\) URL/);
    expect(() =>
      gatewayOptionsFromEnv({
        CONSOLE_OIDC_ISSUER: 'https://id.example.gov.cn/realms/hub',
        CONSOLE_OIDC_CLIENT_ID: 'console',
        AUTH_ISSUER: 'https://other.example.gov.cn',
      }),
    ).toThrow(/must be the issuer the gateway verifies/);
  });
});
