import type { Caller } from '@p2p/schema';
import type { KitRecords } from './kit-records.js';
import type { KitRegions } from './kit-regions.js';
import type { ProvinceLink } from './province-link.js';

export { CheckFailure, CheckSkipped, type Exchange } from './check-failure.js';

/** What every check gets: the province, the link to it, the kit's own records and the callers it may name. */
export interface KitContext {
  /** The province's 6-digit code (`--province`). */
  province: string;
  link: ProvinceLink;
  /** The regions the kit works in (its test county, another city of the province, another province). */
  regions: KitRegions;
  /** What the kit wrote in this run (workers, trips), created on first use; empty in read-only runs. */
  records: KitRecords;
  /** True with `--read-only`: checks that write are not run at all. */
  readOnly: boolean;
  /** This run's id (also the tag on every record the kit writes). */
  runId: string;
  /** A seeded random number in [0, 1): the run's choices (page sizes, …) repeat with `--seed`. */
  random(): number;
  /** The callers checks speak as (each an assertion signed with the kit's key). */
  callers: KitCallers;
}

/** Callers the kit's checks name in their assertions. */
export interface KitCallers {
  /** The province's own officer (role `province`, region = the province). */
  provinceOfficer: Caller;
  /** A city officer of the kit's test city (the city of the test county). */
  testCityOfficer: Caller;
  /** A city officer of another city of the same province. */
  otherCityOfficer: Caller;
  /** An officer of another province. */
  otherProvinceOfficer: Caller;
  ministry: Caller;
  /** The gateway's own contract check (role `system`). */
  system: Caller;
}

/** One point of the contract the kit checks. */
export interface ConformanceCheck {
  /** Stable id (`group.name`): the report's line, the JUnit test case, `--only`'s argument. */
  id: string;
  /** What it asserts, in one line. */
  title: string;
  /** True when it writes (it then runs only without `--read-only`, against a disposable instance). */
  writes: boolean;
  /** Runs the check; throws {@link CheckFailure} (or {@link CheckSkipped}) when it does not pass. */
  run(kit: KitContext): Promise<void>;
}
