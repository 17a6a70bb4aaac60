import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CONTRACT_VERSION,
  PREVIOUS_CONTRACT_VERSION,
  formatContractVersion,
  parseContractVersion,
} from '@p2p/schema';
import { normalizeProvinceCode } from '../shard/province-registry.js';
import type { ConformanceVerdict, FailedConformanceCheck } from './conformance-verdict.js';

/**
 * A province's last conformance kit report (`npx @p2p/conformance … --json <dir>/<province>.json`),
 * read by the gateway before it routes to the province when `CONFORMANCE_REPORT_DIR` is set. The
 * report is read with a validator of its own (the gateway does not import the kit).
 */

/** A larger file is not read (a report of the whole kit is a few hundred kilobytes). */
export const MAX_REPORT_BYTES = 8 * 1024 * 1024;
/** Failed checks kept in a verdict, and the longest message kept of each. */
const MAX_FAILED_CHECKS = 50;
const MAX_MESSAGE_LENGTH = 500;

/** `<dir>/<province>.json`: where the gateway looks for a province's last report. */
export function conformanceReportFile(dir: string, province: string): string {
  return join(dir, `${province}.json`);
}

/**
 * The contract versions a report may have checked: the gateway's own, the previous minor (a
 * province that upgrades late, or rolled back, ran the kit of its release) and the next one (the
 * provinces upgrade before the gateway: docs/upgrades.md), the window the gateway's served-SDL check
 * accepts too. Within a major every minor only adds, so the kit of any of them checks what this
 * gateway routes by.
 */
export function acceptedReportContracts(): string[] {
  const { major, minor } = CONTRACT_VERSION;
  const previous =
    PREVIOUS_CONTRACT_VERSION.major === major && PREVIOUS_CONTRACT_VERSION.minor === minor - 1
      ? [formatContractVersion(PREVIOUS_CONTRACT_VERSION)]
      : [];
  return [
    ...previous,
    formatContractVersion(CONTRACT_VERSION),
    formatContractVersion({ major, minor: minor + 1 }),
  ];
}

/**
 * Reads and judges `<dir>/<province>.json` now (see {@link judgeConformanceReport}); never throws:
 * a missing or unreadable file is a verdict that refuses the province.
 */
export async function readConformanceReport(dir: string, province: string): Promise<ConformanceVerdict> {
  const file = conformanceReportFile(dir, province);
  const readAt = new Date().toISOString();
  let text: string;
  try {
    const read = await readRegularFile(file, MAX_REPORT_BYTES);
    if (read === 'not-a-file')
      return { verdict: 'unreadable', file, readAt, why: 'the report is not a regular file' };
    if (read === 'too-large')
      return {
        verdict: 'unreadable',
        file,
        readAt,
        why: `the report is larger than ${MAX_REPORT_BYTES} bytes`,
      };
    text = read;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT'
      ? { verdict: 'missing', file, readAt, why: `no conformance report (run the kit with --json ${file})` }
      : { verdict: 'unreadable', file, readAt, why: `the report cannot be read (${code})` };
  }
  return judgeConformanceReport(text, province, file, readAt);
}

/**
 * The text of `file` when it is a regular file of at most `maxBytes`: opened without blocking (a
 * FIFO put there answers nothing instead of stalling every health check), judged on the opened file
 * itself (no race between a check and the read), and read no further than `maxBytes` + 1 (a file that
 * grows, or `/dev/zero` behind a link, is cut, not read for ever).
 */
async function readRegularFile(file: string, maxBytes: number): Promise<string | 'not-a-file' | 'too-large'> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) return 'not-a-file';
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > maxBytes) return 'too-large';
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const STATUSES = new Set(['pass', 'fail', 'skip']);

