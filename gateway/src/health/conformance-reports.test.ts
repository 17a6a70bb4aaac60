import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, PREVIOUS_CONTRACT_VERSION, formatContractVersion } from '@p2p/schema';
import {
  acceptedReportContracts,
  conformanceReportFile,
  judgeConformanceReport,
  readConformanceReport,
} from './conformance-reports.js';

const GD = '440000';
const CURRENT = formatContractVersion(CONTRACT_VERSION);
const { major, minor } = CONTRACT_VERSION;

/** A report as the kit's `--json` writes it; `failed` names the checks that failed. */
function report(overrides: Record<string, unknown> = {}, failed: string[] = []) {
  const results = [
    { id: 'schema.contract.transport', title: 'transport keeps the contract', status: 'pass', durationMs: 3 },
    { id: 'auth.unsigned-refused', title: 'unsigned refused', status: 'pass', durationMs: 2 },
    { id: 'pagination.keyset', title: 'keyset', status: 'skip', durationMs: 0, message: 'writes' },
    ...failed.map((id) => ({
      id,
      title: id,
      status: 'fail',
      durationMs: 5,
      message: `${id}: the contract wants WRONG_PROVINCE`,
      exchange: {
        request: { query: '{ worker(id: "W44-x") { name } }' },
        answer: { data: { worker: { name: '张三', idNumber: '440303199001011234' } } },
      },
    })),
  ];
  return {
    kit: 'p2p-conformance',
    contract: CURRENT,
    province: GD,
    url: 'http://gd.internal:4100',
    readOnly: false,
    seed: 7,
    runId: '20261207-abcdef',
    startedAt: '2026-12-07T05:00:00.000Z',
    finishedAt: '2026-12-07T05:00:30.000Z',
    durationMs: 30000,
    passed: failed.length === 0,
    signed: true,
    only: null,
    complete: true,
    counts: { pass: 2, fail: failed.length, skip: 1 },
    results,
    ...overrides,
  };
}

const judge = (value: unknown) => judgeConformanceReport(JSON.stringify(value), GD, '/reports/440000.json');

