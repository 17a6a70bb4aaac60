/**
 * The employment side of one province at scale: enterprises located in it, and the return
 * requests they filed for workers whose home is in another benchmark province (the record is a
 * snapshot of the worker as filed, plus the id his home province gives him).
 */
import { encodeId, findRegion } from '@p2p/schema';
import type { tables } from '@p2p/province';
import { provinceGeography } from './geography.js';
import { Random, seedFor } from './people.js';
import { SEED_KIND, benchWorkerIdKey, workerIdentity } from './population.js';

/** A row of `enterprises`. */
export type EnterpriseInsert = typeof tables.enterprises.$inferInsert;
/** A row of `return_requests`. */
export type ReturnRequestInsert = typeof tables.returnRequests.$inferInsert;

const SECTORS = [
  '电子制造',
  '服装纺织',
  '汽车零部件',
  '建筑施工',
  '物流快递',
  '食品加工',
  '家具制造',
  '医疗防护用品',
];
const SUFFIXES = [
  '电子科技有限公司',
  '制衣有限公司',
  '精密制造有限公司',
  '建设工程有限公司',
  '物流有限公司',
  '食品有限公司',
];

/** The id of enterprise `index` of `province` (deterministic). */
export function benchEnterpriseId(province: string, index: number): string {
  return encodeId('Enterprise', province, `bench${String(index).padStart(8, '0')}`);
}

/** Enterprise `index` of `province`: a county of the province, a sector, openings and how many are filled. */
export function enterpriseAt(province: string, index: number): EnterpriseInsert {
  const random = new Random(seedFor(province, SEED_KIND.enterprise, index));
  const region = random.pick(provinceGeography(province).counties);
  const openings = random.int(0, 400);
  return {
    id: benchEnterpriseId(province, index),
    name: `${findRegion(region)?.name ?? region}${random.pick(['华', '粤', '新', '宏', '鑫', '达', '联'])}${random.pick(['泰', '盛', '源', '丰', '信', '通'])}${random.pick(SUFFIXES)}`,
    region,
    sector: random.pick(SECTORS),
    key: random.chance(0.1),
    openings,
    filled: Math.floor(openings * random.next()),
    registeredAt: new Date(Date.UTC(2020, 1, random.int(1, 20))),
  };
}

/** Options of {@link generateEmployment}. */
export interface EmploymentOptions {
  province: string;
  /** Enterprises located in the province. */
  enterprises: number;
  /** Return requests filed by them. */
  returnRequests: number;
  /** Provinces whose workers are filed for (the benchmark's provinces), with how many workers each holds. */
  homes: readonly { province: string; workers: number }[];
  /**
   * Rows per chunk yielded.
   * @default 10_000
   */
  chunkSize?: number;
}

/** Enterprises in chunks, then return requests in chunks. */
export function* generateEmployment(
  options: EmploymentOptions,
): Generator<{ enterprises: EnterpriseInsert[]; returnRequests: ReturnRequestInsert[] }> {
  const chunkSize = options.chunkSize ?? 10_000;
  const key = benchWorkerIdKey();
  for (let start = 0; start < options.enterprises; start += chunkSize) {
    const enterprises: EnterpriseInsert[] = [];
    for (let i = start; i < Math.min(options.enterprises, start + chunkSize); i++)
      enterprises.push(enterpriseAt(options.province, i));
    yield { enterprises, returnRequests: [] };
  }
  const homes = options.homes.filter((h) => h.workers > 0);
  if (options.enterprises === 0 || homes.length === 0) return;
  for (let start = 0; start < options.returnRequests; start += chunkSize) {
    const returnRequests: ReturnRequestInsert[] = [];
    for (let i = start; i < Math.min(options.returnRequests, start + chunkSize); i++) {
      const random = new Random(seedFor(options.province, SEED_KIND.returnRequest, i));
      const enterprise = enterpriseAt(options.province, random.int(0, options.enterprises - 1));
      const home = random.pick(homes);
      const worker = workerIdentity(home.province, random.int(0, home.workers - 1), key);
      const filedAt = new Date(Date.UTC(2020, 1, random.int(5, 25), random.int(0, 23)));
      const onPost = random.chance(0.5);
      returnRequests.push({
        id: encodeId('ReturnRequest', options.province, `bench${String(i).padStart(8, '0')}`),
        enterpriseId: enterprise.id!,
        destinationRegion: enterprise.region,
        workerId: worker.id,
        workerName: worker.name,
        workerIdNumber: worker.idNumber,
        workerPhone: worker.phone,
        workerHomeRegion: worker.homeRegion,
        departureRegion: worker.homeRegion,
        plannedReturnDate: new Date(filedAt.getTime() + random.int(3, 30) * 86_400_000)
          .toISOString()
          .slice(0, 10),
        status: onPost ? 'ON_POST' : 'FILED',
        filedAt,
        onPostAt: onPost ? new Date(filedAt.getTime() + random.int(5, 35) * 86_400_000) : null,
      });
    }
    yield { enterprises: [], returnRequests };
  }
}
