/**
 * What the gateway makes of a province's last conformance kit report (`CONFORMANCE_REPORT_DIR`):
 * `passed` lets it be routed to; anything else keeps it out (`PROVINCE_INCOMPATIBLE`, reason
 * `conformance`). `missing`: no file; `unreadable`: not a readable `p2p-conformance` JSON report;
 * `other-province`/`other-contract`: a report for another province or a contract version this
 * gateway does not accept; `partial`: a run of part of the kit (`--only`, or no `--token-key`, so
 * only the unsigned checks ran); `failed`: the kit did not pass.
 */
export type ConformanceVerdictKind =
  | 'passed'
  | 'missing'
  | 'unreadable'
  | 'other-province'
  | 'other-contract'
  | 'partial'
  | 'failed';

/** A check the report names as failed: its id and the kit's message, never the exchange. */
export interface FailedConformanceCheck {
  id: string;
  message?: string;
}

/**
 * The gateway's reading of one province's last conformance kit report, as `/health/details` shows
 * it: the report's identity and counts, and the ids (and messages) of the checks that failed;
 * never the exchanges the kit recorded (they may carry personal data).
 */
export interface ConformanceVerdict {
  verdict: ConformanceVerdictKind;
  /** The report file read, `<dir>/<province>.json`. */
  file: string;
  /** Why the province is refused (one sentence, no personal data); absent when it passed. */
  why?: string;
  /** ISO time the gateway read the file (every health check). */
  readAt: string;
  /** The contract version (MAJOR.MINOR) the kit checked; from here on, absent when the file is not a report. */
  contract?: string;
  runId?: string;
  finishedAt?: string;
  readOnly?: boolean;
  counts?: { pass: number; fail: number; skip: number };
  /** The checks that failed (at most 50). */
  failedChecks?: FailedConformanceCheck[];
}
