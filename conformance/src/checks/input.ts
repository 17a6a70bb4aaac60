import { CheckFailure } from '../check-failure.js';
import type { ConformanceCheck, KitContext } from '../check.js';
import { kitIdempotencyKey } from '../province-link.js';
import { countWorkers, expectRefusedWith } from './records-requests.js';

/**
 * Invalid input is `BAD_USER_INPUT` and writes nothing: region codes that are not GB/T 2260 and
 * resident ID numbers whose GB 11643 check digit is wrong.
 */

/** Region codes no GB/T 2260 region has: six digits that name nothing, and not digits at all. */
const BAD_REGIONS = ['999999', 'abc'];

const badRegionRead: ConformanceCheck = {
  id: 'input.bad-region-read',
  title: 'a query with a region code that is not GB/T 2260 is BAD_USER_INPUT',
  writes: false,
  async run(kit) {
    for (const region of BAD_REGIONS) {
      expectRefusedWith(
        await kit.link.query(
          'workers',
          'query KitBadRegion($region: RegionCode!) { workers(homeRegion: $region, first: 1) { totalCount } }',
          { region },
          kit.callers.provinceOfficer,
        ),
        ['BAD_USER_INPUT'],
        `workers(homeRegion: "${region}")`,
      );
      expectRefusedWith(
        await kit.link.query(
          'transport',
          'query KitBadOrigin($origin: RegionCode) { trips(origin: $origin, first: 1) { totalCount } }',
          { origin: region },
          kit.callers.provinceOfficer,
        ),
        ['BAD_USER_INPUT'],
        `trips(origin: "${region}")`,
      );
    }
  },
};

const REGISTER = `mutation KitRegisterInvalid($input: RegisterWorkerInput!, $key: String) {
  registerWorker(input: $input, idempotencyKey: $key) { id }
}`;

/** Sends `registerWorker(input)` and fails unless it is BAD_USER_INPUT and the test county's workers are as many as before. */
async function refusedAndUnwritten(
  kit: KitContext,
  input: Record<string, unknown>,
  want: string,
): Promise<void> {
  const before = await countWorkers(kit, kit.regions.testCounty);
  const answer = await kit.link.query(
    'workers',
    REGISTER,
    { input, key: kitIdempotencyKey(kit.runId) },
    kit.callers.provinceOfficer,
  );
  expectRefusedWith(answer, ['BAD_USER_INPUT'], want);
  const after = await countWorkers(kit, kit.regions.testCounty);
  if (after !== before)
    throw new CheckFailure(
      `${want} must write nothing: workers(homeRegion: ${kit.regions.testCounty}) counted ${before} before and ${after} after`,
      answer.exchange,
    );
}

const badRegionWrite: ConformanceCheck = {
  id: 'input.bad-region-write',
  title: 'registerWorker with a home region that is not GB/T 2260 is BAD_USER_INPUT and writes nothing',
  writes: true,
  async run(kit) {
    for (const homeRegion of BAD_REGIONS)
      await refusedAndUnwritten(
        kit,
        { ...kit.records.newWorkerInput(), homeRegion },
        `registerWorker with homeRegion "${homeRegion}"`,
      );
  },
};

/** The same resident ID number with another check character (GB 11643: 0-9 or X). */
export function withWrongCheckDigit(idNumber: string): string {
  const check = idNumber.at(-1)!.toUpperCase();
  const wrong = check === 'X' ? '0' : String((Number(check) + 1) % 10);
  return idNumber.slice(0, -1) + wrong;
}

const badResidentId: ConformanceCheck = {
  id: 'input.bad-resident-id',
  title:
    'registerWorker with a resident ID number whose check digit is wrong is BAD_USER_INPUT and writes nothing',
  writes: true,
  async run(kit) {
    const input = kit.records.newWorkerInput();
    await refusedAndUnwritten(
      kit,
      { ...input, idNumber: withWrongCheckDigit(input.idNumber) },
      'registerWorker with a resident ID number whose GB 11643 check digit is wrong',
    );
  },
};

/** The input checks: the read first, then the writes. */
export const INPUT_CHECKS: readonly ConformanceCheck[] = [badRegionRead, badRegionWrite, badResidentId];
