-- contract-step after 0.x: replaces stat_trip_deltas(5 arguments) by a 7-argument one; only the
-- trigger functions this migration replaces call it, no application SQL does, so the previous
-- release keeps working. Shipped before contract versions.
-- Statistics of safety (#14 item 6; subgraphs/province/src/summary/README.md explains the design):
-- - workers: status OBSERVATION counts as `underObservation` (it counted as registered only);
-- - transport: `moved` trips and passengers, i.e. trips DEPARTED or later (not CANCELLED) and the
--   passengers who boarded them, per side and mode like `trips`/`passengers` (migration 0002):
--   `{from|to|within}.{movedTrips|movedPassengers}.{mode}`;
-- - a new part `health`: refusals at the boarding gate keyed by the trip's origin
--   (`boardingRefused.fever`: FEVER; `boardingRefused.healthCode`: HEALTH_CODE and
--   NO_HEALTH_RECORD; ABSENT is no refusal), fevers found by arrival checks keyed by the
--   passenger's stop (`feverAtArrival`), and observations keyed by where they happen
--   (`underObservation`: not ended; `released`: ended RELEASED).
-- A refusal and an arrival fever are facts of the gate and of the check: they count whatever
-- becomes of the trip afterwards (a trip CANCELLED after it left, or because nobody passed the
-- gate, keeps its refusals). Like 0002, every statement appends its net effect as ONE aggregated
-- multi-row INSERT into stat_delta, and existing records are backfilled as of the migration's day.

-- Workers: the fourth status.
CREATE OR REPLACE FUNCTION stat_worker_metrics(home text, work text, status text, poverty text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT m FROM unnest(ARRAY[
    'registered',
    CASE status WHEN 'AT_HOME' THEN 'atHome' WHEN 'TRAVELLING' THEN 'travelling' WHEN 'AT_WORK' THEN 'atWork' WHEN 'OBSERVATION' THEN 'underObservation' END,
    CASE WHEN poverty = 'REGISTERED_POOR' THEN 'priority' END,
    CASE
      WHEN work IS NULL THEN NULL
      WHEN length(home) = 9 AND home = work THEN 'withinTownship'
      WHEN left(home, 6) = left(work, 6) THEN 'withinCounty'
      WHEN left(home, 4) = left(work, 4) THEN 'withinCity'
      WHEN left(home, 2) = left(work, 2) THEN 'withinProvince'
      ELSE 'crossProvince'
    END]) AS m
  WHERE m IS NOT NULL
$$;
--> statement-breakpoint

-- Transport: a trip has moved once it departed (DEPARTED, ARRIVED, HANDED_OVER); its moved
-- people are those who boarded.
CREATE FUNCTION stat_trip_moved(status text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT status IN ('DEPARTED', 'ARRIVED', 'HANDED_OVER')
$$;
--> statement-breakpoint

-- Trips as counter deltas (0002's, with the moved quantities): sides `from`, `to`, `within` per
-- key, quantities trips, passengers, movedTrips, movedPassengers, per mode.
DROP FUNCTION stat_trip_deltas(text, text, text, bigint, bigint);
--> statement-breakpoint
CREATE FUNCTION stat_trip_deltas(origin text, destination text, mode text, trips bigint, passengers bigint, moved_trips bigint, moved_passengers bigint)
RETURNS TABLE(region text, metric text, delta bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT s.k, s.side || '.' || c.what || '.' || mode, c.value
  FROM (
    SELECT 'from' AS side, k FROM stat_region_keys(origin) AS k
    UNION ALL SELECT 'to', k FROM stat_region_keys(destination) AS k
    UNION ALL SELECT 'within', k FROM stat_region_keys(origin) AS k WHERE k IN (SELECT stat_region_keys(destination))
  ) AS s,
  (VALUES ('trips', trips), ('passengers', passengers), ('movedTrips', moved_trips), ('movedPassengers', moved_passengers)) AS c(what, value)
  WHERE c.value <> 0
$$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION stat_append_trips(trip text[], origin text[], destination text[], mode text[], status text[], n bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'transport', d.region, d.metric, sum(d.delta)
  FROM (
    SELECT t, o, de, m, s, sum(c)::bigint AS n FROM unnest(trip, origin, destination, mode, status, n) AS u(t, o, de, m, s, c)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(c) <> 0
  ) AS g
  CROSS JOIN LATERAL (
    SELECT count(*) AS assigned, count(*) FILTER (WHERE p.boarded) AS boarded FROM trip_passengers AS p WHERE p.trip_id = g.t
  ) AS people
  CROSS JOIN LATERAL stat_trip_deltas(g.o, g.de, g.m,
    g.n * (g.s <> 'CANCELLED')::int,
    g.n * stat_trip_passengers(g.s, people.assigned, people.boarded),
    g.n * stat_trip_moved(g.s)::int,
    g.n * stat_trip_moved(g.s)::int * people.boarded) AS d
  GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0
$$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION stat_append_passengers(trip text[], boarded boolean[], n bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'transport', d.region, d.metric, sum(d.delta)
  FROM (
    SELECT t.origin, t.destination, t.mode,
      sum(g.n * stat_trip_passengers(t.status, 1, g.b::int))::bigint AS passengers,
      sum(g.n * (stat_trip_moved(t.status) AND g.b)::int)::bigint AS moved
    FROM (
      SELECT tr, b, sum(c)::bigint AS n FROM unnest(trip, boarded, n) AS u(tr, b, c) GROUP BY 1, 2 HAVING sum(c) <> 0
    ) AS g
    JOIN trips AS t ON t.id = g.tr
    GROUP BY t.id, t.origin, t.destination, t.mode
  ) AS p, stat_trip_deltas(p.origin, p.destination, p.mode, 0, p.passengers, 0, p.moved) AS d
  GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0
$$;
--> statement-breakpoint

-- Health: the counter a boarding refusal counts for (ABSENT and no refusal: none).
CREATE FUNCTION stat_refusal_metric(refusal text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE refusal WHEN 'FEVER' THEN 'boardingRefused.fever' WHEN 'HEALTH_CODE' THEN 'boardingRefused.healthCode'
    WHEN 'NO_HEALTH_RECORD' THEN 'boardingRefused.healthCode' END
$$;
--> statement-breakpoint

-- n passengers alike as health deltas: a refusal under every key of the trip's origin, a fever
-- at arrival under every key of his stop (`stop`, null: the trip's destination).
CREATE FUNCTION stat_passenger_health_deltas(origin text, destination text, refused text, fever boolean, stop text, n bigint)
RETURNS TABLE(region text, metric text, delta bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT k, refused, n FROM stat_region_keys(origin) AS k WHERE refused IS NOT NULL
  UNION ALL
  SELECT k, 'feverAtArrival', n FROM stat_region_keys(coalesce(stop, destination)) AS k WHERE fever
$$;
--> statement-breakpoint

-- Appender of passengers' health deltas: groups (trip, refusal counter, fever, stop) with their
-- net count, keyed by the trip's origin and destination as given (the passenger trigger gives the
-- trip as it is now, the trip trigger the trip before and after a change of its ends).
CREATE FUNCTION stat_append_passenger_health(origin text[], destination text[], refused text[], fever boolean[], stop text[], n bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'health', d.region, d.metric, sum(d.delta)
  FROM (
    SELECT o, de, r, f, s, sum(c)::bigint AS n FROM unnest(origin, destination, refused, fever, stop, n) AS u(o, de, r, f, s, c)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(c) <> 0
  ) AS g, stat_passenger_health_deltas(g.o, g.de, g.r, g.f, g.s, g.n) AS d
  GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0
$$;
--> statement-breakpoint

-- The manifest trigger, extended: transport as in 0002, and the health of the rows that have a
-- counted refusal or an arrival fever, with their trip's ends as they are now. An update that
-- changes neither (a boarding, a temperature) writes no health delta.
CREATE OR REPLACE FUNCTION stat_passengers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stat_append_passengers(array_agg(t), array_agg(b), array_agg(n))
    FROM (SELECT trip_id, boarded, count(*) FROM new_rows GROUP BY 1, 2) AS g(t, b, n);
    PERFORM stat_append_passenger_health(array_agg(tr.origin), array_agg(tr.destination), array_agg(g.r), array_agg(g.f), array_agg(g.s), array_agg(g.n))
    FROM (
      SELECT trip_id, stat_refusal_metric(refusal), arrival_fever, CASE WHEN arrival_fever THEN alight_at END, count(*)
      FROM new_rows WHERE stat_refusal_metric(refusal) IS NOT NULL OR arrival_fever GROUP BY 1, 2, 3, 4
    ) AS g(t, r, f, s, n) JOIN trips AS tr ON tr.id = g.t;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM stat_append_passengers(array_agg(t), array_agg(b), array_agg(n))
    FROM (SELECT trip_id, boarded, -count(*) FROM old_rows GROUP BY 1, 2) AS g(t, b, n);
    PERFORM stat_append_passenger_health(array_agg(tr.origin), array_agg(tr.destination), array_agg(g.r), array_agg(g.f), array_agg(g.s), array_agg(g.n))
    FROM (
      SELECT trip_id, stat_refusal_metric(refusal), arrival_fever, CASE WHEN arrival_fever THEN alight_at END, -count(*)
      FROM old_rows WHERE stat_refusal_metric(refusal) IS NOT NULL OR arrival_fever GROUP BY 1, 2, 3, 4
    ) AS g(t, r, f, s, n) JOIN trips AS tr ON tr.id = g.t;
  ELSE
    PERFORM stat_append_passengers(array_agg(t), array_agg(b), array_agg(n))
    FROM (
      SELECT trip_id, boarded, count(*) FROM new_rows GROUP BY 1, 2
      UNION ALL
      SELECT trip_id, boarded, -count(*) FROM old_rows GROUP BY 1, 2
    ) AS g(t, b, n);
    PERFORM stat_append_passenger_health(array_agg(tr.origin), array_agg(tr.destination), array_agg(g.r), array_agg(g.f), array_agg(g.s), array_agg(g.n))
    FROM (
      SELECT trip_id, stat_refusal_metric(refusal), arrival_fever, CASE WHEN arrival_fever THEN alight_at END, count(*)
      FROM new_rows WHERE stat_refusal_metric(refusal) IS NOT NULL OR arrival_fever GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT trip_id, stat_refusal_metric(refusal), arrival_fever, CASE WHEN arrival_fever THEN alight_at END, -count(*)
      FROM old_rows WHERE stat_refusal_metric(refusal) IS NOT NULL OR arrival_fever GROUP BY 1, 2, 3, 4
    ) AS g(t, r, f, s, n) JOIN trips AS tr ON tr.id = g.t;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

-- The trip trigger, extended: transport as in 0002 (its appender now counts the moved
-- quantities too); and should an update change a trip's origin or destination (no mutation does;
-- a manual correction might), its passengers' refusals and arrival fevers move from the old keys
-- to the new ones. A status change alone (a departure, a cancellation) touches no health counter.
CREATE OR REPLACE FUNCTION stat_trips_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stat_append_trips(array_agg(t), array_agg(o), array_agg(d), array_agg(m), array_agg(s), array_agg(n))
    FROM (SELECT id, origin, destination, mode, status, 1::bigint FROM new_rows) AS g(t, o, d, m, s, n);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM stat_append_trips(array_agg(t), array_agg(o), array_agg(d), array_agg(m), array_agg(s), array_agg(n))
    FROM (SELECT id, origin, destination, mode, status, -1::bigint FROM old_rows) AS g(t, o, d, m, s, n);
  ELSE
    PERFORM stat_append_trips(array_agg(t), array_agg(o), array_agg(d), array_agg(m), array_agg(s), array_agg(n))
    FROM (
      SELECT id, origin, destination, mode, status, 1::bigint FROM new_rows
      UNION ALL
      SELECT id, origin, destination, mode, status, -1::bigint FROM old_rows
    ) AS g(t, o, d, m, s, n);
    PERFORM stat_append_passenger_health(array_agg(g.o), array_agg(g.de), array_agg(g.r), array_agg(g.f), array_agg(g.s), array_agg(g.n))
    FROM (
      SELECT e.origin, e.destination, stat_refusal_metric(p.refusal), p.arrival_fever,
        CASE WHEN p.arrival_fever THEN p.alight_at END, e.sign * count(*)
      FROM (
        SELECT nr.id, nr.origin, nr.destination, 1 AS sign FROM new_rows AS nr JOIN old_rows AS orow ON orow.id = nr.id
        WHERE nr.origin IS DISTINCT FROM orow.origin OR nr.destination IS DISTINCT FROM orow.destination
        UNION ALL
        SELECT orow.id, orow.origin, orow.destination, -1 FROM new_rows AS nr JOIN old_rows AS orow ON orow.id = nr.id
        WHERE nr.origin IS DISTINCT FROM orow.origin OR nr.destination IS DISTINCT FROM orow.destination
      ) AS e
      JOIN trip_passengers AS p ON p.trip_id = e.id
      WHERE stat_refusal_metric(p.refusal) IS NOT NULL OR p.arrival_fever
      GROUP BY e.id, e.origin, e.destination, e.sign, 3, 4, 5
    ) AS g(o, de, r, f, s, n);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

-- Observations: under every key of the region where it happens, `underObservation` while not
-- ended, `released` once ended RELEASED (TRANSFERRED_TO_HOSPITAL counts in neither).
CREATE FUNCTION stat_observation_deltas(place text, active boolean, released boolean, n bigint)
RETURNS TABLE(region text, metric text, delta bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT k, c.metric, n
  FROM stat_region_keys(place) AS k, (VALUES ('underObservation', active), ('released', released)) AS c(metric, counted)
  WHERE c.counted
$$;
--> statement-breakpoint

CREATE FUNCTION stat_append_observations(place text[], active boolean[], released boolean[], n bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'health', d.region, d.metric, sum(d.delta)
  FROM (
    SELECT r, a, l, sum(c)::bigint AS n FROM unnest(place, active, released, n) AS u(r, a, l, c)
    GROUP BY 1, 2, 3 HAVING sum(c) <> 0
  ) AS g, stat_observation_deltas(g.r, g.a, g.l, g.n) AS d
  GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0
$$;
--> statement-breakpoint

CREATE FUNCTION stat_observations_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stat_append_observations(array_agg(r), array_agg(a), array_agg(l), array_agg(n))
    FROM (SELECT region, ended_at IS NULL, outcome IS NOT DISTINCT FROM 'RELEASED', count(*) FROM new_rows GROUP BY 1, 2, 3) AS g(r, a, l, n);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM stat_append_observations(array_agg(r), array_agg(a), array_agg(l), array_agg(n))
    FROM (SELECT region, ended_at IS NULL, outcome IS NOT DISTINCT FROM 'RELEASED', -count(*) FROM old_rows GROUP BY 1, 2, 3) AS g(r, a, l, n);
  ELSE
    PERFORM stat_append_observations(array_agg(r), array_agg(a), array_agg(l), array_agg(n))
    FROM (
      SELECT region, ended_at IS NULL, outcome IS NOT DISTINCT FROM 'RELEASED', count(*) FROM new_rows GROUP BY 1, 2, 3
      UNION ALL
      SELECT region, ended_at IS NULL, outcome IS NOT DISTINCT FROM 'RELEASED', -count(*) FROM old_rows GROUP BY 1, 2, 3
    ) AS g(r, a, l, n);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE TRIGGER stat_observations_inserted AFTER INSERT ON observations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_observations_changed();
--> statement-breakpoint
CREATE TRIGGER stat_observations_updated AFTER UPDATE ON observations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_observations_changed();
--> statement-breakpoint
CREATE TRIGGER stat_observations_deleted AFTER DELETE ON observations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_observations_changed();
--> statement-breakpoint

-- Backfill of the new counters from the records already there, as of the migration's day (the
-- fold moves them into the totals). Workers under observation (counted as registered only so far):
INSERT INTO stat_delta (day, part, region, metric, delta)
SELECT stat_day(), 'workers', k, 'underObservation', count(*)
FROM workers, stat_region_keys(home_region) AS k
WHERE status = 'OBSERVATION'
GROUP BY k;
--> statement-breakpoint
-- Trips that moved and their boarded passengers.
INSERT INTO stat_delta (day, part, region, metric, delta)
SELECT stat_day(), 'transport', d.region, d.metric, sum(d.delta)
FROM (
  SELECT t.origin, t.destination, t.mode, count(*) AS trips, coalesce(sum(m.boarded), 0)::bigint AS passengers
  FROM trips AS t
  LEFT JOIN (SELECT trip_id, count(*) FILTER (WHERE boarded) AS boarded FROM trip_passengers GROUP BY trip_id) AS m ON m.trip_id = t.id
  WHERE stat_trip_moved(t.status)
  GROUP BY t.origin, t.destination, t.mode
) AS g, stat_trip_deltas(g.origin, g.destination, g.mode, 0, 0, g.trips, g.passengers) AS d
GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0;
--> statement-breakpoint
-- Refusals at the gate and fevers at arrival.
INSERT INTO stat_delta (day, part, region, metric, delta)
SELECT stat_day(), 'health', d.region, d.metric, sum(d.delta)
FROM (
  SELECT t.origin, t.destination, stat_refusal_metric(p.refusal) AS refused, p.arrival_fever AS fever,
    CASE WHEN p.arrival_fever THEN p.alight_at END AS stop, count(*) AS n
  FROM trip_passengers AS p JOIN trips AS t ON t.id = p.trip_id
  WHERE stat_refusal_metric(p.refusal) IS NOT NULL OR p.arrival_fever
  GROUP BY 1, 2, 3, 4, 5
) AS g, stat_passenger_health_deltas(g.origin, g.destination, g.refused, g.fever, g.stop, g.n) AS d
GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0;
--> statement-breakpoint
-- Observations.
INSERT INTO stat_delta (day, part, region, metric, delta)
SELECT stat_day(), 'health', d.region, d.metric, sum(d.delta)
FROM (
  SELECT region, ended_at IS NULL AS active, outcome IS NOT DISTINCT FROM 'RELEASED' AS released, count(*) AS n
  FROM observations GROUP BY 1, 2, 3
) AS g, stat_observation_deltas(g.region, g.active, g.released, g.n) AS d
GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0;