describe('judging a province conformance report', () => {
  it('should pass a passing report for the province and the contract, read-only ones too, keeping its identity', () => {
    expect(judge(report())).toEqual({
      verdict: 'passed',
      file: '/reports/440000.json',
      readAt: expect.any(String),
      contract: CURRENT,
      runId: '20261207-abcdef',
      finishedAt: '2026-12-07T05:00:30.000Z',
      readOnly: false,
      counts: { pass: 2, fail: 0, skip: 1 },
      failedChecks: [],
    });
    expect(judge(report({ readOnly: true }))).toMatchObject({ verdict: 'passed', readOnly: true });
    expect(judge(report({ province: '44' })).verdict).toBe('passed');
  });

  it('should accept the previous and the next minor (a rolling upgrade) and refuse any other version', () => {
    const previous = formatContractVersion(PREVIOUS_CONTRACT_VERSION);
    expect(acceptedReportContracts()).toEqual([previous, CURRENT, `${major}.${minor + 1}`]);
    expect(judge(report({ contract: previous })).verdict).toBe('passed');
    expect(judge(report({ contract: `${major}.${minor + 1}` })).verdict).toBe('passed');
    for (const contract of [`${major}.${minor + 2}`, `${major + 1}.0`, `${major - 1}.${minor}`, 'latest']) {
      const verdict = judge(report({ contract }));
      expect(verdict.verdict, contract).toBe('other-contract');
      expect(verdict.why).toContain(`checked contract ${contract}`);
      expect(verdict.why).toContain(`accepts ${acceptedReportContracts().join(', ')}`);
    }
  });

  it('should refuse a report for another province', () => {
    expect(judge(report({ province: '450000' }))).toMatchObject({
      verdict: 'other-province',
      why: 'the report is for province 450000, not 440000',
      runId: '20261207-abcdef',
    });
  });

  it('should refuse a failed report, naming the failed checks and their messages but never the exchanges', () => {
    const verdict = judge(report({}, ['ids.wrong-province', 'pagination.keyset-read']));
    expect(verdict).toMatchObject({
      verdict: 'failed',
      why: 'the kit failed 2 check(s): ids.wrong-province, pagination.keyset-read',
      counts: { pass: 2, fail: 2, skip: 1 },
      failedChecks: [
        { id: 'ids.wrong-province', message: 'ids.wrong-province: the contract wants WRONG_PROVINCE' },
        {
          id: 'pagination.keyset-read',
          message: 'pagination.keyset-read: the contract wants WRONG_PROVINCE',
        },
      ],
    });
    const shown = JSON.stringify(verdict);
    expect(shown).not.toContain('张三');
    expect(shown).not.toContain('440303199001011234');
    expect(shown).not.toContain('exchange');
  });

  it('should refuse a report that says it passed while a check failed, or where nothing passed', () => {
    const inconsistent = { ...report({}, ['ids.own-province']), passed: true };
    expect(judge(inconsistent)).toMatchObject({
      verdict: 'failed',
      failedChecks: [{ id: 'ids.own-province' }],
    });
    const nothing = report({ passed: false, counts: { pass: 0, fail: 0, skip: 3 } });
    expect(judge(nothing)).toMatchObject({
      verdict: 'failed',
      why: 'the kit did not pass (no check passed)',
    });
  });

  it('should refuse a report of part of the kit (--only, or no key) even though nothing failed in it', () => {
    for (const partial of [
      { only: ['auth'], complete: false },
      { signed: false, complete: false },
      { complete: undefined },
    ]) {
      const verdict = judge(report(partial));
      expect(verdict.verdict, JSON.stringify(partial)).toBe(
        partial.complete === undefined ? 'unreadable' : 'partial',
      );
    }
    expect(judge(report({ only: ['auth'], complete: false })).why).toMatch(
      /part of the kit .* run the whole kit/,
    );
  });

  it('should refuse what is not a readable p2p-conformance report', () => {
    expect(judgeConformanceReport('{ "kit": ', GD, 'f')).toMatchObject({
      verdict: 'unreadable',
      why: 'the report is not JSON',
    });
    expect(judge({ ...report(), kit: 'junit' }).verdict).toBe('unreadable');
    expect(judge([report()]).verdict).toBe('unreadable');
    expect(judge(report({ counts: { pass: 2, fail: '0', skip: 1 } }))).toMatchObject({
      verdict: 'unreadable',
      why: 'the report\'s "counts" is missing or malformed',
    });
    expect(judge(report({ results: [{ id: 'x', status: 'ok' }] })).why).toContain('"results"');
    expect(judge(report({ passed: 'yes' })).why).toContain('"passed"');
    expect(judge(report({ runId: undefined })).why).toContain('"runId"');
  });
});

describe('reading a province conformance report', () => {
  it('should read <dir>/<province>.json, and refuse a missing file with a clear reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-reports-'));
    const file = conformanceReportFile(dir, GD);
    expect(file).toBe(join(dir, '440000.json'));
    expect(await readConformanceReport(dir, GD)).toMatchObject({
      verdict: 'missing',
      file,
      why: `no conformance report (run the kit with --json ${file})`,
    });
    writeFileSync(file, JSON.stringify(report()));
    expect(await readConformanceReport(dir, GD)).toMatchObject({ verdict: 'passed', file });
    expect((await readConformanceReport(dir, '450000')).verdict).toBe('missing');
  });

  it('should refuse a report that is not a regular file (a link to a device) without reading it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-reports-'));
    symlinkSync('/dev/zero', conformanceReportFile(dir, GD));
    expect(await readConformanceReport(dir, GD)).toMatchObject({
      verdict: 'unreadable',
      why: 'the report is not a regular file',
    });
  });
});
