/**
 * How many connections each province may pool when several share one PostgreSQL server (the
 * development launcher on one machine, or a small deployment): a province holds its pool plus one
 * LISTEN connection, and the server keeps `superuser_reserved_connections` plus some room for
 * operators, migrations and the launcher itself. #17.1: 31 pools of 10 on a server of 100
 * connections ended in "sorry, too many clients already".
 */

import pg from 'pg';

/** What the server allows. */
export interface ServerConnections {
  /** `max_connections`. */
  maxConnections: number;
  /** `superuser_reserved_connections`. */
  superuserReserved: number;
}

/** Connections kept free for operators (psql), the launcher's own client and a backup. @default 5 */
export const OPERATOR_CONNECTIONS = 5;

/** The largest pool a province gets, however large the server. @default 10 (the service's own default) */
export const MAX_PROVINCE_POOL = 10;

/**
 * The pool size for each of `provinces` provinces on `server`: an equal share of what is left after
 * the reserved connections, less each province's LISTEN connection, at most {@link MAX_PROVINCE_POOL}.
 * @throws Error saying what `max_connections` the server needs when a share would be below one
 */
export function provincePoolSize(server: ServerConnections, provinces: number): number {
  const usable = server.maxConnections - server.superuserReserved - OPERATOR_CONNECTIONS;
  const pool = Math.min(MAX_PROVINCE_POOL, Math.floor(usable / provinces) - 1);
  if (pool < 1) {
    const needed = provinces * 2 + server.superuserReserved + OPERATOR_CONNECTIONS;
    throw new Error(
      `the PostgreSQL server allows ${server.maxConnections} connections: ${provinces} provinces need at least ${needed} (each a pool of 1 and a LISTEN connection, plus ${server.superuserReserved} reserved and ${OPERATOR_CONNECTIONS} for operators); raise max_connections or run fewer provinces`,
    );
  }
  return pool;
}

/** Reads `max_connections` and `superuser_reserved_connections` from the server of `databaseUrl`. */
export async function readServerConnections(databaseUrl: string): Promise<ServerConnections> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ max: number; reserved: number }>(
      "SELECT current_setting('max_connections')::int AS max, current_setting('superuser_reserved_connections')::int AS reserved",
    );
    return { maxConnections: rows[0]!.max, superuserReserved: rows[0]!.reserved };
  } finally {
    await client.end();
  }
}
