/**
 * The refused rows of an import as CSV (line, code, reason: never a personal value), what the
 * command line writes with `--rejects` and the console offers as a download.
 */
import type { RejectedRow } from './import-registry.js';

/** The refused rows as CSV, a header first. */
export function rejectsCsv(report: { rejected: readonly RejectedRow[] }): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return (
    ['line,code,reason', ...report.rejected.map((r) => `${r.line},${r.code},${quote(r.reason)}`)].join('\n') +
    '\n'
  );
}
