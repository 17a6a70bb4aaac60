-- Statistics counters (subgraphs/province/src/summary/README.md explains the design).
-- Every statement that writes workers, enterprises, trips or trip_passengers appends its net
-- effect on the counters to stat_delta, in the same transaction: ONE aggregated multi-row INSERT
-- per statement (statement-level triggers over the transition tables), whatever the row count.
-- Rows that a statement leaves unchanged for the counters cancel out before anything is written.

-- The day of a change: the calendar day of the transaction's start in China Standard Time
-- (UTC+8, no daylight saving since 1991), unless the session sets p2p.stat_day (YYYY-MM-DD) —
-- for tests and for imports of history that happened on another day.
CREATE FUNCTION stat_day() RETURNS date LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('p2p.stat_day', true), '')::date,
                  ((now() AT TIME ZONE 'UTC') + interval '8 hours')::date)
$$;
--> statement-breakpoint

-- The counter keys of a region code: its prefixes at the nation (''), province (2 digits), city
-- (4), county (6) and township (9) levels, as far as the code goes. A scope reads the one key that
-- is its own prefix (src/summary/scope.ts), exactly the records a LIKE 'prefix%' filter matches.
CREATE FUNCTION stat_region_keys(code text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT left(code, n) FROM unnest(ARRAY[0, 2, 4, 6, 9]) AS n WHERE n <= length(code)
$$;
--> statement-breakpoint

-- What one worker counts for: registered, his status, priority (registered-poor households) and
-- Hebei's flow class of his work region compared with his home region.
CREATE FUNCTION stat_worker_metrics(home text, work text, status text, poverty text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT m FROM unnest(ARRAY[
    'registered',
    CASE status WHEN 'AT_HOME' THEN 'atHome' WHEN 'TRAVELLING' THEN 'travelling' WHEN 'AT_WORK' THEN 'atWork' END,
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

-- n workers alike, as counter deltas (n < 0 removes them).
CREATE FUNCTION stat_worker_deltas(home text, work text, status text, poverty text, n bigint)
RETURNS TABLE(region text, metric text, delta bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT k, m, n FROM stat_region_keys(home) AS k, stat_worker_metrics(home, work, status, poverty) AS m
$$;
--> statement-breakpoint

-- n enterprises alike, as counter deltas.
CREATE FUNCTION stat_enterprise_deltas(place text, is_key boolean, openings bigint, filled bigint, n bigint)
RETURNS TABLE(region text, metric text, delta bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT k, c.metric, c.value * n
  FROM stat_region_keys(place) AS k,
       (VALUES ('enterprises', 1::bigint), ('keyEnterprises', is_key::int::bigint), ('openings', openings), ('filled', filled)) AS c(metric, value)
  WHERE c.value <> 0
$$;
--> statement-breakpoint

-- How many people a trip counts: those assigned while PLANNED, those who boarded once it left,
-- none when CANCELLED (the rule of the former COUNT query).
CREATE FUNCTION stat_trip_passengers(status text, assigned bigint, boarded bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE status WHEN 'CANCELLED' THEN 0 WHEN 'PLANNED' THEN assigned ELSE boarded END
$$;
--> statement-breakpoint

-- Trips (and their people) as counter deltas, under three sides per key: `from` (origin inside
-- the key), `to` (destination inside) and `within` (both inside). A scope then reads
-- internal = within, outbound = from - within, inbound = to - within.
CREATE FUNCTION stat_trip_deltas(origin text, destination text, mode text, trips bigint, passengers bigint)
RETURNS TABLE(region text, metric text, delta bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT s.k, s.side || '.' || c.what || '.' || mode, c.value
  FROM (
    SELECT 'from' AS side, k FROM stat_region_keys(origin) AS k
    UNION ALL SELECT 'to', k FROM stat_region_keys(destination) AS k
    UNION ALL SELECT 'within', k FROM stat_region_keys(origin) AS k WHERE k IN (SELECT stat_region_keys(destination))
  ) AS s,
  (VALUES ('trips', trips), ('passengers', passengers)) AS c(what, value)
  WHERE c.value <> 0
$$;
--> statement-breakpoint

-- Appenders: the net changes of one statement (rows grouped by what the counters see, n < 0
-- for removed rows) as ONE aggregated multi-row INSERT into stat_delta. Groups that cancel out
-- (a row updated without a change the counters see) write nothing.
CREATE FUNCTION stat_append_workers(home text[], work text[], status text[], poverty text[], n bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'workers', d.region, d.metric, sum(d.delta)
  FROM (
    SELECT h, w, s, p, sum(c)::bigint AS n FROM unnest(home, work, status, poverty, n) AS u(h, w, s, p, c)
    GROUP BY 1, 2, 3, 4 HAVING sum(c) <> 0
  ) AS g, stat_worker_deltas(g.h, g.w, g.s, g.p, g.n) AS d
  GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0
$$;
--> statement-breakpoint

CREATE FUNCTION stat_append_enterprises(place text[], is_key boolean[], openings bigint[], filled bigint[], n bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'employment', d.region, d.metric, sum(d.delta)
  FROM (
    SELECT r, k, o, f, sum(c)::bigint AS n FROM unnest(place, is_key, openings, filled, n) AS u(r, k, o, f, c)
    GROUP BY 1, 2, 3, 4 HAVING sum(c) <> 0
  ) AS g, stat_enterprise_deltas(g.r, g.k, g.o, g.f, g.n) AS d
  GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0
$$;
--> statement-breakpoint

-- A trip row counts 1 trip (unless CANCELLED) and its people as stat_trip_passengers says, with
-- the manifest as it is now: the passenger trigger keeps the counters equal to that after every
-- statement, and every mutation locks the trip row before it touches the trip or its manifest.
CREATE FUNCTION stat_append_trips(trip text[], origin text[], destination text[], mode text[], status text[], n bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'transport', d.region, d.metric, sum(d.delta)
  FROM (
    SELECT t, o, de, m, s, sum(c)::bigint AS n FROM unnest(trip, origin, destination, mode, status, n) AS u(t, o, de, m, s, c)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(c) <> 0
  ) AS g
  CROSS JOIN LATERAL (
    SELECT count(*) AS assigned, count(*) FILTER (WHERE p.boarded) AS boarded FROM trip_passengers AS p WHERE p.trip_id = g.t
  ) AS people
  CROSS JOIN LATERAL stat_trip_deltas(g.o, g.de, g.m, g.n * (g.s <> 'CANCELLED')::int, g.n * stat_trip_passengers(g.s, people.assigned, people.boarded)) AS d
  GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0
$$;
--> statement-breakpoint

-- Manifest rows count for their trip's people as the trip's status says (the trip as it is now).
CREATE FUNCTION stat_append_passengers(trip text[], boarded boolean[], n bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'transport', d.region, d.metric, sum(d.delta)
  FROM (
    SELECT t.origin, t.destination, t.mode, sum(g.n * stat_trip_passengers(t.status, 1, g.b::int))::bigint AS passengers
    FROM (
      SELECT tr, b, sum(c)::bigint AS n FROM unnest(trip, boarded, n) AS u(tr, b, c) GROUP BY 1, 2 HAVING sum(c) <> 0
    ) AS g
    JOIN trips AS t ON t.id = g.tr
    GROUP BY t.id, t.origin, t.destination, t.mode
  ) AS p, stat_trip_deltas(p.origin, p.destination, p.mode, 0, p.passengers) AS d
  GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0
$$;
--> statement-breakpoint

-- The statement triggers: rows of the transition tables grouped by what the counters see
-- (+count for new rows, -count for old rows), handed to the appender. A transition table exists
-- only for its events, hence one branch per event.
CREATE FUNCTION stat_workers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stat_append_workers(array_agg(h), array_agg(w), array_agg(s), array_agg(p), array_agg(n))
    FROM (SELECT home_region, work_region, status, poverty_status, count(*) FROM new_rows GROUP BY 1, 2, 3, 4) AS g(h, w, s, p, n);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM stat_append_workers(array_agg(h), array_agg(w), array_agg(s), array_agg(p), array_agg(n))
    FROM (SELECT home_region, work_region, status, poverty_status, -count(*) FROM old_rows GROUP BY 1, 2, 3, 4) AS g(h, w, s, p, n);
  ELSE
    PERFORM stat_append_workers(array_agg(h), array_agg(w), array_agg(s), array_agg(p), array_agg(n))
    FROM (
      SELECT home_region, work_region, status, poverty_status, count(*) FROM new_rows GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT home_region, work_region, status, poverty_status, -count(*) FROM old_rows GROUP BY 1, 2, 3, 4
    ) AS g(h, w, s, p, n);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE FUNCTION stat_enterprises_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stat_append_enterprises(array_agg(r), array_agg(k), array_agg(o), array_agg(f), array_agg(n))
    FROM (SELECT region, key, openings::bigint, filled::bigint, count(*) FROM new_rows GROUP BY 1, 2, 3, 4) AS g(r, k, o, f, n);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM stat_append_enterprises(array_agg(r), array_agg(k), array_agg(o), array_agg(f), array_agg(n))
    FROM (SELECT region, key, openings::bigint, filled::bigint, -count(*) FROM old_rows GROUP BY 1, 2, 3, 4) AS g(r, k, o, f, n);
  ELSE
    PERFORM stat_append_enterprises(array_agg(r), array_agg(k), array_agg(o), array_agg(f), array_agg(n))
    FROM (
      SELECT region, key, openings::bigint, filled::bigint, count(*) FROM new_rows GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT region, key, openings::bigint, filled::bigint, -count(*) FROM old_rows GROUP BY 1, 2, 3, 4
    ) AS g(r, k, o, f, n);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE FUNCTION stat_trips_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE FUNCTION stat_passengers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stat_append_passengers(array_agg(t), array_agg(b), array_agg(n))
    FROM (SELECT trip_id, boarded, count(*) FROM new_rows GROUP BY 1, 2) AS g(t, b, n);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM stat_append_passengers(array_agg(t), array_agg(b), array_agg(n))
    FROM (SELECT trip_id, boarded, -count(*) FROM old_rows GROUP BY 1, 2) AS g(t, b, n);
  ELSE
    PERFORM stat_append_passengers(array_agg(t), array_agg(b), array_agg(n))
    FROM (
      SELECT trip_id, boarded, count(*) FROM new_rows GROUP BY 1, 2
      UNION ALL
      SELECT trip_id, boarded, -count(*) FROM old_rows GROUP BY 1, 2
    ) AS g(t, b, n);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE TRIGGER stat_workers_inserted AFTER INSERT ON workers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_workers_changed();
--> statement-breakpoint
CREATE TRIGGER stat_workers_updated AFTER UPDATE ON workers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_workers_changed();
--> statement-breakpoint
CREATE TRIGGER stat_workers_deleted AFTER DELETE ON workers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_workers_changed();
--> statement-breakpoint
CREATE TRIGGER stat_enterprises_inserted AFTER INSERT ON enterprises REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_enterprises_changed();
--> statement-breakpoint
CREATE TRIGGER stat_enterprises_updated AFTER UPDATE ON enterprises REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_enterprises_changed();
--> statement-breakpoint
CREATE TRIGGER stat_enterprises_deleted AFTER DELETE ON enterprises REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_enterprises_changed();
--> statement-breakpoint
CREATE TRIGGER stat_trips_inserted AFTER INSERT ON trips REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_trips_changed();
--> statement-breakpoint
CREATE TRIGGER stat_trips_updated AFTER UPDATE ON trips REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_trips_changed();
--> statement-breakpoint
CREATE TRIGGER stat_trips_deleted AFTER DELETE ON trips REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_trips_changed();
--> statement-breakpoint
CREATE TRIGGER stat_passengers_inserted AFTER INSERT ON trip_passengers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_passengers_changed();
--> statement-breakpoint
CREATE TRIGGER stat_passengers_updated AFTER UPDATE ON trip_passengers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_passengers_changed();
--> statement-breakpoint
CREATE TRIGGER stat_passengers_deleted AFTER DELETE ON trip_passengers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_passengers_changed();
--> statement-breakpoint

-- Backfill: a database that already holds records gets their counters, as of the migration's
-- day (there is no history of earlier days to rebuild). The fold moves them into the totals.
INSERT INTO stat_delta (day, part, region, metric, delta)
SELECT stat_day(), 'workers', d.region, d.metric, sum(d.delta)
FROM (SELECT home_region, work_region, status, poverty_status, count(*) AS n FROM workers GROUP BY 1, 2, 3, 4) AS g,
     stat_worker_deltas(g.home_region, g.work_region, g.status, g.poverty_status, g.n) AS d
GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0;
--> statement-breakpoint
INSERT INTO stat_delta (day, part, region, metric, delta)
SELECT stat_day(), 'employment', d.region, d.metric, sum(d.delta)
FROM (SELECT region, key, openings, filled, count(*) AS n FROM enterprises GROUP BY 1, 2, 3, 4) AS g,
     stat_enterprise_deltas(g.region, g.key, g.openings, g.filled, g.n) AS d
GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0;
--> statement-breakpoint
INSERT INTO stat_delta (day, part, region, metric, delta)
SELECT stat_day(), 'transport', d.region, d.metric, sum(d.delta)
FROM (
  SELECT t.origin, t.destination, t.mode,
    count(*) FILTER (WHERE t.status <> 'CANCELLED') AS trips,
    sum(stat_trip_passengers(t.status, coalesce(m.assigned, 0), coalesce(m.boarded, 0)))::bigint AS passengers
  FROM trips AS t
  LEFT JOIN (
    SELECT trip_id, count(*) AS assigned, count(*) FILTER (WHERE boarded) AS boarded FROM trip_passengers GROUP BY trip_id
  ) AS m ON m.trip_id = t.id
  GROUP BY t.origin, t.destination, t.mode
) AS g, stat_trip_deltas(g.origin, g.destination, g.mode, g.trips, g.passengers) AS d
GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0;
