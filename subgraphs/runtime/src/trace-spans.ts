import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';

export type { Attributes, Span } from '@opentelemetry/api';
export { SpanKind } from '@opentelemetry/api';

/**
 * The tracer of the hub's own spans (server requests, province fetches, SQL statements). Spans
 * carry ids, codes, names of operations and statement texts with placeholders: never variables,
 * argument values, statement parameters, tokens or error messages.
 */
const tracer = trace.getTracer('p2p-hub');

let on = false;

/** Turns the hub's own spans on or off (called by `startTracing`; off by default: no span, no cost). */
export function setTracingActive(active: boolean): void {
  on = active;
}

/** True once `startTracing` has registered an exporter in this process. */
export function tracingActive(): boolean {
  return on;
}

/** The active span when it records, else undefined. */
function recordingSpan(ctx: Context = context.active()): Span | undefined {
  const span = trace.getSpan(ctx);
  return span?.isRecording() ? span : undefined;
}

/** Options of {@link startChildSpan} and {@link inChildSpan}. */
export interface ChildSpanOptions {
  /** @default SpanKind.INTERNAL */
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Starts a span, child of the active one; undefined when tracing is off or no recording span is
 * active (work outside a traced request, e.g. a background fold, makes no orphan spans). The
 * caller ends it ({@link endSpan}).
 */
export function startChildSpan(name: string, options: ChildSpanOptions = {}): Span | undefined {
  if (!on || !recordingSpan()) return undefined;
  return tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes });
}

/**
 * Ends a span, marking it failed when `error` is given: status ERROR and `error.type` (the
 * error's code or class name). The error's message is not recorded: a failed statement's message
 * quotes its parameters.
 */
export function endSpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error !== undefined) {
    const code = (error as { code?: unknown } | null)?.code;
    span.setAttribute(
      'error.type',
      typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown',
    );
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * Runs `work` in a new span, child of the active one (see {@link startChildSpan}); runs it as is,
 * with `undefined`, when there is none to make.
 */
export async function inChildSpan<T>(
  name: string,
  options: ChildSpanOptions,
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  const span = startChildSpan(name, options);
  if (!span) return work(undefined);
  try {
    const result = await context.with(trace.setSpan(context.active(), span), () => work(span));
    endSpan(span);
    return result;
  } catch (err) {
    endSpan(span, err);
    throw err;
  }
}

/** Adds an event to the active span (e.g. a province not asked, and why); nothing when not traced. */
export function addSpanEvent(name: string, attributes?: Attributes): void {
  if (on) recordingSpan()?.addEvent(name, attributes);
}

/**
 * Adds the W3C `traceparent` (and `tracestate`) of the active span to outgoing request headers;
 * leaves them as they are when nothing is traced.
 */
export function withTraceHeaders<T extends Record<string, string>>(headers: T): T {
  if (on && recordingSpan()) propagation.inject(context.active(), headers);
  return headers;
}

/** Options of {@link serveInSpan}. */
export interface ServerSpanOptions {
  /** Low-cardinality span name: method and route, e.g. `POST /transport/graphql`. */
  name: string;
  /** `http.route`: the path template, never the query string (a GET carries the variables there). */
  route: string;
  /** More attributes, e.g. `{ 'p2p.province': '450000' }`. */
  attributes?: Attributes;
  /**
   * `root`: every request starts a new trace, any incoming `traceparent` is ignored (the gateway:
   * a public client must not choose trace ids or sampling). `remote`: only a request carrying a
   * valid `traceparent` is traced, as a child of it (provinces and national: the gateway's hop;
   * health checks and other untraced calls make no spans).
   */
  parent: 'root' | 'remote';
}

/**
 * Serves an HTTP request inside a SERVER span (`http.request.method`, `http.route`,
 * `http.response.status_code`), ended when `serve` settles; everything `serve` does (SQL, fetches,
 * log lines) is inside it. Without tracing, or when nothing is to be traced, just runs `serve`.
 */
export async function serveInSpan(
  req: IncomingMessage,
  res: ServerResponse,
  options: ServerSpanOptions,
  serve: () => Promise<void>,
): Promise<void> {
  if (!on) return serve();
  let parent = ROOT_CONTEXT;
  if (options.parent === 'remote') {
    parent = propagation.extract(ROOT_CONTEXT, req.headers);
    if (!trace.getSpanContext(parent)) return serve();
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const span = tracer.startSpan(
    options.name,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': method, 'http.route': options.route, ...options.attributes },
    },
    parent,
  );
  try {
    await context.with(trace.setSpan(parent, span), serve);
  } catch (err) {
    span.setAttribute('http.response.status_code', 500);
    endSpan(span, err);
    throw err;
  }
  span.setAttribute('http.response.status_code', res.statusCode);
  if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * The ids of the active span for a log line (`trace_id`, `span_id`), or nothing outside a traced
 * operation: the logger's mixin, so a log line can be found from its trace and back.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { trace_id: traceId, span_id: spanId } : {};
}
