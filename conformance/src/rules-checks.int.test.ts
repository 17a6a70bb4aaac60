import { startSignedTestProvince, type SignedTestProvince } from '@p2p/province/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type ConformanceReport } from './runner.js';

/** The access rules, the summaries and the subscriptions, checked against our own province (PGlite, or Postgres with DATABASE_URL). */
describe('the access, summary and subscription checks against our province', () => {
  let province: SignedTestProvince;
  let report: ConformanceReport;

  beforeAll(async () => {
    province = await startSignedTestProvince('450000');
    report = await runConformance({
      province: '450000',
      url: province.service.url,
      signingKeyPem: province.keys.privateKeyPem,
      only: ['access', 'summary', 'subscriptions'],
      seed: 19,
    });
  }, 120_000);
  afterAll(() => province?.close());

  it('should pass every check of the three groups', () => {
    const failed = report.results.filter((r) => r.status !== 'pass');
    expect(failed).toEqual([]);
    expect(report.results.map((r) => r.id)).toEqual([
      'access.list-scope',
      'access.read-masking',
      'access.write-refusals',
      'summary.recount',
      'subscriptions.scope',
      'subscriptions.replay',
      'cleanup.cancel-trips',
    ]);
    console.info(
      `rules checks: ${report.durationMs} ms (${report.results.map((r) => `${r.id} ${r.durationMs} ms`).join(', ')})`,
    );
  });
});
