import { residentIdFrom, type Caller } from '@p2p/schema';
import { CheckFailure } from './check-failure.js';
import type { KitRegions } from './kit-regions.js';
import { kitIdempotencyKey, type ProvinceLink } from './province-link.js';

/** A worker the kit registered (its own, tagged by name). */
export interface KitWorker {
  id: string;
  idNumber: string;
  name: string;
  phone: string;
  homeRegion: string;
}

/** Prefix of the name of every worker the kit registers: `合规测试-<runId>-<n>` ("conformance test"). */
export const KIT_NAME_PREFIX = '合规测试';

const REGISTER = `mutation KitRegister($input: RegisterWorkerInput!, $key: String) {
  registerWorker(input: $input, idempotencyKey: $key) { id homeRegion { code } }
}`;

const STATUS = `query KitTripStatus($tripId: ID!) { trip(id: $tripId) { status } }`;

const CANCEL = `mutation KitCancel($tripId: ID!, $reason: String!, $key: String) {
  cancelTrip(tripId: $tripId, reason: $reason, idempotencyKey: $key) { id status }
}`;

/**
 * What the kit writes in one run, and nothing else: workers homed in the kit's test county whose
 * names carry the run's tag, and the trips it plans (cancelled at the end: the contract deletes
 * nothing, which is why write checks run against a disposable instance).
 */
export class KitRecords {
  /** Workers registered so far, in order of registration. */
  readonly workers: KitWorker[] = [];
  /** Ids of the trips the kit planned (cancelled by {@link cleanUp}). */
  readonly trips: string[] = [];
  private sequence = 0;

  constructor(
    private readonly link: ProvinceLink,
    private readonly regions: KitRegions,
    private readonly runId: string,
    private readonly officer: Caller,
    private readonly random: () => number,
  ) {}

  /** A valid, unused resident ID number homed in the test county (random birth date 1970–1999 and sequence). */
  newResidentId(): string {
    const day = new Date(Date.UTC(1970, 0, 1) + Math.floor(this.random() * 10_950) * 86_400_000);
    const birth = day.toISOString().slice(0, 10).replaceAll('-', '');
    return residentIdFrom(this.regions.testCounty, birth, Math.floor(this.random() * 1000));
  }

  /** The input of one more kit worker (not yet registered). */
  newWorkerInput(): { name: string; idNumber: string; phone: string; homeRegion: string } {
    this.sequence += 1;
    return {
      name: `${KIT_NAME_PREFIX}-${this.runId}-${this.sequence}`,
      idNumber: this.newResidentId(),
      phone: `139${String(Math.floor(this.random() * 1e8)).padStart(8, '0')}`,
      homeRegion: this.regions.testCounty,
    };
  }

  /** Registers kit workers until at least `count` exist; returns the first `count`. */
  async population(count: number): Promise<KitWorker[]> {
    while (this.workers.length < count) {
      const input = this.newWorkerInput();
      const { data, exchange } = await this.link.data(
        'workers',
        REGISTER,
        { input, key: kitIdempotencyKey(this.runId) },
        this.officer,
      );
      const id = data.registerWorker?.id;
      if (typeof id !== 'string') throw new CheckFailure('registerWorker answered no id', exchange);
      this.workers.push({ id, ...input });
    }
    return this.workers.slice(0, count);
  }

  /** Notes a trip the kit planned, so {@link cleanUp} cancels it. */
  planned(tripId: string): void {
    this.trips.push(tripId);
  }

  /** Cancels every trip the kit planned; returns the ids that could not be cancelled. */
  async cleanUp(): Promise<string[]> {
    const left: string[] = [];
    for (const tripId of this.trips) {
      const answer = await this.link.query(
        'transport',
        CANCEL,
        { tripId, reason: `conformance kit run ${this.runId}`, key: kitIdempotencyKey(this.runId) },
        this.officer,
      );
      if (answer.data?.cancelTrip?.status === 'CANCELLED') continue;
      // CONFLICT: the trip's state allows no cancelling. Done only if it is cancelled already (a
      // check cancelled it); a trip that left or arrived is one the kit could not take back.
      const conflict = answer.errors?.length && answer.errors.every((e) => e.extensions?.code === 'CONFLICT');
      if (!conflict || (await this.statusOf(tripId)) !== 'CANCELLED') left.push(tripId);
    }
    return left;
  }

  private async statusOf(tripId: string): Promise<unknown> {
    const answer = await this.link.query('transport', STATUS, { tripId }, this.officer);
    return answer.data?.trip?.status;
  }
}
