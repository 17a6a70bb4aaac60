/**
 * Keep-alive check from Linux's socket table (/proc/net/tcp, tcp6): the TCP connections to a set
 * of ports (the provinces'), by state. Over a run with keep-alive working, the established
 * connections stay put and hardly any closed ones (TIME_WAIT, kept 60 s after a close) appear;
 * a new connection per request would leave thousands.
 */
import { readFileSync } from 'node:fs';

/** Connections touching the watched ports, by state. */
export interface ConnectionCount {
  established: number;
  /** Closed in the last minute (TIME_WAIT). */
  timeWait: number;
}

/** TCP states of /proc/net/tcp (hex). */
const ESTABLISHED = '01';
const TIME_WAIT = '06';

/** The port of an `ADDRESS:PORT` field of /proc/net/tcp (hex). */
const portOf = (field: string) => Number.parseInt(field.slice(field.lastIndexOf(':') + 1), 16);

/**
 * Counts the connections in a /proc/net/tcp text whose local or remote port is in `ports`
 * (each connection on loopback appears twice, once per end: both ends are counted).
 */
export function countConnections(procNetTcp: string, ports: ReadonlySet<number>): ConnectionCount {
  const count: ConnectionCount = { established: 0, timeWait: 0 };
  for (const line of procNetTcp.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4) continue;
    if (!ports.has(portOf(fields[1]!)) && !ports.has(portOf(fields[2]!))) continue;
    if (fields[3] === ESTABLISHED) count.established++;
    else if (fields[3] === TIME_WAIT) count.timeWait++;
  }
  return count;
}

/** The connections to or from `ports` on this machine now (empty counts where /proc is missing). */
export function connectionsTo(ports: Iterable<number>): ConnectionCount {
  const wanted = new Set(ports);
  const total: ConnectionCount = { established: 0, timeWait: 0 };
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const c = countConnections(text, wanted);
    total.established += c.established;
    total.timeWait += c.timeWait;
  }
  return total;
}

/** The ports of base URLs (`http://127.0.0.1:4145` → 4145). */
export function portsOf(urls: Iterable<string>): number[] {
  return [...urls].map((url) => Number(new URL(url).port));
}
