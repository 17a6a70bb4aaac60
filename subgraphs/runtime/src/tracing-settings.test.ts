import { describe, expect, it } from 'vitest';
import { tracingSettingsFromEnv } from './tracing-settings.js';

const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' };

describe('tracing settings', () => {
  it('should be off without an OTLP endpoint, with an empty one, or with OTEL_SDK_DISABLED=true', () => {
    expect(tracingSettingsFromEnv('p2p-gateway', {})).toBeUndefined();
    expect(tracingSettingsFromEnv('p2p-gateway', { OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBeUndefined();
    expect(tracingSettingsFromEnv('p2p-gateway', { ...ENDPOINT, OTEL_SDK_DISABLED: 'TRUE' })).toBeUndefined();
  });

  it('should export to <endpoint>/v1/traces with the spec defaults', () => {
    expect(tracingSettingsFromEnv('p2p-province-450000', ENDPOINT)).toEqual({
      serviceName: 'p2p-province-450000',
      tracesUrl: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      sampler: 'parentbased_always_on',
      ratio: 1,
      scheduleDelayMs: 5000,
    });
  });

  it('should take the traces endpoint as given, and the name, protocol, sampler and delay from their variables', () => {
    expect(
      tracingSettingsFromEnv('p2p-gateway', {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://tempo.example/otlp/v1/traces',
        OTEL_SERVICE_NAME: 'gateway-a',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      }),
    ).toEqual({
      serviceName: 'gateway-a',
      tracesUrl: 'https://tempo.example/otlp/v1/traces',
      protocol: 'http/json',
      sampler: 'parentbased_traceidratio',
      ratio: 0.25,
      scheduleDelayMs: 200,
    });
    expect(
      tracingSettingsFromEnv('x', {
        ...ENDPOINT,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      })?.protocol,
    ).toBe('http/protobuf');
  });

  it('should refuse a value it cannot honour, naming the setting', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
        /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/,
      ],
      [
        { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://x/v1/traces' },
        /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be/,
      ],
      [
        { ...ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
        /OTEL_EXPORTER_OTLP_PROTOCOL must be one of http\/protobuf, http\/json; got "grpc"/,
      ],
      [
        { ...ENDPOINT, OTEL_TRACES_SAMPLER: 'sometimes' },
        /OTEL_TRACES_SAMPLER must be one of parentbased_always_on/,
      ],
      [
        { ...ENDPOINT, OTEL_TRACES_SAMPLER_ARG: '1.5' },
        /OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/,
      ],
      [{ ...ENDPOINT, OTEL_TRACES_SAMPLER_ARG: 'half' }, /OTEL_TRACES_SAMPLER_ARG/],
      [
        { ...ENDPOINT, OTEL_BSP_SCHEDULE_DELAY: '0' },
        /OTEL_BSP_SCHEDULE_DELAY must be an integer from 1 to 600000/,
      ],
    ];
    for (const [env, message] of bad) expect(() => tracingSettingsFromEnv('x', env)).toThrow(message);
  });
});
