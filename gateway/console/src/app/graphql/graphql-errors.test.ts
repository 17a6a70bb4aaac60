import { GraphQLError } from 'graphql';
import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';
import { shownErrors } from './graphql-errors.js';

describe('shownErrors', () => {
  it('should show each GraphQL error with its extensions.code and path', () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('Henan did not answer', {
          path: ['returnRequests', 'edges', 0, 'node', 'trip'],
          extensions: { code: 'PROVINCE_UNAVAILABLE' },
        }),
        new GraphQLError('no code'),
      ],
    });
    expect(shownErrors([error, undefined])).toEqual([
      {
        code: 'PROVINCE_UNAVAILABLE',
        message: 'Henan did not answer',
        path: 'returnRequests.edges.0.node.trip',
      },
      { code: 'INTERNAL_SERVER_ERROR', message: 'no code' },
    ]);
  });

  it('should show a failed request as NETWORK_ERROR, and the same error once', () => {
    const error = new CombinedError({ networkError: new Error('Failed to fetch') });
    expect(shownErrors([error, error])).toEqual([{ code: 'NETWORK_ERROR', message: 'Failed to fetch' }]);
  });

  it("should show a subscription's errors as they came, with the province named, and a thrown Error as NETWORK_ERROR", () => {
    expect(
      shownErrors([
        { message: 'Henan did not answer', extensions: { code: 'PROVINCE_UNAVAILABLE', province: '410000' } },
        { message: 'connection closed (1006)' },
        new Error('socket hang up'),
        null,
      ]),
    ).toEqual([
      { code: 'PROVINCE_UNAVAILABLE', message: 'Henan did not answer', province: '410000' },
      { message: 'connection closed (1006)' },
      { code: 'NETWORK_ERROR', message: 'socket hang up' },
    ]);
  });
});
