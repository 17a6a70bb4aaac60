/**
 * Point-to-point recruitment on the home side (#15; reports 001, 003, 004): the copy of a job post
 * the enterprise's province sends to the province of every region it recruits from (JOB_POST),
 * and `matchWorkers`, this province's workers at home who fit it.
 */
import {
  ancestry,
  decodeId,
  findRegion,
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
import { MAX_OPENINGS } from '../employment/openings-bound.js';
import type { FactHandler, FactHandlerTable } from '../relay/fact-handler.js';

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.trim().length > 0 && value.length <= max;
const isRegion = (value: unknown): value is string =>
  typeof value === 'string' && findRegion(value) !== undefined;

/**
 * Whether a relayed post is one `source` could have made (the bounds `postJob` applies there): its
 * id, enterprise and work region in the sender's province, real regions, bounded text and
 * numbers. A copy is stored only then, so a malformed fact can neither plant rows nor throw in the
 * relay's transaction (which would stall every later fact of that province).
 */
function copyHolds(job: JobPostFact['job'], source: string): boolean {
  const id = tryDecodeId(String(job?.id));
  const enterprise = tryDecodeId(String(job?.enterpriseId));
  return (
    id?.kind === 'Job' &&
    id.province === source &&
    enterprise?.kind === 'Enterprise' &&
    enterprise.province === source &&
    isRegion(job.region) &&
    provinceOf(job.region) === source &&
    isText(job.title, 200) &&
    Number.isInteger(job.openings) &&
    job.openings >= 1 &&
    job.openings <= MAX_OPENINGS &&
    Array.isArray(job.skills) &&
    job.skills.length <= 20 &&
    job.skills.every((skill) => isText(skill, 50)) &&
    Array.isArray(job.from) &&
    job.from.length >= 1 &&
    job.from.length <= 31 &&
    job.from.every(isRegion)
  );
}

/**
 * Keeps the copy of a post (posts never change once made: a copy already there is kept). A copy
 * that names no region of this province, a post that is not the sender's own, or one that breaks
 * the bounds of a post ({@link copyHolds}) is left and logged (ids only): it would never be served here.
 */
export const applyJobPost: FactHandler<JobPostFact> = async (ctx, tx, fact, origin) => {
  const job = fact.job;
  if (!copyHolds(job, origin.source) || !job.from.some((code) => provinceOf(code) === ctx.province)) {
    ctx.log.warn(
      { fact: fact.fact, source: origin.source, seq: origin.seq, job: String(job?.id) },
      'relayed job post left: not the sender own post, malformed, or it recruits from no region of this province',
    );
    return;
  }
  const from = job.from;
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
