import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { setTracingActive } from '@p2p/runtime';
import { eq, sql } from 'drizzle-orm';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvinceDatabase, type TestDatabase } from '../testing/database.js';
import { openDatabase, type ProvinceDatabase } from './database.js';
import { workers } from './schema/index.js';

const SECRET_ID = 'W45-traced-secret';
const SECRET_NAME = '黄秘密';

describe(`SQL statements as spans (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  const exported = new InMemorySpanExporter();
  let database: TestDatabase;
  let db: ProvinceDatabase;
  beforeAll(async () => {
    new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exported)] }).register();
    setTracingActive(true);
    database = await createProvinceDatabase();
    db = await openDatabase({ databaseUrl: database.databaseUrl });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
    setTracingActive(false);
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('should make each statement of a traced request a child span, with its text and never its parameters', async () => {
    exported.reset();
    const tracer = trace.getTracer('test');
    const request = await tracer.startActiveSpan('POST /workers/graphql', async (span) => {
      await db.db.select({ id: workers.id }).from(workers).where(eq(workers.id, SECRET_ID));
      await db.db.transaction(async (tx) => {
        await tx.select({ id: workers.id }).from(workers).where(eq(workers.name, SECRET_NAME));
      });
      await expect(
        db.db.execute(sql`select * from no_such_table where x = ${SECRET_NAME}`),
      ).rejects.toThrow();
      span.end();
      return span.spanContext();
    });
    const statements = exported
      .getFinishedSpans()
      .filter((s) => s.attributes['db.system.name'] === 'postgresql');
    const selects = statements.filter((s) => s.name === 'SELECT');
    expect(selects.length).toBe(3);
    for (const s of statements) {
      expect(s.spanContext().traceId).toBe(request.traceId);
      expect(s.parentSpanContext?.spanId).toBe(request.spanId);
    }
    expect(selects[0]!.attributes['db.query.text']).toMatch(/from "workers" where "workers"\."id" = \$1/);
    expect(selects[1]!.attributes['db.query.text']).toMatch(/"workers"\."name" = \$1/);
    const failed = selects[2]!;
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['error.type']).toBe('42P01');
    expect(failed.events).toEqual([]);
    const everything = JSON.stringify(
      exported.getFinishedSpans().map((s) => [s.attributes, s.events, s.status]),
    );
    expect(everything).not.toContain(SECRET_ID);
    expect(everything).not.toContain(SECRET_NAME);
  });

  it('should make no span for a statement outside any traced request (a background task)', async () => {
    exported.reset();
    await db.db.select({ id: workers.id }).from(workers).where(eq(workers.id, SECRET_ID));
    expect(exported.getFinishedSpans()).toEqual([]);
  });
});
