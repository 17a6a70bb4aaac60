/**
 * Scenario 3, bulk registration through the API: new workers registered with the
 * `registerWorkers` batch mutation (1,000 per call, the province's limit), each call routed by the
 * gateway to the one province of its workers' home, written with one multi-row INSERT into real
 * Postgres. Reports workers per second (target ≥ 5,000/s), and the same through a province
 * directly (no gateway), which tells the gateway's share from the province's.
 */
import pg from 'pg';
import { GraphQLClient, type Operation } from '../graphql-client.js';
import { runLoad, type LoadResult } from '../load-generator.js';
import { registerWorkers } from '../operations.js';
import { workerIdentity } from '../population.js';
import { warmUp, type ScenarioContext } from '../scenario.js';
import { cpuPerRequest, cpuSnapshot, postgresBackendCpu, postgresCpuSpent } from '../service-usage.js';

const NAME = 'bulk registration';
/** Workers per call: the province's limit (MAX_BULK_REGISTRATION); ~130 kB of JSON, under the gateway's 512 kB body limit. */
const BATCH = 1_000;
/** Calls in flight at once: each is a 1,000-row transaction; more only queue on 2 cores. */
const CONCURRENCY = 4;

/** Ready-made calls for `workers` new people spread over `provinces`, round-robin. */
function batches(ctx: ScenarioContext, provinces: readonly string[], workers: number): Operation[] {
  const calls: Operation[] = [];
  for (let done = 0, i = 0; done < workers; done += BATCH, i++) {
    const province = provinces[i % provinces.length]!;
    const size = Math.min(BATCH, workers - done);
    calls.push(
      registerWorkers(
        province,
        Array.from({ length: size }, () => workerIdentity(province, ctx.hub.freshWorkerIndex(province))),
      ),
    );
  }
  return calls;
}

/** Workers per second of the calls that succeeded (every call but the last carries a full batch). */
const workersPerSecond = (result: LoadResult) =>
  ((result.requests - result.errors) * BATCH * 1000) / result.elapsedMs;

async function countWorkers(databaseUrls: Record<string, string>): Promise<number> {
  let total = 0;
  for (const url of Object.values(databaseUrls)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      total += Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM workers')).rows[0]!.n);
    } finally {
      await client.end();
    }
  }
  return total;
}

/** Runs the scenario. */
export async function bulkRegistration(ctx: ScenarioContext): Promise<void> {
  const { hub, options, report } = ctx;
  report.heading(
    `3. ${NAME}: registerWorkers through the API, ${BATCH} new workers per call (the province's limit), ${CONCURRENCY} calls in flight, real Postgres`,
  );
  const warm = batches(ctx, hub.provinces, BATCH * hub.provinces.length);
  await warmUp(ctx, [hub.sharded], (n) => warm[n % warm.length]!, warm.length);

  const before = await countWorkers(hub.databaseUrls);
  const calls = batches(ctx, hub.provinces, options.bulkWorkers);
  const databases = Object.values(hub.databaseUrls).map((url) => new URL(url).pathname.slice(1));
  const [cpuBefore, postgresBefore] = [cpuSnapshot(), await postgresBackendCpu(hub.serverUrl, databases)];
  const viaGateway = await runLoad(hub.sharded, (n) => calls[n]!, {
    concurrency: CONCURRENCY,
    maxRequests: calls.length,
    maxDurationMs: 300_000,
  });
  const cpu = cpuPerRequest(cpuBefore, cpuSnapshot(), viaGateway.requests);
  const postgres =
    postgresCpuSpent(postgresBefore, await postgresBackendCpu(hub.serverUrl, databases)) /
    Math.max(1, viaGateway.requests);
  const after = await countWorkers(hub.databaseUrls);
  const rate = workersPerSecond(viaGateway);
  report.measured(
    NAME,
    `via the sharded gateway, ${hub.provinces.length} provinces`,
    viaGateway,
    `${Math.round(rate).toLocaleString('en')} workers/s`,
  );
  report.say(
    `    per call of ${BATCH}: ${cpu.replace(' CPU ms/request', '')}, postgres backends ${postgres.toFixed(1)} CPU ms`,
  );
  report.fact(
    `  bulk registration: ${Math.round(rate).toLocaleString('en')} workers/s through the gateway (target ≥ 5,000/s: ${rate >= 5_000 ? 'met' : 'NOT met'}); ${(after - before).toLocaleString('en')} new rows in Postgres for ${(calls.length * BATCH).toLocaleString('en')} sent`,
  );

  const province = hub.baselineProvince;
  // A province serves only requests signed by the gateway: the direct client signs the officer's assertion per request.
  const direct = new GraphQLClient(`${hub.federation.provinceUrls[province]}/workers/graphql`, {
    connections: CONCURRENCY,
    headersFor: (_as, body) => hub.auth.assertionHeaders(province, body),
  });
  try {
    const directCalls = batches(ctx, [province], Math.max(BATCH * 4, Math.floor(options.bulkWorkers / 5)));
    const result = await runLoad(direct, (n) => directCalls[n]!, {
      concurrency: CONCURRENCY,
      maxRequests: directCalls.length,
      maxDurationMs: 120_000,
    });
    report.measured(
      NAME,
      `direct to province ${province} (no gateway)`,
      result,
      `${Math.round(workersPerSecond(result)).toLocaleString('en')} workers/s`,
    );
  } finally {
    await direct.close();
  }
}
