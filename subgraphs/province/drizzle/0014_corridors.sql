-- Corridors (contract 1.2, `TransportStats.corridors`: the flow lines of the ministry's map).
-- Transport counters `corridor.<origin province>.<destination province>.{trips|passengers|movedTrips|movedPassengers}`
-- (2-digit province codes, e.g. `corridor.41.11.trips`): the trips between two provinces with the
-- same rules as the trip quantities of 0002/0009 (CANCELLED counts nothing; assigned people while
-- PLANNED, boarded once departed; moved once DEPARTED, ARRIVED or HANDED_OVER). A trip counts under
-- every key of its origin and of its destination, once each (the nation once), so a province or
-- city scope reads the corridors touching it. A trip inside one province is no corridor.
-- Additive: a new function, stat_trip_deltas replaced with the same signature and the same rows
-- plus the corridor rows, so the trip and manifest triggers (and the previous release, which calls
-- no counter function) need no change. Existing trips are backfilled as of the migration's day.

-- The corridor deltas of trips alike (see stat_trip_deltas): none within one province.
CREATE FUNCTION stat_corridor_deltas(origin text, destination text, trips bigint, passengers bigint, moved_trips bigint, moved_passengers bigint)
RETURNS TABLE(region text, metric text, delta bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT k, 'corridor.' || left(origin, 2) || '.' || left(destination, 2) || '.' || c.what, c.value
  FROM stat_trip_vehicle_keys(origin, destination) AS k,
  (VALUES ('trips', trips), ('passengers', passengers), ('movedTrips', moved_trips), ('movedPassengers', moved_passengers)) AS c(what, value)
  WHERE c.value <> 0 AND left(origin, 2) <> left(destination, 2)
$$;
--> statement-breakpoint

-- The trip deltas of 0009 (side × quantity × mode), plus the corridor's.
CREATE OR REPLACE FUNCTION stat_trip_deltas(origin text, destination text, mode text, trips bigint, passengers bigint, moved_trips bigint, moved_passengers bigint)
RETURNS TABLE(region text, metric text, delta bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT s.k, s.side || '.' || c.what || '.' || mode, c.value
  FROM (
    SELECT 'from' AS side, k FROM stat_region_keys(origin) AS k
    UNION ALL SELECT 'to', k FROM stat_region_keys(destination) AS k
    UNION ALL SELECT 'within', k FROM stat_region_keys(origin) AS k WHERE k IN (SELECT stat_region_keys(destination))
  ) AS s,
  (VALUES ('trips', trips), ('passengers', passengers), ('movedTrips', moved_trips), ('movedPassengers', moved_passengers)) AS c(what, value)
  WHERE c.value <> 0
  UNION ALL
  SELECT * FROM stat_corridor_deltas(origin, destination, trips, passengers, moved_trips, moved_passengers)
$$;
--> statement-breakpoint

-- Backfill: the corridors of the trips already there, as deltas dated on the migration's day (a
-- past day before it reads no corridor).
INSERT INTO stat_delta (day, part, region, metric, delta)
SELECT stat_day(), 'transport', d.region, d.metric, sum(d.delta)
FROM (
  SELECT t.origin, t.destination,
    count(*) FILTER (WHERE t.status <> 'CANCELLED') AS trips,
    sum(stat_trip_passengers(t.status, coalesce(m.assigned, 0), coalesce(m.boarded, 0)))::bigint AS passengers,
    count(*) FILTER (WHERE stat_trip_moved(t.status)) AS moved_trips,
    coalesce(sum(m.boarded) FILTER (WHERE stat_trip_moved(t.status)), 0)::bigint AS moved_passengers
  FROM trips AS t
  LEFT JOIN (
    SELECT trip_id, count(*) AS assigned, count(*) FILTER (WHERE boarded) AS boarded FROM trip_passengers GROUP BY trip_id
  ) AS m ON m.trip_id = t.id
  WHERE left(t.origin, 2) <> left(t.destination, 2)
  GROUP BY t.origin, t.destination
) AS g, stat_corridor_deltas(g.origin, g.destination, g.trips, g.passengers, g.moved_trips, g.moved_passengers) AS d
GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0;
