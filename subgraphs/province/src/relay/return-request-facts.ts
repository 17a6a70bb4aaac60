/**
 * What a province does with the return-request and staff facts the relay brings it (#13.3), and
 * what a trip fact means for the return requests of the workers on it:
 * - home side (the worker's province): RETURN_REQUEST (FILED → its copy, answered ACKNOWLEDGED;
 *   WITHDRAWN; ON_POST → the copy and the worker AT_WORK at the enterprise), STAFF (ON_POST →
 *   AT_WORK at the enterprise; LEFT → employer cleared) and TRIP (ASSIGNED/DEPARTED towards the
 *   enterprise's region → ARRANGED; REMOVED, not boarded, CANCELLED → back to ACKNOWLEDGED);
 * - enterprise side: RETURN_REQUEST_ANSWER (ACKNOWLEDGED, ARRANGED with the trip, DECLINED with
 *   the reason) → the request and its RETURN_REQUEST_UPDATED event.
 * A fact about a record this province does not hold, from a province that does not own its
 * subject, or asking for a change the life of a request forbids (a withdrawal crossing a decline)
 * is logged and left: it must never block the relay. Handlers write only what the fact implies.
 */
import {
  decodeId,
  findRegion,
  provinceOf,
  tryDecodeId,
  type ReturnRequestAnswerFact,
  type ReturnRequestFact,
  type StaffFact,
  type TripFact,
} from '@p2p/schema';
import { eq } from 'drizzle-orm';
import { returnRequests } from '../db/schema/index.js';
import { mayBecome } from '../employment/request-life.js';
import { changeRequestStatus } from '../employment/request-status.js';
import { isOwnId } from '../validation/ownership.js';
import {
  arrangeOnTrip,
  changeCopy,
  leavePost,
  lockCopies,
  putOnPost,
  storeCopy,
  unarrangeFromTrip,
} from '../workers/request-copies.js';
import type { FactHandler, FactHandlerTable, FactOrigin, FactRunHandler } from './fact-handler.js';

/** The province an id of `kind` encodes; undefined when it is not such an id. */
const ownerOf = (id: string, kind: 'Worker' | 'Enterprise' | 'Trip' | 'ReturnRequest') => {
  const decoded = tryDecodeId(id);
  return decoded?.kind === kind ? decoded.province : undefined;
};

/** True when the fact comes from the province that owns `id` (its subject), else logs why it is left. */
function fromOwner(
  ctx: Parameters<FactHandler>[0],
  origin: FactOrigin,
  id: string,
  kind: 'Enterprise' | 'Trip' | 'ReturnRequest',
  fact: string,
): boolean {
  if (ownerOf(id, kind) === origin.source) return true;
  ctx.log.warn(
    { source: origin.source, seq: origin.seq, fact, id },
    'relayed fact left: its source does not own its subject',
  );
  return false;
}

/**
 * True when `region` is a region of the source province (an enterprise's region, where the source
 * puts a worker on post), else logs why the fact is left: a province tells only where its own
 * enterprises are, and a code that does not exist would land in the worker's record and counters.
 */
function inSource(
  ctx: Parameters<FactHandler>[0],
  origin: FactOrigin,
  region: unknown,
  fact: string,
): boolean {
  if (typeof region === 'string' && findRegion(region) && provinceOf(region) === origin.source) return true;
  ctx.log.warn(
    { source: origin.source, seq: origin.seq, fact },
    "relayed fact left: its enterprise's region is not a region of its source",
  );
  return false;
}

/** Home side: the enterprise's province filed, withdrew or put on post a request for a worker of this province. */
const onReturnRequest: FactHandler<ReturnRequestFact> = async (ctx, tx, fact, origin, events) => {
  const { request } = fact;
  if (!fromOwner(ctx, origin, request.id, 'ReturnRequest', 'RETURN_REQUEST')) return;
  if (ownerOf(request.enterpriseId, 'Enterprise') !== origin.source) return;
  if (!inSource(ctx, origin, request.destinationRegion, 'RETURN_REQUEST')) return;
  if (!isOwnId(request.workerId, 'Worker', ctx.province)) {
    ctx.log.warn(
      { source: origin.source, seq: origin.seq, id: request.id },
      'return request for a worker of another province left',
    );
    return;
  }
  if (fact.status === 'FILED') {
    await storeCopy(ctx, tx, events, request);
    return;
  }
  const [copy] = await lockCopies(tx, { returnRequestIds: [request.id] });
  if (copy) await changeCopy(ctx, tx, events, copy, fact.status, { reason: fact.reason ?? null });
  if (fact.status === 'ON_POST')
    await putOnPost(tx, request.workerId, request.enterpriseId, request.destinationRegion);
};