/** The first field of a report that is missing or malformed, or undefined when it reads. */
function malformedField(report: Json): string | undefined {
  for (const name of ['contract', 'province', 'runId', 'finishedAt'])
    if (typeof report[name] !== 'string') return name;
  if (typeof report.readOnly !== 'boolean') return 'readOnly';
  if (typeof report.passed !== 'boolean') return 'passed';
  if (typeof report.complete !== 'boolean') return 'complete';
  const counts = report.counts;
  if (!isObject(counts) || !isCount(counts.pass) || !isCount(counts.fail) || !isCount(counts.skip))
    return 'counts';
  if (!Array.isArray(report.results)) return 'results';
  for (const r of report.results)
    if (
      !isObject(r) ||
      typeof r.id !== 'string' ||
      !STATUSES.has(r.status as string) ||
      (r.message !== undefined && typeof r.message !== 'string')
    )
      return 'results';
  return undefined;
}

/**
 * Judges the text of a province's report: it must be a `p2p-conformance` report for `province`, of
 * a contract version the gateway accepts ({@link acceptedReportContracts}), of the whole kit
 * (`complete`: signed, no `--only`), that passed (`passed` true, no failed check, something passed). A `--read-only` report counts (DESIGN.md: against a
 * production service only the read-only checks run). The verdict keeps the report's identity,
 * counts and failed check ids and messages, never the exchanges.
 */
export function judgeConformanceReport(
  text: string,
  province: string,
  file: string,
  readAt: string = new Date().toISOString(),
): ConformanceVerdict {
  const unreadable = (why: string): ConformanceVerdict => ({ verdict: 'unreadable', file, readAt, why });
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    return unreadable('the report is not JSON');
  }
  if (!isObject(report) || report.kit !== 'p2p-conformance')
    return unreadable('the file is not a p2p-conformance report (no "kit": "p2p-conformance")');
  const malformed = malformedField(report);
  if (malformed) return unreadable(`the report's "${malformed}" is missing or malformed`);
  const results = report.results as { id: string; status: string; message?: string }[];
  const counts = report.counts as { pass: number; fail: number; skip: number };
  const failedChecks: FailedConformanceCheck[] = results
    .filter((r) => r.status === 'fail')
    .slice(0, MAX_FAILED_CHECKS)
    .map((r) => (r.message ? { id: r.id, message: r.message.slice(0, MAX_MESSAGE_LENGTH) } : { id: r.id }));
  const read: ConformanceVerdict = {
    verdict: 'passed',
    file,
    readAt,
    contract: report.contract as string,
    runId: report.runId as string,
    finishedAt: report.finishedAt as string,
    readOnly: report.readOnly as boolean,
    counts: { pass: counts.pass, fail: counts.fail, skip: counts.skip },
    failedChecks,
  };
  const reportProvince = report.province as string;
  if (normalizeProvinceCode(reportProvince) !== province)
    return {
      ...read,
      verdict: 'other-province',
      why: `the report is for province ${reportProvince.slice(0, 20)}, not ${province}`,
    };
  const accepted = acceptedReportContracts();
  const version = parseContractVersion(read.contract!);
  if (!version || !accepted.includes(formatContractVersion(version)))
    return {
      ...read,
      verdict: 'other-contract',
      why: `the report checked contract ${read.contract!.slice(0, 20)}; this gateway accepts ${accepted.join(', ')}`,
    };
  const anyFailed = counts.fail > 0 || failedChecks.length > 0;
  if (!anyFailed && report.complete !== true)
    return {
      ...read,
      verdict: 'partial',
      why: 'the report is of part of the kit (--only, or no --token-key so only the unsigned checks ran): run the whole kit',
    };
  if (report.passed !== true || anyFailed || counts.pass === 0)
    return {
      ...read,
      verdict: 'failed',
      why: anyFailed
        ? `the kit failed ${Math.max(counts.fail, failedChecks.length)} check(s): ${failedChecks.map((c) => c.id).join(', ')}`
        : 'the kit did not pass (no check passed)',
    };
  return read;
}
