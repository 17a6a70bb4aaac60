import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import {
  EVENT_TOPICS,
  markKeysOfEventSql,
  topicFilterSql,
  topicKey,
  topicOfEventSql,
} from './event-topics.js';

const render = (fragment: Parameters<PgDialect['sqlToQuery']>[0]) => new PgDialect().sqlToQuery(fragment);
const TRIP_KINDS = ['PLANNED', 'DEPARTED', 'ETA_CHANGED', 'ARRIVED', 'HANDED_OVER', 'CANCELLED'];

describe('the topic rule, defined once (#12.2)', () => {
  it('should give trip events to arrivals by destination or stop, and filed return requests to returnRequestsFiled by origin', () => {
    expect(EVENT_TOPICS).toEqual({
      arrivals: { kinds: TRIP_KINDS, column: 'destination', match: 'insideOrStop' },
      returnRequestsFiled: { kinds: ['RETURN_REQUEST_FILED'], column: 'origin', match: 'inside' },
      departures: { kinds: ['DEPARTURE'], column: 'home_regions', match: 'anyInside' },
      returnRequestUpdates: { kinds: ['RETURN_REQUEST_UPDATED'], column: 'enterprise_id', match: 'equals' },
      relay: { kinds: ['RELAY'], column: 'target', match: 'equals' },
    });
  });

  it("should build a stream's filter from the rule: its kinds and its column under the region's prefix", () => {
    const arrivals = render(topicFilterSql('arrivals', '4502'));
    expect(arrivals.sql).toBe(
      'kind IN ($1, $2, $3, $4, $5, $6) AND ("destination" LIKE $7 OR EXISTS (SELECT 1 FROM (SELECT trip_id AS s_trip, region AS s_region FROM trip_stops) AS stops WHERE s_trip = trip_id AND s_region LIKE $8))',
    );
    expect(arrivals.params).toEqual([...TRIP_KINDS, '4502%', '4502%']);
    const filed = render(topicFilterSql('returnRequestsFiled', '45'));
    expect(filed.sql).toBe('kind IN ($1) AND "origin" LIKE $2');
    expect(filed.params).toEqual(['RETURN_REQUEST_FILED', '45%']);
  });

  it('should filter the new topics by any home region, by enterprise id and by target province', () => {
    const departures = render(topicFilterSql('departures', topicKey('departures', '411600')));
    expect(departures.sql).toBe(
      'kind IN ($1) AND EXISTS (SELECT 1 FROM unnest("home_regions") AS h WHERE h LIKE $2)',
    );
    expect(departures.params).toEqual(['DEPARTURE', '4116%']);
    const updates = render(
      topicFilterSql('returnRequestUpdates', topicKey('returnRequestUpdates', 'E11-abc')),
    );
    expect(updates.sql).toBe('kind IN ($1) AND "enterprise_id" = $2');
    expect(updates.params).toEqual(['RETURN_REQUEST_UPDATED', 'E11-abc']);
    expect(render(topicFilterSql('relay', '410000')).params).toEqual(['RELAY', '410000']);
  });

  it("should build retention's topic and mark keys of an event from the same rule", () => {
    const topic = render(topicOfEventSql());
    expect(topic.sql).toBe(
      'CASE WHEN kind IN ($1, $2, $3, $4, $5, $6) THEN $7 WHEN kind IN ($8) THEN $9 WHEN kind IN ($10) THEN $11 WHEN kind IN ($12) THEN $13 WHEN kind IN ($14) THEN $15 END',
    );
    expect(topic.params).toEqual([
      ...TRIP_KINDS,
      'arrivals',
      'RETURN_REQUEST_FILED',
      'returnRequestsFiled',
      'DEPARTURE',
      'departures',
      'RETURN_REQUEST_UPDATED',
      'returnRequestUpdates',
      'RELAY',
      'relay',
    ]);
    expect(render(markKeysOfEventSql()).sql).toBe(
      'CASE WHEN kind IN ($1, $2, $3, $4, $5, $6) THEN ARRAY(SELECT DISTINCT stat_region_keys(r) FROM (SELECT "destination" AS r UNION SELECT s_region FROM (SELECT trip_id AS s_trip, region AS s_region FROM trip_stops) AS stops WHERE s_trip = trip_id) AS places) WHEN kind IN ($7) THEN ARRAY(SELECT stat_region_keys("origin")) WHEN kind IN ($8) THEN ARRAY(SELECT DISTINCT stat_region_keys(h) FROM unnest("home_regions") AS h) WHEN kind IN ($9) THEN ARRAY["enterprise_id"] WHEN kind IN ($10) THEN ARRAY["target"] END',
    );
  });
});
