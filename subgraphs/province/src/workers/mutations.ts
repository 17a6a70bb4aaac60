import { assertResidentId, badInput, decodeId, hubError, notFound, workerIdFor } from '@p2p/schema';
import { eq, sql } from 'drizzle-orm';
import type { ProvinceContext } from '../context.js';
import type { Tx } from '../db/database.js';
import { workers, type PovertyStatus } from '../db/schema/index.js';
import { findEnterprises } from '../employment/records.js';
import { rowsOf } from '../db/sql-rows.js';
import { ownId, ownRegion } from '../validation/ownership.js';
import { mobilePhone, requiredText, skillList, TEXT_LIMITS } from '../validation/text.js';

/** `RegisterWorkerInput` of the contract. */
export interface RegisterWorkerInput {
  name: string;
  idNumber: string;
  phone: string;
  homeRegion: string;
  povertyStatus?: PovertyStatus | null;
  skills?: string[] | null;
}

/** Most workers one `registerWorkers` call takes (one multi-row INSERT). */
export const MAX_BULK_REGISTRATION = 1_000;

/** Validates one registration and computes the worker's id; `at` prefixes field names in bulk. */
function registration(ctx: ProvinceContext, input: RegisterWorkerInput, at = 'input') {
  const homeRegion = ownRegion(input.homeRegion, ctx.province, `${at}.homeRegion`, 'home region');
  const idNumber = assertResidentId(input.idNumber, `${at}.idNumber`);
  return {
    id: workerIdFor(idNumber, ctx.province, ctx.workerIdKey),
    name: requiredText(input.name, `${at}.name`, TEXT_LIMITS.name),
    idNumber,
    phone: mobilePhone(input.phone, `${at}.phone`),
    homeRegion,
    povertyStatus: input.povertyStatus ?? 'NONE',
    skills: skillList(input.skills, `${at}.skills`),
  };
}

/**
 * Registers workers with ONE multi-row `INSERT … ON CONFLICT (id)`. A worker registered before
 * (same resident ID → same id) is not duplicated: only his contact phone is refreshed; name,
 * home, status and history are kept. Every input is validated before anything is written.
 * A re-registration is judged on the STORED record (#11.3): its home region must be the one
 * given (the access rule checked the caller against the given one), otherwise the call is
 * `CONFLICT` and nothing is written; the message does not say where he is registered.
 * @returns the worker ids, one per input, in input order.
 */
export async function registerWorkers(
  ctx: ProvinceContext,
  tx: Tx,
  inputs: readonly RegisterWorkerInput[],
  bulk: boolean,
): Promise<string[]> {
  if (inputs.length > MAX_BULK_REGISTRATION)
    throw badInput(`inputs: at most ${MAX_BULK_REGISTRATION} workers per call`, 'inputs');
  const records = inputs.map((input, i) => registration(ctx, input, bulk ? `inputs[${i}]` : 'input'));
  if (records.length === 0) return [];
  const byId = new Map<string, (typeof records)[number]>();
  records.forEach((r, i) => {
    const twin = byId.get(r.id);
    if (twin && twin.homeRegion !== r.homeRegion) {
      const at = bulk ? `inputs[${i}]` : 'input';
      throw badInput(`${at}.homeRegion: the same resident ID is given twice with two home regions`, at);
    }
    byId.set(r.id, r);
  });
  const unique = [...byId.values()];
  const written = new Set(
    rowsOf<{ id: string }>(await tx.execute(bulkInsertWorkers(unique))).map((row) => row.id),
  );
  const index = records.findIndex((r) => !written.has(r.id));
  if (index >= 0) {
    const at = bulk ? `inputs[${index}]` : 'input';
    throw hubError(
      'CONFLICT',
      `${at}.idNumber: this resident ID is already registered with another home region; a home region is not changed by registering again`,
      { field: `${at}.homeRegion` },
    );
  }
  return records.map((r) => r.id);
}

/** A Postgres array literal of texts (`{"a","b"}`), so a text[] value can travel inside a text[] parameter. */
const textArrayLiteral = (values: readonly string[]) =>
  `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

/**
 * The multi-row INSERT of `registerWorkers` as `INSERT … SELECT … FROM unnest($1::text[], …)`: one
 * array parameter per column, so 1,000 workers cost 7 parameters instead of 7,000 and drizzle does
 * not build a 7,000-placeholder VALUES list (which took about half the province's CPU in a bulk
 * registration). Skills travel as array literals and are cast back to text[]. It returns the ids
 * inserted or refreshed: a worker stored with another home region is neither, and is missing.
 */
function bulkInsertWorkers(rows: readonly ReturnType<typeof registration>[]) {
  const column = (c: { name: string }) => sql.identifier(c.name);
  const array = (values: readonly string[]) => sql`${sql.param(values)}::text[]`;
  return sql`insert into ${workers} (${column(workers.id)}, ${column(workers.name)}, ${column(workers.idNumber)}, ${column(workers.phone)}, ${column(workers.homeRegion)}, ${column(workers.povertyStatus)}, ${column(workers.skills)})
    select u.id, u.name, u.id_number, u.phone, u.home_region, u.poverty_status, u.skills::text[]
    from unnest(${array(rows.map((r) => r.id))}, ${array(rows.map((r) => r.name))}, ${array(rows.map((r) => r.idNumber))}, ${array(rows.map((r) => r.phone))},
      ${array(rows.map((r) => r.homeRegion))}, ${array(rows.map((r) => r.povertyStatus))}, ${array(rows.map((r) => textArrayLiteral(r.skills)))})
      as u(id, name, id_number, phone, home_region, poverty_status, skills)
    on conflict (${column(workers.id)}) do update set ${column(workers.phone)} = excluded.${column(workers.phone)}, ${column(workers.updatedAt)} = now()
      where ${workers}.${column(workers.homeRegion)} = excluded.${column(workers.homeRegion)}
    returning ${column(workers.id)}`;
}

/** Fails with NOT_FOUND unless an UPDATE … RETURNING hit the worker. */
function updated(rows: { id: string }[], workerId: string): string[] {
  if (rows.length === 0) throw notFound('Worker', workerId);
  return [workerId];
}

/**
 * Where the worker now works: status AT_WORK, work region and employer (none when not given).
 * An enterprise of this province must exist; one of another province is taken as given.
 */
export async function reportEmployment(
  ctx: ProvinceContext,
  tx: Tx,
  workerId: string,
  workRegion: string,
  enterpriseId?: string | null,
): Promise<string[]> {
  ownId(workerId, 'Worker', ctx.province, 'workerId');
  if (enterpriseId != null) {
    const enterprise = decodeId(enterpriseId, 'Enterprise', 'enterpriseId');
    if (enterprise.province === ctx.province && !(await findEnterprises(tx, [enterpriseId]))[0])
      throw notFound('Enterprise', enterpriseId);
  }
  const rows = await tx
    .update(workers)
    .set({
      status: 'AT_WORK',
      workRegion,
      employerId: enterpriseId ?? null,
      employerByHome: enterpriseId != null,
      updatedAt: sql`now()`,
    })
    .where(eq(workers.id, workerId))
    .returning({ id: workers.id });
  return updated(rows, workerId);
}
