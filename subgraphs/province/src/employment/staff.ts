/**
 * The enterprise's own staff reports (`reportStaffChange`): a worker of any province on post or
 * gone, kept in `staff` and told to his home province (a STAFF fact), whose record follows.
 */
import { decodeId, notFound } from '@p2p/schema';
import { sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { staff, type StaffStatus } from '../db/schema/index.js';
import type { OutboxBatch } from '../outbox.js';
import { tellProvince } from '../relay/tell.js';
import { ownId } from '../validation/ownership.js';
import { findWorkers } from '../workers/records.js';
import { findEnterprises } from './records.js';

/**
 * Records that a worker is on post at the enterprise or has left it, and tells his home province:
 * ON_POST → he is AT_WORK in the enterprise's region, employed by it; LEFT → he is no longer its
 * employee (see `relay/return-request-facts.ts`). Openings and filled are not touched: they are
 * the enterprise's `reportLaborDemand` (and `confirmOnPost` of a request).
 * A worker of this province must exist; one of another province is taken as given (his record
 * lives in his home province).
 * @returns the enterprise's id.
 */
export async function reportStaffChange(
  ctx: ProvinceContext,
  tx: Tx,
  enterpriseId: string,
  workerId: string,
  change: StaffStatus,
  events: OutboxBatch,
): Promise<string[]> {
  ownId(enterpriseId, 'Enterprise', ctx.province, 'enterpriseId');
  const home = decodeId(workerId, 'Worker', 'workerId').province;
  const [enterprise] = await findEnterprises(tx, [enterpriseId]);
  if (!enterprise) throw notFound('Enterprise', enterpriseId);
  if (home === ctx.province && !(await findWorkers(tx, [workerId]))[0]) throw notFound('Worker', workerId);
  await tx
    .insert(staff)
    .values({ enterpriseId, workerId, status: change })
    .onConflictDoUpdate({
      target: [staff.enterpriseId, staff.workerId],
      set: { status: change, updatedAt: sql`now()` },
    });
  tellProvince(ctx, events, home, {
    fact: 'STAFF',
    enterpriseId,
    workRegion: enterprise.region,
    workerId,
    change,
  });
  return [enterpriseId];
}
