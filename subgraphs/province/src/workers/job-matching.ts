/**
 * Point-to-point recruitment on the home side (#15; reports 001, 003, 004): the copy of a job post
 * the enterprise's province sends to the province of every region it recruits from (JOB_POST),
 * and `matchWorkers`, this province's workers at home who fit it.
 */
import {
  ancestry,
  decodeId,
  hubError,
  provinceOf,
  regionPrefix,
  tryDecodeId,
  type JobPostFact,
} from '@p2p/schema';
import { eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { jobPostCopies, workers, type JobPostCopyRow, type WorkerRow } from '../db/schema/index.js';
import { insideRegion, orderById, tablePage, type Connection, type PageArgs } from '../pagination.js';
import type { FactHandler, FactHandlerTable } from '../relay/fact-handler.js';

/**
 * Keeps the copy of a post (posts never change once made: a copy already there is kept). A copy
 * that names no region of this province, or a post that is not the sender's own, is left and
 * logged (ids only): it would never be served here.
 */
export const applyJobPost: FactHandler<JobPostFact> = async (ctx, tx, fact, origin) => {
  const job = fact.job;
  const decoded = tryDecodeId(job.id);
  const from = Array.isArray(job.from) ? job.from.filter((code) => typeof code === 'string') : [];
  if (
    decoded?.kind !== 'Job' ||
    decoded.province !== origin.source ||
    !from.some((code) => provinceOf(code) === ctx.province)
  ) {
    ctx.log.warn(
      { fact: fact.fact, source: origin.source, seq: origin.seq, job: job.id },
      'relayed job post left: not the sender own post, or it recruits from no region of this province',
    );
    return;
  }
  const postedAt = new Date(String(job.postedAt));
  await tx
    .insert(jobPostCopies)
    .values({
      id: job.id,
      enterpriseId: job.enterpriseId,
      title: job.title,
      region: job.region,
      openings: job.openings,
      skills: (job.skills ?? []).map((s) => String(s).trim().toLowerCase()),
      recruitsFrom: from,
      postedAt: Number.isNaN(postedAt.getTime()) ? origin.at : postedAt,
    })
    .onConflictDoNothing({ target: jobPostCopies.id });
};

/** Handlers of JOB_POST facts. */
export const JOB_POST_FACT_HANDLERS: FactHandlerTable = { JOB_POST: [applyJobPost] };

/** Arguments of `matchWorkers`. */
export interface MatchWorkersArgs extends PageArgs {
  jobId: string;
  homeRegion: string;
}

/**
 * The fit rules of a post as SQL filters on `workers`: at home; home inside one of the post's
 * `from` regions; at least one of its skills (compared trimmed and lower-cased; none: any
 * worker); a declared intent whose destination contains the post's region or lies inside it.
 */
export function fitsPost(post: JobPostCopyRow): SQL[] {
  const from = post.recruitsFrom.map((code) => insideRegion(workers.homeRegion, regionPrefix(code)));
  const containing = ancestry(post.region).map((r) => r.code);
  const filters: SQL[] = [
    eq(workers.status, 'AT_HOME'),
    or(...from)!,
    isNotNull(workers.intentDestination),
    or(
      insideRegion(workers.intentDestination, regionPrefix(post.region)),
      containing.length > 0 ? inArray(workers.intentDestination, containing) : undefined,
    )!,
  ];
  if (post.skills.length > 0)
    filters.push(
      sql`EXISTS (SELECT 1 FROM unnest(${workers.skills}) AS s WHERE lower(btrim(s)) = ANY(${sql.param(post.skills)}::text[]))`,
    );
  return filters;
}

/**
 * A keyset page (by id) of the workers at home inside `homeRegion` who fit post `jobId`
 * ({@link fitsPost}), from the copy of the post this province received.
 * @throws BAD_USER_INPUT for an id that is no Job id; NOT_FOUND before the copy arrived, or when
 *   the post does not recruit from this province.
 */
export async function matchWorkerPage(
  ctx: ProvinceContext,
  db: Executor,
  args: MatchWorkersArgs,
): Promise<Connection<WorkerRow>> {
  decodeId(args.jobId, 'Job', 'jobId');
  const [post] = await db.select().from(jobPostCopies).where(eq(jobPostCopies.id, args.jobId));
  const recruitsHere = post?.recruitsFrom.some((code) => provinceOf(code) === provinceOf(args.homeRegion));
  if (!post || !recruitsHere)
    throw hubError(
      'NOT_FOUND',
      `job post ${args.jobId} is unknown in province ${ctx.province}: it does not recruit from this province, or its copy has not arrived from the enterprise's province yet (try again shortly)`,
      { id: args.jobId },
    );
  return tablePage<WorkerRow>(
    db,
    workers,
    [insideRegion(workers.homeRegion, regionPrefix(args.homeRegion)), ...fitsPost(post)],
    args,
    orderById(workers.id),
  );
}