/** Home side: an enterprise reported a worker of this province on post or gone. */
const onStaff: FactHandler<StaffFact> = async (ctx, tx, fact, origin) => {
  if (!fromOwner(ctx, origin, fact.enterpriseId, 'Enterprise', 'STAFF')) return;
  if (!inSource(ctx, origin, fact.workRegion, 'STAFF') || !isOwnId(fact.workerId, 'Worker', ctx.province))
    return;
  if (fact.change === 'ON_POST') await putOnPost(tx, fact.workerId, fact.enterpriseId, fact.workRegion);
  else await leavePost(tx, fact.workerId, fact.enterpriseId);
};

/**
 * Home side: a trip carries (or no longer carries) workers of this province. Runs after the
 * relay's own TRIP handler (their status and trips), for their return requests only.
 */
const onTrip: FactHandler<TripFact> = async (ctx, tx, fact, origin, events) => {
  if (!fromOwner(ctx, origin, fact.trip.id, 'Trip', 'TRIP')) return;
  const mine = fact.workers.filter((w) => isOwnId(w.id, 'Worker', ctx.province));
  const ids = (pick: (w: { boarded: boolean }) => boolean) => mine.filter(pick).map((w) => w.id);
  switch (fact.event) {
    case 'ASSIGNED':
      await arrangeOnTrip(
        ctx,
        tx,
        events,
        fact.trip,
        ids(() => true),
      );
      return;
    case 'DEPARTED':
      await arrangeOnTrip(
        ctx,
        tx,
        events,
        fact.trip,
        ids((w) => w.boarded),
      );
      await unarrangeFromTrip(
        ctx,
        tx,
        events,
        fact.trip.id,
        ids((w) => !w.boarded),
      );
      return;
    case 'REMOVED':
    case 'CANCELLED':
      await unarrangeFromTrip(
        ctx,
        tx,
        events,
        fact.trip.id,
        ids(() => true),
      );
      return;
    default:
  }
};

/** The TRIP fact events that may arrange or unarrange a request ({@link onTrip}). */
const MOVES_REQUESTS: readonly TripFact['event'][] = ['ASSIGNED', 'DEPARTED', 'REMOVED', 'CANCELLED'];

/**
 * {@link onTrip} over a run of TRIP facts: one read (locked) of the request copies of the
 * workers of this province the run names; most travellers have no return request, and then
 * that read is all. Otherwise each fact goes through {@link onTrip} in order, as alone.
 */
const onTrips: FactRunHandler<TripFact> = {
  async run(ctx, tx, facts, events) {
    const workerIds = [
      ...new Set(
        facts
          .filter(({ fact }) => MOVES_REQUESTS.includes(fact.event))
          .flatMap(({ fact }) => fact.workers.map((w) => w.id))
          .filter((id) => isOwnId(id, 'Worker', ctx.province)),
      ),
    ];
    if (workerIds.length === 0 || (await lockCopies(tx, { workerIds })).length === 0) return;
    for (const { fact, origin } of facts) await onTrip(ctx, tx, fact, origin, events);
  },
};

/** Enterprise side: the worker's home province answered a request of this province. */
const onAnswer: FactHandler<ReturnRequestAnswerFact> = async (ctx, tx, fact, origin, events) => {
  if (!isOwnId(fact.returnRequestId, 'ReturnRequest', ctx.province)) return;
  const [request] = await tx
    .select()
    .from(returnRequests)
    .where(eq(returnRequests.id, fact.returnRequestId))
    .for('update');
  if (!request) {
    ctx.log.warn(
      { source: origin.source, seq: origin.seq, id: fact.returnRequestId },
      'answer to an unknown return request left',
    );
    return;
  }
  if (decodeId(request.workerId, 'Worker').province !== origin.source) {
    ctx.log.warn(
      { source: origin.source, seq: origin.seq, id: request.id },
      "answer not from the worker's home province left",
    );
    return;
  }
  if (!mayBecome(request.status, fact.status)) {
    ctx.log.info(
      { id: request.id, status: request.status, to: fact.status },
      'return request answer not applied: its status does not allow it',
    );
    return;
  }
  await changeRequestStatus(tx, events, request, fact.status, {
    tripId: fact.tripId ?? null,
    reason: fact.reason ?? null,
  });
};

/** Handlers of return-request and staff facts, and of trip facts for the requests of the workers on the trip. */
export const REQUEST_FACT_HANDLERS: FactHandlerTable = {
  RETURN_REQUEST: [onReturnRequest],
  RETURN_REQUEST_ANSWER: [onAnswer],
  STAFF: [onStaff],
  TRIP: [onTrips],
};
