import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { EVENT_TOPICS, placeOfEventSql, topicFilterSql, topicOfEventSql } from './event-topics.js';

const render = (fragment: Parameters<PgDialect['sqlToQuery']>[0]) => new PgDialect().sqlToQuery(fragment);
const TRIP_KINDS = ['PLANNED', 'DEPARTED', 'ETA_CHANGED', 'ARRIVED', 'HANDED_OVER', 'CANCELLED'];

describe('the topic rule, defined once (#12.2)', () => {
  it('should give trip events to arrivals by destination, and filed return requests to returnRequestsFiled by origin', () => {
    expect(EVENT_TOPICS).toEqual({
      arrivals: { kinds: TRIP_KINDS, column: 'destination' },
      returnRequestsFiled: { kinds: ['RETURN_REQUEST_FILED'], column: 'origin' },
    });
  });

  it("should build a stream's filter from the rule: its kinds and its column under the region's prefix", () => {
    const arrivals = render(topicFilterSql('arrivals', '4502'));
    expect(arrivals.sql).toBe('kind IN ($1, $2, $3, $4, $5, $6) AND "destination" LIKE $7');
    expect(arrivals.params).toEqual([...TRIP_KINDS, '4502%']);
    const filed = render(topicFilterSql('returnRequestsFiled', '45'));
    expect(filed.sql).toBe('kind IN ($1) AND "origin" LIKE $2');
    expect(filed.params).toEqual(['RETURN_REQUEST_FILED', '45%']);
  });

  it("should build retention's topic and place of an event from the same rule", () => {
    const topic = render(topicOfEventSql());
    expect(topic.sql).toBe(
      'CASE WHEN kind IN ($1, $2, $3, $4, $5, $6) THEN $7 WHEN kind IN ($8) THEN $9 END',
    );
    expect(topic.params).toEqual([...TRIP_KINDS, 'arrivals', 'RETURN_REQUEST_FILED', 'returnRequestsFiled']);
    expect(render(placeOfEventSql()).sql).toBe(
      'CASE WHEN kind IN ($1, $2, $3, $4, $5, $6) THEN "destination" WHEN kind IN ($7) THEN "origin" END',
    );
  });
});
