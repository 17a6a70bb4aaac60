import { badInput, regionPrefix } from '@p2p/schema';
import { eq, type SQL } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import {
  enterprises,
  returnRequests,
  type EnterpriseRow,
  type ReturnRequestRow,
} from '../db/schema/index.js';
import {
  insideRegion,
  tablePage,
  orderByDay,
  orderById,
  type Connection,
  type PageArgs,
} from '../pagination.js';
import { findRecords, ownRecordLoader } from '../own-records.js';

/** Reads enterprises by id in ONE statement, in `ids` order, undefined when unknown. */
export const findEnterprises = (
  db: Executor,
  ids: readonly string[],
): Promise<(EnterpriseRow | undefined)[]> => findRecords(db, enterprises, ids);

/** Reads return requests by id in ONE statement, in `ids` order, undefined when unknown. */
export const findReturnRequests = (
  db: Executor,
  ids: readonly string[],
): Promise<(ReturnRequestRow | undefined)[]> => findRecords(db, returnRequests, ids);

/** The request's Enterprise loader (one statement per tick; foreign, malformed or unknown ids → null). */
export const enterpriseLoader = (ctx: ProvinceContext) => ownRecordLoader(ctx, 'Enterprise', enterprises);

/** The request's ReturnRequest loader (one statement per tick; foreign, malformed or unknown ids → null). */
export const returnRequestLoader = (ctx: ProvinceContext) =>
  ownRecordLoader(ctx, 'ReturnRequest', returnRequests);

/** Filters of the `enterprises` connection. */
export interface EnterpriseFilter extends PageArgs {
  region: string;
  keyOnly?: boolean | null;
}

/** A keyset page of the enterprises inside `region` (only key enterprises with keyOnly), by id. */
export function enterprisePage(db: Executor, args: EnterpriseFilter): Promise<Connection<EnterpriseRow>> {
  const filters: SQL[] = [insideRegion(enterprises.region, regionPrefix(args.region))];
  if (args.keyOnly) filters.push(eq(enterprises.key, true));
  return tablePage<EnterpriseRow>(db, enterprises, filters, args, orderById(enterprises.id));
}

/** Filters of the `returnRequests` connection: origin is the worker's home, destination the enterprise's region. */
export interface ReturnRequestFilter extends PageArgs {
  origin?: string | null;
  destination?: string | null;
  /** Only the requests of this enterprise (set by the access rules for an enterprise caller). */
  enterpriseId?: string | null;
}

/**
 * A keyset page of return requests ordered by plannedReturnDate, then id.
 * @throws BAD_USER_INPUT when neither origin nor destination is given.
 */
export function returnRequestPage(
  db: Executor,
  args: ReturnRequestFilter,
): Promise<Connection<ReturnRequestRow>> {
  if (args.origin == null && args.destination == null) {
    throw badInput(
      "returnRequests: give origin (the workers' home region), destination (the enterprises' region) or both",
      'origin',
    );
  }
  const filters: SQL[] = [];
  if (args.origin != null)
    filters.push(insideRegion(returnRequests.workerHomeRegion, regionPrefix(args.origin)));
  if (args.destination != null)
    filters.push(insideRegion(returnRequests.destinationRegion, regionPrefix(args.destination)));
  if (args.enterpriseId != null) filters.push(eq(returnRequests.enterpriseId, args.enterpriseId));
  return tablePage<ReturnRequestRow>(
    db,
    returnRequests,
    filters,
    args,
    orderByDay(returnRequests.plannedReturnDate, returnRequests.id, (r) => r.plannedReturnDate),
  );
}
