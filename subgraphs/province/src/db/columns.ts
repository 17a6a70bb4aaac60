import { customType } from 'drizzle-orm/pg-core';

/**
 * A text column compared in byte order (`COLLATE "C"`), so that Postgres orders and compares
 * ids and region codes exactly as JavaScript compares strings. Keyset cursors and `LIKE 'prefix%'`
 * range scans rely on it.
 */
export const byteText = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'text COLLATE "C"';
  },
});
