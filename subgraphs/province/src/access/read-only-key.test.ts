import { describe, expect, it } from 'vitest';
import { RELAY_CALLER, type Caller } from '@p2p/schema';
import { readOnlyRefusal } from './read-only-key.js';

const OFFICER: Caller = { subject: 'kit', role: 'province', region: '130000' };
const body = (value: unknown) => ({ province: '130000', body: JSON.stringify(value) });

describe('readOnlyRefusal', () => {
  it('should let queries through, alone or batched', () => {
    expect(readOnlyRefusal(body({ query: '{ a }' }), OFFICER)).toBeUndefined();
    expect(readOnlyRefusal(body([{ query: 'query A { a }' }, { query: '{ b }' }]), OFFICER)).toBeUndefined();
  });

  it('should refuse anything that is not a query: a mutation or subscription among the operations, a body without query text', () => {
    expect(
      readOnlyRefusal(body({ query: 'query A { a } mutation B { b }', operationName: 'A' }), OFFICER),
    ).toMatch(/not a mutation/);
    expect(readOnlyRefusal(body({ query: 'subscription { s }' }), OFFICER)).toMatch(/not a subscription/);
    expect(readOnlyRefusal(body({ extensions: { persistedQuery: {} } }), OFFICER)).toMatch(/no query text/);
    expect(readOnlyRefusal(body({ query: '{ a' }), OFFICER)).toMatch(/does not parse/);
    expect(readOnlyRefusal({ province: '130000', body: 'not json' }, OFFICER)).toMatch(/not JSON/);
  });

  it('should refuse the subscription link and the relay whatever the body', () => {
    expect(readOnlyRefusal({ province: '130000', webSocket: true }, OFFICER)).toMatch(/no subscription link/);
    expect(readOnlyRefusal(body({ query: '{ a }' }), RELAY_CALLER)).toMatch(/no relay/);
  });
});
