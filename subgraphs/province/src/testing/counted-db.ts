/** A database handle that counts what goes through it, for tests of how many statements a path costs. */
import type { Db } from '../db/database.js';

/** `db` with its statements (`execute`) and transactions (`transaction`) counted. */
export interface CountedDb {
  db: Db;
  /** Statements run with `db.execute` (not those inside a transaction's own handle). */
  statements(): number;
  /** Transactions opened with `db.transaction`. */
  transactions(): number;
}

/** Wraps `db` so that its statements and transactions are counted. */
export function countedDb(db: Db): CountedDb {
  let statements = 0;
  let transactions = 0;
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute')
        return (...args: Parameters<Db['execute']>) => {
          statements++;
          return target.execute(...args);
        };
      if (prop === 'transaction')
        return (...args: Parameters<Db['transaction']>) => {
          transactions++;
          return target.transaction(...args);
        };
      return Reflect.get(target, prop, receiver);
    },
  });
  return { db: proxy, statements: () => statements, transactions: () => transactions };
}
