import { buildSchema, GraphQLError, Source } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DocumentCache } from './document-cache.js';

const transport = buildSchema(
  `type Query { a: Int } type Subscription { arrivals(destination: String!): Int }`,
);
const employment = buildSchema(`type Query { a: Int } type Subscription { requests(origin: String!): Int }`);
const ARRIVALS = `subscription($d: String!) { arrivals(destination: $d) }`;

describe('the subscription document cache', () => {
  it('should parse a query text once and validate it once per schema, however many subscriptions send it', () => {
    const cache = new DocumentCache();
    const first = cache.parse(ARRIVALS);
    for (let i = 0; i < 300; i++) {
      const document = cache.parse(ARRIVALS);
      expect(document).toBe(first);
      expect(cache.validate(transport, document)).toEqual([]);
    }
    expect(cache.counts).toEqual({ parsed: 1, validated: 1 });
    // The same text against another subgraph's schema is validated apart, and refused there.
    const errors = cache.validate(employment, first);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toBeInstanceOf(GraphQLError);
    expect(cache.validate(employment, first)).toBe(errors);
    expect(cache.validate(transport, first)).toEqual([]);
    expect(cache.counts).toEqual({ parsed: 1, validated: 2 });
  });

  it('should throw the syntax error of a text that is not GraphQL, every time, keeping nothing', () => {
    const cache = new DocumentCache();
    expect(() => cache.parse('subscription {')).toThrow(GraphQLError);
    expect(() => cache.parse('subscription {')).toThrow(GraphQLError);
    expect(cache.counts.parsed).toBe(2);
  });

  it('should keep at most maxDocuments texts, and never one longer than maxQueryLength', () => {
    const cache = new DocumentCache({ maxDocuments: 2, maxQueryLength: 60 });
    const texts = ['{ a }', '{ b: a }', '{ c: a }'];
    for (const text of texts) cache.parse(text);
    cache.parse(texts[2]!); // kept
    cache.parse(texts[0]!); // dropped as the oldest: parsed again
    expect(cache.counts.parsed).toBe(4);
    const long = `{ ${'a '.repeat(40)}}`;
    cache.parse(long);
    cache.parse(long);
    expect(cache.counts.parsed).toBe(6);
  });

  it('should parse a Source every time (only texts are kept)', () => {
    const cache = new DocumentCache();
    const source = new Source(ARRIVALS);
    expect(cache.parse(source)).not.toBe(cache.parse(source));
  });
});
