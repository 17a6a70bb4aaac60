import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { inChildSpan, setTracingActive } from './trace-spans.js';

describe('log lines inside a traced operation', () => {
  const spans = new InMemorySpanExporter();
  beforeAll(() => {
    new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).register();
    setTracingActive(true);
  });
  afterAll(() => {
    setTracingActive(false);
    trace.disable();
    context.disable();
    propagation.disable();
  });

  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger({ destination: { write: (l: string) => lines.push(JSON.parse(l)) } });
    return { log, lines };
  };

  it('should carry the trace_id and span_id of the active span, also after an await', async () => {
    const { log, lines } = capture();
    const tracer = trace.getTracer('test');
    const ids = await tracer.startActiveSpan('request', async (root) => {
      await new Promise((r) => setTimeout(r, 1));
      log.info({ province: '450000' }, 'in the request');
      const child = await inChildSpan('fetch', {}, async (span) => {
        log.warn('in the fetch');
        return span!.spanContext();
      });
      root.end();
      return { root: root.spanContext(), child };
    });
    expect(lines[0]).toMatchObject({
      msg: 'in the request',
      province: '450000',
      trace_id: ids.root.traceId,
      span_id: ids.root.spanId,
    });
    expect(lines[1]).toMatchObject({
      msg: 'in the fetch',
      trace_id: ids.root.traceId,
      span_id: ids.child.spanId,
    });
    expect(ids.child.spanId).not.toBe(ids.root.spanId);
    expect(spans.getFinishedSpans().map((s) => s.name)).toEqual(['fetch', 'request']);
  });

  it('should carry no trace fields outside any span', () => {
    const { log, lines } = capture();
    log.info('background fold');
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[0]).not.toHaveProperty('span_id');
  });
});
