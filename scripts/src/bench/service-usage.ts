/**
 * What the services the benchmark started use, read from Linux's /proc for each child process of
 * this launcher, named by what it runs (`gateway`, `province 450000`, `national`, `plain gateway`):
 * - resident memory (RSS): over a long run, a steady RSS says no leak, a steady climb says one;
 * - CPU time (user + system): CPU milliseconds per request of a gateway hardly move when other
 *   work shares the machine, unlike latencies, so they tell two gateways apart on a busy box.
 */
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';

/** One service's memory and CPU time at one moment. */
export interface ServiceMemory {
  service: string;
  pid: number;
  rssBytes: number;
  /** User + system CPU time used so far, in milliseconds. */
  cpuMs: number;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU milliseconds from a /proc/<pid>/stat text. */
export function cpuMsFromStat(stat: string): number {
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** The service name of a child by its command line and env; undefined for anything else. */
export function serviceName(cmdline: string, env: Record<string, string>): string | undefined {
  if (cmdline.includes('scripts/src/bench/plain-gateway.ts')) return 'plain gateway';
  if (cmdline.includes('gateway/src/main.ts')) return 'gateway';
  if (cmdline.includes('subgraphs/province/src/main.ts')) return `province ${env.PROVINCE ?? '?'}`;
  if (cmdline.includes('subgraphs/national/src/main.ts')) return 'national';
  if (cmdline.includes('scripts/src/bench/subscriber-process.ts')) return 'bench subscribers';
  return undefined;
}

/** The ids of every process of this machine (/proc); empty off Linux. */
function processIds(): string[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** The RSS in bytes from a /proc/<pid>/status text. */
export function rssFromStatus(status: string): number | undefined {
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

/**
 * The memory of every service that is a direct child of this process, sorted by name.
 * Empty where /proc does not exist (not Linux).
 */
export function serviceMemory(parentPid: number = process.pid): ServiceMemory[] {
  const out: ServiceMemory[] = [];
  for (const pid of processIds()) {
    const stat = readProc(pid, 'stat');
    // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces.
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
    if (ppid !== parentPid || !stat) continue;
    const cmdline = (readProc(pid, 'cmdline') ?? '').replaceAll('\0', ' ');
    const env = Object.fromEntries(
      (readProc(pid, 'environ') ?? '')
        .split('\0')
        .filter(Boolean)
        .map((kv) => {
          const at = kv.indexOf('=');
          return [kv.slice(0, at), kv.slice(at + 1)];
        }),
    );
    const service = serviceName(cmdline, env);
    const rssBytes = rssFromStatus(readProc(pid, 'status') ?? '');
    if (service && rssBytes !== undefined)
      out.push({ service, pid: Number(pid), rssBytes, cpuMs: cpuMsFromStat(stat) });
  }
  return out.sort((a, b) => a.service.localeCompare(b.service));
}

/** The CPU milliseconds used so far by the named service (0 when it is not running). */
export function serviceCpuMs(service: string): number {
  return serviceMemory().find((m) => m.service === service)?.cpuMs ?? 0;
}

/**
 * CPU milliseconds used so far by every service, plus this launcher (`load generator`); services of
 * the same name (the processes of several provinces each, the bench's subscriber processes) summed.
 */
export function cpuSnapshot(): Map<string, number> {
  const usage = process.cpuUsage();
  const out = new Map<string, number>([['load generator', (usage.user + usage.system) / 1000]]);
  for (const m of serviceMemory()) out.set(m.service, (out.get(m.service) ?? 0) + m.cpuMs);
  return out;
}

/** The group a service's CPU is reported under: every province process as `provinces`. */
export const serviceGroup = (service: string): string =>
  service.startsWith('province') ? 'provinces' : service;

/**
 * Where the CPU went between two snapshots, per request: `gateway 12.3, provinces 20.1, national
 * 3.2, load generator 1.0 ms/request` (provinces summed).
 */
export function cpuPerRequest(
  before: Map<string, number>,
  after: Map<string, number>,
  requests: number,
): string {
  const spent = new Map<string, number>();
  for (const [service, ms] of after) {
    const group = serviceGroup(service);
    if (group === 'plain gateway') continue;
    spent.set(group, (spent.get(group) ?? 0) + ms - (before.get(service) ?? 0));
  }
  const order = ['gateway', 'provinces', 'national', 'load generator'];
  return `${[...spent]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
    .map(([group, ms]) => `${group} ${(ms / Math.max(1, requests)).toFixed(1)}`)
    .join(', ')} CPU ms/request`;
}

/**
 * CPU milliseconds used so far by each Postgres backend connected to `databases` (by pid), read
 * from /proc: the server's share of the work, which the services' own CPU does not show.
 */
export async function postgresBackendCpu(
  serverUrl: string,
  databases: readonly string[],
): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = ANY($1::text[])',
      [[...databases]],
    );
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      const stat = readProc(String(pid), 'stat');
      if (stat) out.set(pid, cpuMsFromStat(stat));
    }
    return out;
  } finally {
    await client.end();
  }
}

/** CPU milliseconds the backends used between two {@link postgresBackendCpu} readings (new backends from 0). */
export function postgresCpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}

/** `123456789` → `"118 MB"`. */
export function formatMegabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/**
 * CPU milliseconds used so far by every process of this machine's PostgreSQL server (each named
 * `postgres`: backends, WAL writer, checkpointer), read from /proc; 0 off Linux or when the server
 * runs elsewhere. A backend that exits between two readings takes its time with it: the
 * difference of two readings is a floor.
 */
export function postgresServerCpuMs(): number {
  let ms = 0;
  for (const pid of processIds()) {
    if (readProc(pid, 'comm')?.trim() !== 'postgres') continue;
    const stat = readProc(pid, 'stat');
    if (stat) ms += cpuMsFromStat(stat);
  }
  return ms;
}

/** The machine's CPU time so far, every core: busy and in all, in milliseconds (from /proc/stat). */
export function machineCpuMs(): { busyMs: number; totalMs: number } {
  let line = '';
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  } catch {
    return { busyMs: 0, totalMs: 0 };
  }
  // cpu  user nice system idle iowait irq softirq steal …
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((n, t) => n + (Number.isFinite(t) ? t : 0), 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busyMs: ((total - idle) * 1000) / TICKS_PER_SECOND, totalMs: (total * 1000) / TICKS_PER_SECOND };
}
