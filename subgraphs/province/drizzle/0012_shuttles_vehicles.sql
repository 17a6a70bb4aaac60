-- Shuttles and vehicles (#15; report 004, Hebei: "154 runs, 6,864 person-trips", "474 vehicles").
-- - trips.shuttle_id: the first run's id, on every run of a trip planned with `runs` (a shuttle:
--   the same vehicle on the same route and stops, each run a trip of its own); null for a trip
--   planned without runs (its runs are itself alone).
-- - transport counters `vehicles.{BUS|FLIGHT|TRAIN}`: distinct vehicles (mode and vehicle code) of
--   the trips not CANCELLED whose origin or destination is inside the key. A distinct count is no
--   additive delta: stat_vehicle_use keeps, per (key, mode, vehicle code), how many counted trips
--   use it; the trips trigger moves those uses with one upsert per statement and appends +1 when a
--   use goes 0 → positive, −1 when it goes back to 0 (subgraphs/province/src/summary/README.md).

ALTER TABLE trips ADD COLUMN shuttle_id text COLLATE "C";
--> statement-breakpoint
CREATE INDEX trips_shuttle_idx ON trips (shuttle_id, departure_at, id) WHERE shuttle_id IS NOT NULL;
--> statement-breakpoint

-- How many counted trips (not CANCELLED) use a vehicle under a counter key; a row that falls back
-- to 0 stays (a later trip of the vehicle finds it and locks it, never racing a delete).
CREATE TABLE stat_vehicle_use (
  region text COLLATE "C" NOT NULL,
  mode text NOT NULL,
  vehicle_code text NOT NULL,
  trips bigint NOT NULL,
  PRIMARY KEY (region, mode, vehicle_code)
);
--> statement-breakpoint

-- The keys under which a trip counts its vehicle: every key of its origin or of its destination,
-- once each (a key holding both counts it once).
CREATE FUNCTION stat_trip_vehicle_keys(origin text, destination text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT stat_region_keys(origin) UNION SELECT stat_region_keys(destination)
$$;
--> statement-breakpoint

-- Appender of vehicle uses: groups (mode, vehicle, origin, destination) with their net count of
-- counted trips (n < 0: trips that stopped counting), moves the uses per key in ONE upsert (in
-- key order, so two statements lock the rows they share in one order), and appends the uses that
-- went 0 → positive (+1) or positive → 0 (−1) as `vehicles.<mode>` deltas. Under READ COMMITTED
-- the upsert waits for a concurrent transaction holding the same use and then adds to the value
-- it committed (or inserts, if it rolled back): exactly one of two transactions sees 0 → 1.
CREATE FUNCTION stat_append_vehicles(mode text[], vehicle text[], origin text[], destination text[], n bigint[]) RETURNS void LANGUAGE sql AS $$
  WITH change AS (
    SELECT k AS region, g.m AS mode, g.v AS vehicle_code, sum(g.n)::bigint AS delta
    FROM (
      SELECT m, v, o, de, sum(c)::bigint AS n FROM unnest(mode, vehicle, origin, destination, n) AS u(m, v, o, de, c)
      GROUP BY 1, 2, 3, 4 HAVING sum(c) <> 0
    ) AS g, stat_trip_vehicle_keys(g.o, g.de) AS k
    GROUP BY 1, 2, 3 HAVING sum(g.n) <> 0
  ),
  used AS (
    INSERT INTO stat_vehicle_use AS u (region, mode, vehicle_code, trips)
    SELECT region, mode, vehicle_code, delta FROM change ORDER BY 1, 2, 3
    ON CONFLICT (region, mode, vehicle_code) DO UPDATE SET trips = u.trips + excluded.trips
    RETURNING u.region, u.mode, u.vehicle_code, u.trips
  )
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'transport', x.region, 'vehicles.' || x.mode, sum(x.delta)
  FROM (
    SELECT used.region, used.mode,
      CASE WHEN used.trips > 0 AND used.trips = change.delta THEN 1
           WHEN used.trips = 0 AND change.delta < 0 THEN -1 ELSE 0 END AS delta
    FROM used JOIN change USING (region, mode, vehicle_code)
  ) AS x
  GROUP BY x.region, x.mode HAVING sum(x.delta) <> 0
$$;
--> statement-breakpoint

-- The trip trigger of 0009, extended with the vehicle uses: a trip counts its vehicle while not
-- CANCELLED; an update that changes neither its status class, nor its mode, vehicle code, origin
-- or destination moves no use (a departure, an arrival, an ETA).
CREATE OR REPLACE FUNCTION stat_trips_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stat_append_trips(array_agg(t), array_agg(o), array_agg(d), array_agg(m), array_agg(s), array_agg(n))
    FROM (SELECT id, origin, destination, mode, status, 1::bigint FROM new_rows) AS g(t, o, d, m, s, n);
    PERFORM stat_append_vehicles(array_agg(m), array_agg(v), array_agg(o), array_agg(d), array_agg(n))
    FROM (
      SELECT mode, vehicle_code, origin, destination, count(*) FROM new_rows WHERE status <> 'CANCELLED' GROUP BY 1, 2, 3, 4
    ) AS g(m, v, o, d, n);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM stat_append_trips(array_agg(t), array_agg(o), array_agg(d), array_agg(m), array_agg(s), array_agg(n))
    FROM (SELECT id, origin, destination, mode, status, -1::bigint FROM old_rows) AS g(t, o, d, m, s, n);
    PERFORM stat_append_vehicles(array_agg(m), array_agg(v), array_agg(o), array_agg(d), array_agg(n))
    FROM (
      SELECT mode, vehicle_code, origin, destination, -count(*) FROM old_rows WHERE status <> 'CANCELLED' GROUP BY 1, 2, 3, 4
    ) AS g(m, v, o, d, n);
  ELSE
    PERFORM stat_append_trips(array_agg(t), array_agg(o), array_agg(d), array_agg(m), array_agg(s), array_agg(n))
    FROM (
      SELECT id, origin, destination, mode, status, 1::bigint FROM new_rows
      UNION ALL
      SELECT id, origin, destination, mode, status, -1::bigint FROM old_rows
    ) AS g(t, o, d, m, s, n);
    PERFORM stat_append_vehicles(array_agg(m), array_agg(v), array_agg(o), array_agg(d), array_agg(n))
    FROM (
      SELECT mode, vehicle_code, origin, destination, count(*) FROM new_rows WHERE status <> 'CANCELLED' GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT mode, vehicle_code, origin, destination, -count(*) FROM old_rows WHERE status <> 'CANCELLED' GROUP BY 1, 2, 3, 4
    ) AS g(m, v, o, d, n);
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

-- Backfill: the uses of the trips already there, and their distinct vehicles as deltas dated on
-- the migration's day (a past day before it reads 0 vehicles).
INSERT INTO stat_vehicle_use (region, mode, vehicle_code, trips)
SELECT k, mode, vehicle_code, count(*)
FROM trips, stat_trip_vehicle_keys(origin, destination) AS k
WHERE status <> 'CANCELLED'
GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO stat_delta (day, part, region, metric, delta)
SELECT stat_day(), 'transport', region, 'vehicles.' || mode, count(*)
FROM stat_vehicle_use
WHERE trips > 0
GROUP BY 1, 2, 3, 4;
