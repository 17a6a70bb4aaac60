/**
 * Scenario 2, entity batch: 100 workers by id in one operation (aliases `w0…w99`), drawn from
 * every province. The gateway groups the fields by the province encoded in each id and sends one
 * request per province; each province answers its share with ONE SQL statement (its DataLoader
 * batches the lookups into `id = ANY($1)`), which the scenario shows from the provinces' statement log.
 * On one province, it is compared with the plain `@apollo/gateway`.
 */
import { runLoad } from '../load-generator.js';
import { cpuPerRequest, cpuSnapshot } from '../service-usage.js';
import { WORKERS_PER_BATCH, workersById } from '../operations.js';
import { countStatements } from '../statement-count.js';
import {
  compareWithPlain,
  loadedWorkerId,
  measurementBudgetMs,
  randomFor,
  warmUp,
  type ScenarioContext,
} from '../scenario.js';

const NAME = 'entity batch';
/** Requests sent one by one while counting statements. */
const COUNTED_REQUESTS = 20;

/** Runs the scenario. */
export async function entityBatch(ctx: ScenarioContext): Promise<void> {
  const { hub, options, report } = ctx;
  report.heading(
    `2. ${NAME}: ${WORKERS_PER_BATCH} workers by id in one operation, with their home region names`,
  );
  const spanning = (n: number) => {
    const random = randomFor(2, n);
    return workersById(
      Array.from({ length: WORKERS_PER_BATCH }, (_, i) =>
        loadedWorkerId(hub, random, hub.provinces[i % hub.provinces.length]!),
      ),
    );
  };
  const single = (n: number) => {
    const random = randomFor(2, n);
    return workersById(
      Array.from({ length: WORKERS_PER_BATCH }, () => loadedWorkerId(hub, random, hub.baselineProvince)),
    );
  };

  const probe = await hub.sharded.data<Record<string, { name: string } | null>>(spanning(0));
  const found = Object.values(probe).filter((w) => w?.name).length;
  if (found !== WORKERS_PER_BATCH) throw new Error(`${NAME}: ${found} of ${WORKERS_PER_BATCH} workers found`);

  if (options.quick)
    report.say(
      '  (statements per province not counted in --quick: it restarts the provinces at trace level)',
    );
  else {
    const counted = await countStatements({
      federation: hub.federation,
      provinces: hub.provinces,
      log: hub.statementLog,
      requests: COUNTED_REQUESTS,
      table: 'workers',
      send: async (n) => void (await hub.sharded.data(spanning(1_000_000 + n))),
    });
    const perProvince = hub.provinces
      .map((p) => `${p}: ${(counted.onTable[p]! / counted.requests).toFixed(2)}`)
      .join(', ');
    const background = hub.provinces.reduce((n, p) => n + counted.other[p]!, 0);
    report.fact(
      `  entity batch: SQL statements on "workers" per request per province (the provinces' own statement log, ${counted.requests} requests of ${WORKERS_PER_BATCH} ids, ~${Math.round(WORKERS_PER_BATCH / hub.provinces.length)} per province): ${perProvince}`,
    );
    report.say(
      `    e.g. ${counted.example ?? '-'}…; meanwhile ${background} background statements in all (statistics fold)`,
    );
  }

  await warmUp(ctx, [hub.sharded], spanning);
  const cpuBefore = cpuSnapshot();
  const result = await runLoad(hub.sharded, spanning, {
    concurrency: options.concurrency,
    maxRequests: options.requests,
    maxDurationMs: measurementBudgetMs(ctx),
  });
  const cpu = cpuPerRequest(cpuBefore, cpuSnapshot(), result.requests);
  report.measured(
    NAME,
    `all ${hub.provinces.length} provinces, sharded gateway`,
    result,
    `${Math.round((result.requests * WORKERS_PER_BATCH * 1000) / result.elapsedMs)} workers/s`,
  );
  report.say(`    ${cpu}`);

  await warmUp(ctx, [hub.plain, hub.sharded], single);
  await compareWithPlain(ctx, NAME, single);
}
