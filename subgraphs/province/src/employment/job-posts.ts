/**
 * Job posts (#15; reports 001, 003, 004: the Spring Breeze online job fairs, point-to-point
 * recruitment): an enterprise of this province posts a job (`postJob`), every caller reads posts
 * (`job`, `jobs`), and a copy goes to the province of every region it recruits from
 * (JOB_POST, for `matchWorkers` there). A return request may name the post its worker was
 * recruited through; once he is on post the post's `filled` goes up (`request-status.ts`).
 */
import {
  assertRegionCode,
  badInput,
  encodeId,
  notFound,
  provinceOf,
  regionPrefix,
  tryDecodeId,
  type RelayedJob,
} from '@p2p/schema';
import type { GraphQLError } from 'graphql';
import { eq, sql, type SQL } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Executor, Tx } from '../db/database.js';
import { enterprises, jobPosts, type JobPostRow } from '../db/schema/index.js';
import type { OutboxBatch } from '../outbox.js';
import { findRecords, ownRecordLoader } from '../own-records.js';
import { insideRegion, orderByInstant, tablePage, type Connection, type PageArgs } from '../pagination.js';
import { tellProvince } from '../relay/tell.js';
import { intInRange } from '../validation/measures.js';
import { ownId, ownRegion } from '../validation/ownership.js';
import { requiredText } from '../validation/text.js';
import { MAX_OPENINGS } from './openings-bound.js';

/** `PostJobInput` of the contract. */
export interface PostJobInput {
  title: string;
  openings: number;
  region: string;
  skills?: string[] | null;
  from: string[];
}

/** The bounds of `PostJobInput` (its SDL descriptions). */
export const JOB_POST_LIMITS = {
  title: 200,
  /** Per post, and for all the posts of one enterprise together. */
  openings: MAX_OPENINGS,
  skills: 20,
  skill: 50,
  from: 31,
} as const;

/** A skill as posts keep and compare it: trimmed, lower-cased. */
export const skillKey = (skill: string): string => skill.trim().toLowerCase();

/**
 * The post's skills: at most 20, each 1–50 characters; kept trimmed, lower-cased, de-duplicated.
 * @throws BAD_USER_INPUT naming the field.
 */
function postSkills(values: readonly string[] | null | undefined): string[] {
  const list = values ?? [];
  if (list.length > JOB_POST_LIMITS.skills)
    throw badInput(`input.skills: at most ${JOB_POST_LIMITS.skills} skills`, 'input.skills');
  return [
    ...new Set(list.map((s, i) => skillKey(requiredText(s, `input.skills[${i}]`, JOB_POST_LIMITS.skill)))),
  ];
}

/**
 * The regions the post recruits from: 1–31 region codes, de-duplicated, order kept.
 * @throws BAD_USER_INPUT naming the field.
 */
function recruitingRegions(values: readonly string[]): string[] {
  if (values.length === 0 || values.length > JOB_POST_LIMITS.from)
    throw badInput(`input.from: 1 to ${JOB_POST_LIMITS.from} regions the post recruits from`, 'input.from');
  return [...new Set(values.map((code, i) => assertRegionCode(code, `input.from[${i}]`)))];
}

/**
 * Validates a post of enterprise `enterpriseId` (no statement): the row to store.
 * @throws BAD_USER_INPUT naming the field, WRONG_PROVINCE for an enterprise or a work region of
 *   another province.
 */
export function validPost(
  ctx: ProvinceContext,
  enterpriseId: string,
  input: PostJobInput,
): typeof jobPosts.$inferInsert {
  ownId(enterpriseId, 'Enterprise', ctx.province, 'enterpriseId');
  return {
    id: encodeId('Job', ctx.province),
    enterpriseId,
    title: requiredText(input.title, 'input.title', JOB_POST_LIMITS.title),
    openings: intInRange(input.openings, 'input.openings', 1, JOB_POST_LIMITS.openings),
    region: ownRegion(
      assertRegionCode(input.region, 'input.region'),
      ctx.province,
      'input.region',
      'work region',
    ),
    skills: postSkills(input.skills),
    recruitsFrom: recruitingRegions(input.from),
    // Milliseconds, as the keyset cursor of `jobs` carries it (a Postgres `now()` has microseconds:
    // a page would repeat the post its cursor names).
    postedAt: new Date(),
  };
}

