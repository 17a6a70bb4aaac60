/**
 * What machine a benchmark ran on, printed with every result: numbers mean little without the
 * CPU, the cores, the memory, the Node and Postgres versions, and how busy the box already was.
 */
import os from 'node:os';
import pg from 'pg';

/** The machine and software a run measured. */
export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  os: string;
  /** 1-minute load average when the run started (other work on a shared box). */
  loadAverage: number;
  date: string;
}

/** Describes this machine; `databaseUrl` names the Postgres server whose version is reported. */
export async function describeMachine(databaseUrl: string): Promise<MachineDescription> {
  const cpus = os.cpus();
  let postgres = 'unknown';
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>(
      `SELECT 'PostgreSQL ' || current_setting('server_version') AS v`,
    );
    postgres = rows[0]?.v ?? postgres;
  } catch (err) {
    postgres = `unreachable (${(err as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
    date: new Date().toISOString(),
  };
}

/** The description as the lines printed at the head of a report. */
export function machineLines(m: MachineDescription): string[] {
  return [
    `date      ${m.date}`,
    `cpu       ${m.cpuModel}, ${m.cores} cores`,
    `memory    ${m.memoryGiB} GiB`,
    `node      ${m.node}`,
    `postgres  ${m.postgres}`,
    `os        ${m.os}, load average ${m.loadAverage} at start`,
  ];
}
