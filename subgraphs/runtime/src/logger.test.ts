import { describe, expect, it } from 'vitest';
import { safeError } from './logger.js';

/** An error shaped like drizzle-orm's DrizzleQueryError (its message quotes the statement's parameters). */
class FailedQuery extends Error {
  constructor(
    readonly query: string,
    readonly params: unknown[],
    cause: unknown,
  ) {
    super(`Failed query: ${query}\nparams: ${params}`);
    this.cause = cause;
  }
}

describe('safeError', () => {
  it("should log a failed statement without its parameters (row values), keeping the statement, the frames and the database's code", () => {
    const err = new FailedQuery(
      'insert into "workers" ("name", "id_number") values ($1, $2)',
      ['黄秘密', '450203198505050776'],
      {
        code: '23514',
        detail: 'Failing row contains (黄秘密)',
      },
    );
    const logged = safeError(err);
    expect(JSON.stringify(logged)).not.toMatch(/黄秘密|450203198505050776/);
    expect(logged.message).toBe(
      'Failed query: insert into "workers" ("name", "id_number") values ($1, $2)\nparams: [not logged]',
    );
    expect(logged.code).toBe('23514');
    expect(logged.stack).toMatch(/^Error: Failed query: insert into "workers"[\s\S]*\n\s+at /);
  });

  it('should keep any other error as it is', () => {
    const err = Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
    expect(safeError(err)).toEqual({
      name: 'Error',
      message: 'connection lost',
      code: 'ECONNRESET',
      stack: err.stack,
    });
    expect(safeError('plain')).toEqual({ name: 'Error', message: 'plain' });
  });
});
