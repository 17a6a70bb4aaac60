/**
 * Scenario 1, federated read: the trips to a receiving city with their passengers' names and home
 * regions. Across all provinces, the gateway scatters `trips(destination:)` to every province
 * (trips are owned by their organising province), merges the pages by departure, then resolves
 * every passenger in his home province (`_entities`, one request per province) and every region
 * name in the national directory. On one province (`origin` given), it is compared with the plain
 * `@apollo/gateway`.
 */
import { RECEIVING_CITIES } from '../geography.js';
import { runLoad } from '../load-generator.js';
import { cpuPerRequest, cpuSnapshot } from '../service-usage.js';
import { connectionsTo, portsOf } from '../connections.js';
import { tripsToDestination } from '../operations.js';
import { compareWithPlain, measurementBudgetMs, warmUp, type ScenarioContext } from '../scenario.js';

const NAME = 'federated read';
/** Trips per page. */
const PAGE = 10;

interface TripsPage {
  trips: {
    edges: {
      node: {
        origin: { code: string };
        passengers: { worker: { name: string; homeRegion: { name: string } } | null }[];
      };
    }[];
  };
}

/** Runs the scenario. */
export async function federatedRead(ctx: ScenarioContext): Promise<void> {
  const { hub, options, report } = ctx;
  report.heading(
    `1. ${NAME}: trips to a destination (first ${PAGE} by departure) with passengers' names and home regions`,
  );
  const destination = (n: number) => RECEIVING_CITIES[n % RECEIVING_CITIES.length]!;

  const probe = await hub.sharded.data<TripsPage>(tripsToDestination(destination(0), undefined, PAGE));
  const nodes = probe.trips.edges.map((e) => e.node);
  const passengers = nodes.flatMap((t) => t.passengers);
  const origins = new Set(nodes.map((t) => t.origin.code.slice(0, 2)));
  const named = passengers.filter((p) => p.worker?.name && p.worker.homeRegion.name).length;
  report.say(
    `  e.g. destination ${destination(0)}: ${nodes.length} trips from ${origins.size} provinces, ${passengers.length} passengers, ${named} with name and home region resolved`,
  );
  if (passengers.length === 0 || named !== passengers.length)
    throw new Error(`${NAME}: passengers missing or unresolved (${named}/${passengers.length})`);

  const spanning = (n: number) => tripsToDestination(destination(n), undefined, PAGE);
  await warmUp(ctx, [hub.sharded], spanning);
  const provincePorts = portsOf(Object.values(hub.federation.provinceUrls));
  const socketsBefore = connectionsTo(provincePorts);
  const cpuBefore = cpuSnapshot();
  const result = await runLoad(hub.sharded, spanning, {
    concurrency: options.concurrency,
    maxRequests: options.requests,
    maxDurationMs: measurementBudgetMs(ctx),
  });
  const cpu = cpuPerRequest(cpuBefore, cpuSnapshot(), result.requests);
  const socketsAfter = connectionsTo(provincePorts);
  report.measured(
    NAME,
    `all ${hub.provinces.length} provinces, sharded gateway`,
    result,
    `~${passengers.length} passengers per page`,
  );
  report.say(`    ${cpu}`);
  report.fact(
    `  keep-alive gateway→provinces: sockets on the province ports established ${socketsBefore.established} → ${socketsAfter.established}, closed in the last minute (TIME_WAIT) ${socketsBefore.timeWait} → ${socketsAfter.timeWait}, over ${result.requests} requests of ${hub.provinces.length * 2}+ province fetches each`,
  );

  const single = (n: number) => tripsToDestination(destination(n), hub.baselineProvince, PAGE);
  await warmUp(ctx, [hub.plain, hub.sharded], single);
  await compareWithPlain(ctx, NAME, single);
}
