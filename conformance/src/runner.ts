import { randomBytes } from 'node:crypto';
import {
  CONTRACT_VERSION,
  SYSTEM_CALLER,
  formatContractVersion,
  importGatewaySigningKey,
  type AssertionSigningKey,
} from '@p2p/schema';
import { CheckFailure, CheckSkipped, type Exchange } from './check-failure.js';
import type { ConformanceCheck, KitCallers, KitContext } from './check.js';
import { ALL_CHECKS } from './checks/index.js';
import { KitRecords } from './kit-records.js';
import { kitRegions, type KitRegions } from './kit-regions.js';
import { ProvinceLink } from './province-link.js';
import { seededRandom } from './seeded-random.js';

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** The province the service claims to serve (6 digits). */
  province: string;
  /** The service's base URL: its logical subgraphs answer at `<url>/<subgraph>/graphql`. */
  url: string;
  /**
   * PKCS8 PEM of the ES256 key the kit signs caller assertions with (a key the instance trusts as
   * it trusts the gateway's). Without it only the checks that need no signature run.
   */
  signingKeyPem?: string;
  /** Run only the checks that write nothing. @default false */
  readOnly?: boolean;
  /** Run only the checks whose id is one of these or starts with one of them followed by a dot. */
  only?: readonly string[];
  /** The county the kit's records are homed in. @default the province's last county (see kitRegions) */
  testRegion?: string;
  /** Seed of the run's random choices. @default a random one (printed in the report) */
  seed?: number;
  /** Milliseconds one check may take. @default 30000 */
  checkTimeoutMs?: number;
  /** Milliseconds one request may take. @default 10000 */
  requestTimeoutMs?: number;
  /** The checks to run. @default ALL_CHECKS */
  checks?: readonly ConformanceCheck[];
  /** Called with each result as it is known (the CLI prints it). */
  onResult?: (result: CheckResult) => void;
}

/** How one check ended. */
export type CheckStatus = 'pass' | 'fail' | 'skip';

/** One line of the report. */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  durationMs: number;
  /** Why it failed or was skipped. */
  message?: string;
  /** The request and the answer that failed. */
  exchange?: Exchange;
}

/** What a run found: one result per check, and whether the service may be routed to. */
export interface ConformanceReport {
  kit: 'p2p-conformance';
  /** The contract version (MAJOR.MINOR) the kit checks. */
  contract: string;
  province: string;
  url: string;
  readOnly: boolean;
  seed: number;
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** True when nothing failed and something passed (of the checks this run ran). */
  passed: boolean;
  /** True when the assertions were signed (`--token-key`): without a key only the unsigned checks run. */
  signed: boolean;
  /** The checks and groups `--only` selected; null when the whole kit ran. */
  only: string[] | null;
  /**
   * True when the run is a whole one: signed and without `--only` (a `--read-only` run is whole:
   * its writing checks skip by design). Only a whole run that passed is a conformance report the
   * gateway accepts (`CONFORMANCE_REPORT_DIR`); the kit says CONFORMS for nothing less.
   */
  complete: boolean;
  counts: Record<CheckStatus, number>;
  results: CheckResult[];
}

/** Id of the result line that says whether the kit's trips were cancelled at the end. */
export const CLEANUP_CHECK_ID = 'cleanup.cancel-trips';

/** Checks that run without a signing key (everything else needs `signingKeyPem`). */
const UNSIGNED_CHECKS = new Set(['auth.unsigned-refused', 'auth.unsigned-subscription-refused']);

