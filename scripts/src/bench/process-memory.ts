/**
 * Memory of the services the benchmark started, read from Linux's /proc: the resident set size
 * (RSS) of each child process of this launcher, named by what it runs (`gateway`, `province
 * 450000`, `national`, `plain gateway`). Over a long run, a steady RSS says no leak; a steady
 * climb says one.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** One service's memory at one moment. */
export interface ServiceMemory {
  service: string;
  pid: number;
  rssBytes: number;
}

/** The service name of a child by its command line and env; undefined for anything else. */
export function serviceName(cmdline: string, env: Record<string, string>): string | undefined {
  if (cmdline.includes('scripts/src/bench/plain-gateway.ts')) return 'plain gateway';
  if (cmdline.includes('gateway/src/main.ts')) return 'gateway';
  if (cmdline.includes('subgraphs/province/src/main.ts')) return `province ${env.PROVINCE ?? '?'}`;
  if (cmdline.includes('subgraphs/national/src/main.ts')) return 'national';
  return undefined;
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
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const out: ServiceMemory[] = [];
  for (const pid of pids) {
    const stat = readProc(pid, 'stat');
    // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces.
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
    if (ppid !== parentPid) continue;
    const cmdline = (readProc(pid, 'cmdline') ?? '').replaceAll('\0', ' ');
    const env = Object.fromEntries((readProc(pid, 'environ') ?? '').split('\0').filter(Boolean).map((kv) => {
      const at = kv.indexOf('=');
      return [kv.slice(0, at), kv.slice(at + 1)];
    }));
    const service = serviceName(cmdline, env);
    const rssBytes = rssFromStatus(readProc(pid, 'status') ?? '');
    if (service && rssBytes !== undefined) out.push({ service, pid: Number(pid), rssBytes });
  }
  return out.sort((a, b) => a.service.localeCompare(b.service));
}

/** `123456789` → `"118 MB"`. */
export function formatMegabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
