import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { setTracingActive } from './trace-spans.js';
import { tracingSettingsFromEnv, type TracingSettings } from './tracing-settings.js';

/** A service's tracing, on or off. */
export interface Tracing {
  /** The settings in force; undefined when tracing is off. */
  readonly settings: TracingSettings | undefined;
  /** Sends the spans ended so far and stops exporting (at most `timeoutMs`). @default timeoutMs 3000 */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** Options of {@link startTracing}. */
export interface StartTracingOptions {
  /** `service.name` unless `OTEL_SERVICE_NAME` is set, e.g. `p2p-gateway`, `p2p-province-450000`. */
  serviceName: string;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Where the exporter's failures are told (warn). @default none */
  logger?: Logger;
}

const OFF: Tracing = { settings: undefined, shutdown: async () => {} };

/**
 * Starts OpenTelemetry tracing of this process when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (see
 * tracing-settings.ts): registers a tracer provider (batching OTLP/HTTP exporter, JSON or
 * protobuf), the AsyncLocalStorage context manager and the W3C trace-context propagator, and turns
 * on the hub's own spans (trace-spans.ts). Apollo Gateway's spans (`gateway.request`,
 * `gateway.plan`, `gateway.execute`, `gateway.fetch`) go to the same provider. Off (the variable
 * unset): nothing is loaded or registered and every span helper is a plain call.
 * @throws Error naming the setting when an `OTEL_*` value is not accepted
 */
export async function startTracing(options: StartTracingOptions): Promise<Tracing> {
  const settings = tracingSettingsFromEnv(options.serviceName, options.env);
  if (!settings) return OFF;
  const [
    { NodeTracerProvider, BatchSpanProcessor, ParentBasedSampler, ...samplers },
    resources,
    core,
    exporter,
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
    settings.protocol === 'http/json'
      ? import('@opentelemetry/exporter-trace-otlp-http')
      : import('@opentelemetry/exporter-trace-otlp-proto'),
  ]);
  const log = options.logger;
  if (log) {
    const warn = (message: string) =>
      log.warn({ otel: message.slice(0, 300) }, 'tracing: span export problem');
    diag.setLogger(
      { error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
  }
  const ratio = new samplers.TraceIdRatioBasedSampler(settings.ratio);
  const root = {
    always_on: new samplers.AlwaysOnSampler(),
    always_off: new samplers.AlwaysOffSampler(),
    traceidratio: ratio,
  };
  const sampler = settings.sampler.startsWith('parentbased_')
    ? new ParentBasedSampler({
        root: root[settings.sampler.slice('parentbased_'.length) as keyof typeof root],
      })
    : root[settings.sampler as keyof typeof root];
  const provider = new NodeTracerProvider({
    resource: resources.defaultResource().merge(
      resources.resourceFromAttributes({
        'service.name': settings.serviceName,
        'service.namespace': 'p2p-hub',
      }),
    ),
    sampler,
    spanProcessors: [
      new BatchSpanProcessor(new exporter.OTLPTraceExporter({ url: settings.tracesUrl }), {
        scheduledDelayMillis: settings.scheduleDelayMs,
      }),
    ],
  });
  provider.register({ propagator: new core.W3CTraceContextPropagator() });
  setTracingActive(true);
  let stopped: Promise<void> | undefined;
  return {
    settings,
    shutdown(timeoutMs = 3000) {
      stopped ??= (async () => {
        setTracingActive(false);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          provider.shutdown().catch(() => {}),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, timeoutMs);
          }),
        ]);
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}