/** Runs the conformance checks against one province's service, one after another, and reports each. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const started = Date.now();
  const regions = kitRegions(options.province, options.testRegion);
  const seed = options.seed ?? randomBytes(4).readUInt32BE(0);
  const runId = `${new Date(started).toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;
  const signingKey: AssertionSigningKey | undefined = options.signingKeyPem
    ? await importGatewaySigningKey(options.signingKeyPem)
    : undefined;
  const link = new ProvinceLink({
    url: options.url,
    province: options.province,
    ...(signingKey ? { signingKey } : {}),
    ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
  });
  const callers = kitCallers(regions);
  const random = seededRandom(seed);
  const records = new KitRecords(link, regions, runId, callers.provinceOfficer, random);
  const kit: KitContext = {
    province: options.province,
    link,
    regions,
    records,
    readOnly: options.readOnly ?? false,
    runId,
    random,
    callers,
  };
  const results: CheckResult[] = [];
  const report = (result: CheckResult) => {
    results.push(result);
    options.onResult?.(result);
  };
  for (const check of (options.checks ?? ALL_CHECKS).filter((c) => selected(c.id, options.only))) {
    const skip = (message: string) =>
      report({ id: check.id, title: check.title, status: 'skip', durationMs: 0, message });
    if (check.writes && kit.readOnly) skip('writes: not run with --read-only');
    else if (!signingKey && !UNSIGNED_CHECKS.has(check.id))
      skip('needs --token-key (a key the province trusts)');
    else report(await runOne(check, kit, options.checkTimeoutMs ?? 30_000));
  }
  if (records.trips.length) report(await cleanUp(records));
  const finished = Date.now();
  const counts = { pass: 0, fail: 0, skip: 0 };
  for (const r of results) counts[r.status] += 1;
  return {
    kit: 'p2p-conformance',
    contract: formatContractVersion(CONTRACT_VERSION),
    province: options.province,
    url: link.url,
    readOnly: kit.readOnly,
    seed,
    runId,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    passed: counts.fail === 0 && counts.pass > 0,
    signed: signingKey !== undefined,
    only: options.only?.length ? [...options.only] : null,
    complete: signingKey !== undefined && !options.only?.length,
    counts,
    results,
  };
}

function selected(id: string, only: readonly string[] | undefined): boolean {
  return !only?.length || only.some((o) => id === o || id.startsWith(`${o}.`));
}

async function runOne(check: ConformanceCheck, kit: KitContext, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const base = { id: check.id, title: check.title };
  const elapsed = () => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  const running = check.run(kit);
  try {
    await Promise.race([
      running,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new CheckFailure(`took longer than ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ...base, status: 'pass', durationMs: elapsed() };
  } catch (err) {
    // A check that timed out may still be writing (a trip planned late would escape the clean-up,
    // a count moving under the next check's before/after): give it as long again to settle.
    if (err instanceof CheckFailure && !err.exchange)
      await Promise.race([
        running.catch(() => undefined),
        new Promise((r) => setTimeout(r, timeoutMs).unref()),
      ]);
    if (err instanceof CheckSkipped)
      return { ...base, status: 'skip', durationMs: elapsed(), message: err.message };
    const failure = err instanceof CheckFailure ? err : undefined;
    return {
      ...base,
      status: 'fail',
      durationMs: elapsed(),
      message: failure
        ? failure.message
        : `the check itself failed: ${(err as Error)?.message ?? String(err)}`,
      ...(failure?.exchange ? { exchange: failure.exchange } : {}),
    };
  } finally {
    clearTimeout(timer);
  }
}

async function cleanUp(records: KitRecords): Promise<CheckResult> {
  const started = performance.now();
  const left = await records.cleanUp().catch((err: unknown) => [`(${(err as Error).message})`]);
  return {
    id: CLEANUP_CHECK_ID,
    title: 'every trip the kit planned is cancelled at the end',
    status: left.length ? 'fail' : 'pass',
    durationMs: Math.round(performance.now() - started),
    ...(left.length ? { message: `not cancelled: ${left.join(', ')}` } : {}),
  };
}

/** The callers the checks speak as, in the kit's regions. */
export function kitCallers(regions: KitRegions): KitCallers {
  const subject = (name: string) => `p2p-conformance:${name}`;
  return {
    provinceOfficer: { subject: subject('province'), role: 'province', region: regions.province },
    testCityOfficer: { subject: subject('test-city'), role: 'city', region: regions.testCity },
    otherCityOfficer: { subject: subject('other-city'), role: 'city', region: regions.otherCity },
    otherProvinceOfficer: {
      subject: subject('other-province'),
      role: 'province',
      region: regions.otherProvince,
    },
    ministry: { subject: subject('ministry'), role: 'ministry' },
    system: { ...SYSTEM_CALLER, subject: subject('system') },
  };
}
