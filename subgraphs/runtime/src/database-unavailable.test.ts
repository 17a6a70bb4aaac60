import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { databaseUnavailableReason } from './database-unavailable.js';
import { hubFormatError } from './subgraph-errors.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('a database that cannot serve now', () => {
  it.each([
    [pgError('53300', 'sorry, too many clients already'), 'too many connections'],
    [pgError('53100', 'could not extend file'), 'out of resources'],
    [pgError('57P01', 'terminating connection due to administrator command'), 'shutting down or starting up'],
    [pgError('57P03', 'the database system is starting up'), 'shutting down or starting up'],
    [pgError('08006'), 'connection failure'],
    [pgError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.7:5432'), 'unreachable'],
    [new Error('timeout exceeded when trying to connect'), 'no free connection in time'],
    [new Error('Connection terminated unexpectedly'), 'connection lost'],
    [new Error('query failed', { cause: pgError('53300') }), 'too many connections'],
  ])('should tell %s apart as %s', (error, reason) => {
    expect(databaseUnavailableReason(error)).toBe(reason);
  });

  it.each([
    pgError('23505', 'duplicate key value violates unique constraint'),
    pgError('42P01', 'relation "x" does not exist'),
    new TypeError("Cannot read properties of undefined (reading 'id')"),
    undefined,
    'a string',
  ])('should not take %s for an unavailable database', (error) => {
    expect(databaseUnavailableReason(error)).toBeUndefined();
  });

  it('should answer PROVINCE_UNAVAILABLE (reason database) without the error text, and still report it', () => {
    const report = vi.fn();
    const format = hubFormatError(report);
    const cause = pgError('53300', 'sorry, too many clients already on host db-gx.internal');
    const wrapped = new GraphQLError('sorry, too many clients already', {
      originalError: cause,
      path: ['workers'],
    });
    const answer = format({ message: wrapped.message, path: ['workers'], extensions: {} }, wrapped);
    expect(answer).toEqual({
      message: "this service's database is unavailable (too many connections); retry later",
      path: ['workers'],
      extensions: { code: 'PROVINCE_UNAVAILABLE', reason: 'database' },
    });
    expect(report).toHaveBeenCalledWith(cause, ['workers']);
    const bug = new GraphQLError('boom', { originalError: new TypeError('boom') });
    expect(format({ message: 'boom', extensions: {} }, bug).extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
  });
});
