import { createRequire } from 'node:module';
import { GraphQLError } from 'graphql';
import { GraphQLError as FromSubpath } from 'graphql/error/GraphQLError.js';
import { describe, expect, it } from 'vitest';

describe('graphql module identity under the test runner', () => {
  it('should load one copy of graphql for ESM imports and the CJS Apollo packages', () => {
    const required = createRequire(import.meta.url)('graphql') as typeof import('graphql');
    expect(required.GraphQLError).toBe(GraphQLError);
    expect(FromSubpath).toBe(GraphQLError);
  });
});
