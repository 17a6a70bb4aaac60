import { integerSetting } from './settings.js';

/** The samplers of the OpenTelemetry specification (`OTEL_TRACES_SAMPLER`). */
export const TRACE_SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;

/** One of {@link TRACE_SAMPLERS}. */
export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number];

/** The OTLP encodings the services export with (`OTEL_EXPORTER_OTLP_PROTOCOL`); gRPC is not offered. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

/** One of {@link OTLP_PROTOCOLS}. */
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** How a service exports its spans, read from the standard `OTEL_*` variables. */
export interface TracingSettings {
  /** `service.name` of every span: `OTEL_SERVICE_NAME`, else the service's own name (e.g. `p2p-gateway`). */
  serviceName: string;
  /**
   * Where spans are POSTed: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given, else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`.
   */
  tracesUrl: string;
  /** @default 'http/protobuf' */
  protocol: OtlpProtocol;
  /** @default 'parentbased_always_on' */
  sampler: TraceSamplerName;
  /** Share of root traces kept by the `*traceidratio` samplers (`OTEL_TRACES_SAMPLER_ARG`, 0..1). @default 1 */
  ratio: number;
  /** Longest wait before a batch of ended spans is sent (`OTEL_BSP_SCHEDULE_DELAY`, ms). @default 5000 */
  scheduleDelayMs: number;
}

const value = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

function httpUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${name} must be an http(s) URL such as http://127.0.0.1:4318; got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${name} must be an http(s) URL such as http://127.0.0.1:4318; got "${text}"`);
  return url.href;
}

function oneOf<T extends string>(
  text: string | undefined,
  allowed: readonly T[],
  name: string,
  fallback: T,
): T {
  if (text === undefined) return fallback;
  const lower = text.toLowerCase();
  if ((allowed as readonly string[]).includes(lower)) return lower as T;
  throw new Error(`${name} must be one of ${allowed.join(', ')}; got "${text}"`);
}

function ratioOf(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = /^\s*(0|1|0?\.\d+|1\.0*)\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 0 && n <= 1))
    throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1; got "${text}"`);
  return n;
}

/**
 * Reads the tracing settings from the standard OpenTelemetry variables. Tracing is on only when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set and
 * `OTEL_SDK_DISABLED` is not `true`; undefined otherwise.
 * @throws Error naming the setting when a value is not accepted (a service refuses to start)
 */
export function tracingSettingsFromEnv(
  defaultServiceName: string,
  env: NodeJS.ProcessEnv = process.env,
): TracingSettings | undefined {
  if (value(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  const traces = value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!traces && !base) return undefined;
  const tracesUrl = traces
    ? httpUrl(traces, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')
    : `${httpUrl(base!, 'OTEL_EXPORTER_OTLP_ENDPOINT').replace(/\/+$/, '')}/v1/traces`;
  const protocolName = value(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL')
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  return {
    serviceName: value(env, 'OTEL_SERVICE_NAME') ?? defaultServiceName,
    tracesUrl,
    protocol: oneOf(value(env, protocolName), OTLP_PROTOCOLS, protocolName, 'http/protobuf'),
    sampler: oneOf(
      value(env, 'OTEL_TRACES_SAMPLER'),
      TRACE_SAMPLERS,
      'OTEL_TRACES_SAMPLER',
      'parentbased_always_on',
    ),
    ratio: ratioOf(value(env, 'OTEL_TRACES_SAMPLER_ARG')),
    scheduleDelayMs:
      integerSetting(value(env, 'OTEL_BSP_SCHEDULE_DELAY'), 'OTEL_BSP_SCHEDULE_DELAY', {
        min: 1,
        max: 600_000,
      }) ?? 5000,
  };
}
