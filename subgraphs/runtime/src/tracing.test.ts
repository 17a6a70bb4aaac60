import { propagation, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { inChildSpan, tracingActive, withTraceHeaders } from './trace-spans.js';
import { startTracing } from './tracing.js';

describe('tracing switched off (no OTLP endpoint)', () => {
  it('should register nothing: no provider, no propagator, no context manager, no span of ours', async () => {
    const tracing = await startTracing({ serviceName: 'p2p-gateway', env: { OTEL_SERVICE_NAME: 'x' } });
    expect(tracing.settings).toBeUndefined();
    expect(tracingActive()).toBe(false);
    expect(trace.getTracer('any').startSpan('s').isRecording()).toBe(false);
    expect(propagation.fields()).toEqual([]);
    const headers = withTraceHeaders<Record<string, string>>({ accept: 'application/json' });
    expect(headers).toEqual({ accept: 'application/json' });
    expect(await inChildSpan('work', {}, async (span) => span)).toBeUndefined();
    await tracing.shutdown();
  });

  it('should refuse to start on a bad OTEL_* value, naming it', async () => {
    await expect(
      startTracing({
        serviceName: 'p2p-gateway',
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      }),
    ).rejects.toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL/);
    expect(tracingActive()).toBe(false);
  });

  it('should write log lines without trace fields', () => {
    const lines: string[] = [];
    createLogger({ destination: { write: (l: string) => lines.push(l) } }).info('plain');
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('trace_id');
  });
});