/** The post as the relay tells it. */
export function relayedJob(post: JobPostRow): RelayedJob {
  return {
    id: post.id,
    enterpriseId: post.enterpriseId,
    title: post.title,
    region: post.region,
    openings: post.openings,
    skills: post.skills,
    from: post.recruitsFrom,
    postedAt: post.postedAt.toISOString(),
  };
}

/**
 * Posts a job of an existing enterprise of this province, and tells the province of each region it
 * recruits from (each once; this province applies its own copy in the same transaction).
 * @throws BAD_USER_INPUT, WRONG_PROVINCE ({@link validPost}), NOT_FOUND for an unknown enterprise.
 */
export async function postJob(
  ctx: ProvinceContext,
  tx: Tx,
  enterpriseId: string,
  input: PostJobInput,
  events: OutboxBatch,
): Promise<string[]> {
  const row = validPost(ctx, enterpriseId, input);
  // The enterprise's row lock serialises its posts, so the sum below cannot be raced past the bound.
  const [enterprise] = await tx
    .select({ id: enterprises.id })
    .from(enterprises)
    .where(eq(enterprises.id, enterpriseId))
    .for('update');
  if (!enterprise) throw notFound('Enterprise', enterpriseId);
  const [{ offered } = { offered: 0 }] = await tx
    .select({ offered: sql<number>`coalesce(sum(${jobPosts.openings}), 0)::int` })
    .from(jobPosts)
    .where(eq(jobPosts.enterpriseId, enterpriseId));
  if (Number(offered) + row.openings > JOB_POST_LIMITS.openings)
    throw badInput(
      `input.openings: the enterprise's posts already offer ${offered} openings; all its posts together may offer at most ${JOB_POST_LIMITS.openings}`,
      'input.openings',
    );
  const [post] = await tx.insert(jobPosts).values(row).returning();
  const job = relayedJob(post!);
  for (const province of new Set(post!.recruitsFrom.map(provinceOf)))
    tellProvince(ctx, events, province, { fact: 'JOB_POST', job });
  return [post!.id];
}

/** Reads job posts by id in ONE statement, in `ids` order, undefined when unknown. */
export const findJobPosts = (db: Executor, ids: readonly string[]): Promise<(JobPostRow | undefined)[]> =>
  findRecords(db, jobPosts, ids);

/** The request's Job loader (one statement per tick; foreign, malformed or unknown ids → null). */
export const jobLoader = (ctx: ProvinceContext) => ownRecordLoader(ctx, 'Job', jobPosts);

/** Filters of the `jobs` connection. */
export interface JobFilter extends PageArgs {
  region: string;
  skill?: string | null;
}

/**
 * A keyset page of the posts whose work is at `region` or inside it, oldest first (postedAt, then
 * id); with `skill`, only those naming it (compared trimmed and without case).
 */
export function jobPage(db: Executor, args: JobFilter): Promise<Connection<JobPostRow>> {
  const filters: SQL[] = [insideRegion(jobPosts.region, regionPrefix(args.region))];
  if (args.skill != null) filters.push(sql`${skillKey(args.skill)} = ANY(${jobPosts.skills})`);
  return tablePage<JobPostRow>(
    db,
    jobPosts,
    filters,
    args,
    orderByInstant(jobPosts.postedAt, jobPosts.id, (r) => r.postedAt),
  );
}

/**
 * Why a filing may not name post `jobId` (undefined when it may, or names none): the post must be
 * one of the filing enterprise's own.
 * @param posts the posts of this province named by the filings, by id.
 */
export function refusalForJob(
  jobId: string | null | undefined,
  enterpriseId: string,
  posts: ReadonlyMap<string, JobPostRow>,
  field: string,
): GraphQLError | undefined {
  if (jobId == null) return undefined;
  if (tryDecodeId(jobId)?.kind !== 'Job') return badInput(`${field}: "${jobId}" is not a Job id`, field);
  const post = posts.get(jobId);
  if (!post) return notFound('Job', jobId);
  if (post.enterpriseId !== enterpriseId)
    return badInput(
      `${field}: job post ${jobId} is not a post of enterprise ${enterpriseId}; name one of its own posts`,
      field,
    );
  return undefined;
}

/** The posts named by `jobIds` (nulls skipped), by id, read in one statement. */
export async function namedPosts(
  db: Executor,
  jobIds: readonly (string | null | undefined)[],
): Promise<Map<string, JobPostRow>> {
  const ids = [...new Set(jobIds.filter((id): id is string => id != null))];
  return new Map((await findJobPosts(db, ids)).flatMap((p) => (p ? [[p.id, p] as const] : [])));
}
