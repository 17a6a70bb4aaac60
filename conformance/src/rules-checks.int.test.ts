import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type ConformanceReport } from './runner.js';
import { startKitProvince, type KitProvince } from './testing/kit-province.js';
import { startTwistingProxy, startUnguardedProvince, type RulesDouble } from './testing/rules-doubles.js';

/**
 * The access, summary and subscription checks against our own province (PGlite, or a fresh
 * Postgres database with DATABASE_URL), and against broken doubles that must fail the right checks.
 */
const PROVINCE = '450000';
const GROUPS = ['access', 'summary', 'subscriptions'];

let province: KitProvince;
beforeAll(async () => {
  province = await startKitProvince(PROVINCE);
}, 60_000);
afterAll(() => province?.close());

/** The ids of the results of `report` with `status`. */
const idsWith = (report: ConformanceReport, status: string) =>
  report.results.filter((r) => r.status === status).map((r) => r.id);

describe('the access, summary and subscription checks against our province', () => {
  let report: ConformanceReport;
  beforeAll(async () => {
    report = await runConformance({
      province: PROVINCE,
      url: province.service.url,
      signingKeyPem: province.signingKeyPem,
      only: GROUPS,
      seed: 19,
    });
  }, 120_000);

  it('should pass every check of the three groups and cancel its trips', () => {
    expect(report.results.filter((r) => r.status !== 'pass')).toEqual([]);
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

  it('should run only what writes nothing with readOnly, and skip the subscriptions with the read-only key', async () => {
    const run = (signingKeyPem: string) =>
      runConformance({
        province: PROVINCE,
        url: province.service.url,
        signingKeyPem,
        only: GROUPS,
        readOnly: true,
      });
    const withFullKey = await run(province.signingKeyPem);
    expect(idsWith(withFullKey, 'pass')).toEqual(['access.list-scope', 'subscriptions.scope']);
    expect(idsWith(withFullKey, 'fail')).toEqual([]);
    // The province's read-only key serves queries only: no subscription link to judge.
    const withReadOnlyKey = await run(province.readOnlyKeyPem);
    expect(idsWith(withReadOnlyKey, 'pass')).toEqual(['access.list-scope']);
    expect(idsWith(withReadOnlyKey, 'fail')).toEqual([]);
    expect(withReadOnlyKey.results.find((r) => r.id === 'subscriptions.scope')?.message).toMatch(
      /opens no subscription link/,
    );
  }, 60_000);
});

describe('the checks against a province that applies no access rules', () => {
  let double: RulesDouble;
  let report: ConformanceReport;
  beforeAll(async () => {
    double = await startUnguardedProvince(PROVINCE);
    report = await runConformance({
      province: PROVINCE,
      url: double.url,
      signingKeyPem: double.signingKeyPem,
      only: GROUPS,
      seed: 19,
    });
  }, 120_000);
  afterAll(() => double?.close());

  it('should fail the access checks and the subscription scope, and nothing else', () => {
    expect(idsWith(report, 'fail')).toEqual([
      'access.list-scope',
      'access.read-masking',
      'access.write-refusals',
      'subscriptions.scope',
    ]);
    const message = (id: string) => report.results.find((r) => r.id === id)?.message;
    expect(message('access.list-scope')).toMatch(/must be refused with FORBIDDEN and no data/);
    expect(message('access.read-masking')).toMatch(/must show .*idNumber must be masked/);
    expect(message('access.write-refusals')).toMatch(/must be refused with FORBIDDEN/);
    expect(message('subscriptions.scope')).toMatch(/must be refused .* and deliver nothing/);
    expect(report.results.find((r) => r.id === 'access.read-masking')?.exchange?.caller).not.toBe('unsigned');
  });
});

describe('the checks against a province whose figures or replays are wrong', () => {
  it('should fail summary.recount when the figures never move', async () => {
    const double = await startTwistingProxy(province.service, province.signingKeyPem, 'stale-summary');
    try {
      const report = await runConformance({
        province: PROVINCE,
        url: double.url,
        signingKeyPem: double.signingKeyPem,
        only: ['summary'],
      });
      expect(idsWith(report, 'fail')).toEqual(['summary.recount']);
      expect(report.results[0]?.message).toMatch(
        /must equal a recount of what the kit wrote within 10 s .*LATEST:workers\.registered moved by 0 .* the kit's writes move it by 4/,
      );
      expect(report.results[0]?.exchange?.subgraph).toBe('transport');
    } finally {
      await double.close();
    }
  }, 60_000);

  it('should fail subscriptions.replay when a resumed subscription loses an event', async () => {
    const double = await startTwistingProxy(province.service, province.signingKeyPem, 'replay-skips-one');
    try {
      const report = await runConformance({
        province: PROVINCE,
        url: double.url,
        signingKeyPem: double.signingKeyPem,
        only: ['subscriptions'],
      });
      expect(idsWith(report, 'fail')).toEqual(['subscriptions.replay']);
      expect(idsWith(report, 'pass')).toEqual(['subscriptions.scope', 'cleanup.cancel-trips']);
      expect(report.results.find((r) => r.id === 'subscriptions.replay')?.message).toMatch(
        /arrivals\(after: \d+\) must replay exactly the events after it \([\d, ]+\), in order, once each: missing \d+$/,
      );
    } finally {
      await double.close();
    }
  }, 60_000);
});
