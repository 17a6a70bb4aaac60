-- Province figures from the province (#17.2): a province's Summary is answered by that province
-- alone (`@shard(by: ["scope"])` on the transport and health parts), so the trips organised
-- elsewhere that touch it are counted here, from their relayed copies.
-- - The organiser tells a copy (TRIP_COPY) to every other province holding the trip's origin,
--   destination or a stop (`transport/tell-origin.ts`); `trip_copies.keeper` is the 2-digit code of
--   the province keeping it (this one). Null: a copy written before 0015 or by the previous release,
--   which kept origin copies only, so `left(origin, 2)`.
-- - Statement-level triggers on trip_copies count each copy's contributions with the functions of
--   an own trip (stat_trip_deltas with the corridors, the vehicle uses, stat_passenger_health_deltas)
--   but ONLY under the keeper's keys: never the nation '' (the organiser counts its trips there
--   once) nor another province's keys (that province counts its own copy). An upsert of a copy
--   appends new − old, so a replayed fact (the same copy) appends nothing and a departure, an
--   arrival or a cancellation moves the counters like on the organiser's side.
-- - A copy's vehicle counts per organising province (`<organiser province>:<vehicle code>` in
--   stat_vehicle_use), so the sum over provinces stays what each organiser counted (DESIGN.md: a
--   vehicle serving two provinces counts in both).
-- - A copy's fever at arrival is `arrivalFever` of its relayed manifest (the organiser's threshold);
--   copies written before 0015 carry only the temperature and are read with the default threshold
--   37.3 (the backfill below writes the flag).
-- Additive: a nullable column, new functions and triggers; the previous release writes copies
-- without keeper, which the triggers read as origin copies.

ALTER TABLE "trip_copies" ADD COLUMN "keeper" text COLLATE "C";
--> statement-breakpoint
UPDATE trip_copies SET keeper = left(origin, 2),
  passengers = (
    SELECT coalesce(jsonb_agg(CASE WHEN p ? 'arrivalFever' OR NOT (p ? 'arrivalTemperature') THEN p
      ELSE p || jsonb_build_object('arrivalFever', (p->>'arrivalTemperature')::float8 >= 37.3) END ORDER BY i), '[]'::jsonb)
    FROM jsonb_array_elements(passengers) WITH ORDINALITY AS e(p, i))
WHERE keeper IS NULL;
--> statement-breakpoint
CREATE INDEX "trip_copies_destination_idx" ON "trip_copies" USING btree ("destination");
--> statement-breakpoint

-- Appender of copies' counters: n copies (n < 0: the old rows of an update or a deletion) of the
-- given keepers, ends, mode, vehicle, status and relayed manifest. Keys outside the keeper's
-- province (and the nation '') are dropped.
CREATE FUNCTION stat_append_trip_copies(keeper text[], organizer text[], origin text[], destination text[], mode text[], vehicle text[], status text[], passengers jsonb[], n bigint[]) RETURNS void LANGUAGE sql AS $$
  -- transport: sides, quantities, modes and corridors (stat_trip_deltas), people from the manifest
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'transport', d.region, d.metric, sum(d.delta)
  FROM (
    SELECT u.k, u.o, u.de, u.m,
      sum(u.c * (u.s <> 'CANCELLED')::int)::bigint AS trips,
      sum(u.c * stat_trip_passengers(u.s, jsonb_array_length(u.p), people.boarded))::bigint AS passengers,
      sum(u.c * stat_trip_moved(u.s)::int)::bigint AS moved_trips,
      sum(u.c * stat_trip_moved(u.s)::int * people.boarded)::bigint AS moved_passengers
    FROM unnest(keeper, origin, destination, mode, status, passengers, n) AS u(k, o, de, m, s, p, c)
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE (e->>'boarded')::boolean) AS boarded FROM jsonb_array_elements(u.p) AS e
    ) AS people
    GROUP BY 1, 2, 3, 4
  ) AS g, stat_trip_deltas(g.o, g.de, g.m, g.trips, g.passengers, g.moved_trips, g.moved_passengers) AS d
  WHERE d.region <> '' AND left(d.region, 2) = g.k
  GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0;

  -- vehicles: the uses of stat_append_vehicles (0012), under the keeper's keys, per organiser
  WITH change AS (
    SELECT key AS region, u.m AS mode, left(u.org, 2) || ':' || u.v AS vehicle_code,
      sum(u.c * (u.s <> 'CANCELLED')::int)::bigint AS delta
    FROM unnest(keeper, organizer, origin, destination, mode, vehicle, status, n) AS u(k, org, o, de, m, v, s, c),
      stat_trip_vehicle_keys(u.o, u.de) AS key
    WHERE key <> '' AND left(key, 2) = u.k
    GROUP BY 1, 2, 3 HAVING sum(u.c * (u.s <> 'CANCELLED')::int) <> 0
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
  GROUP BY x.region, x.mode HAVING sum(x.delta) <> 0;

  -- health: refusals under the origin's keys, fevers at arrival under the stop's (0009)
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'health', d.region, d.metric, sum(d.delta)
  FROM (
    SELECT u.k, u.o, u.de, stat_refusal_metric(e->>'refusal') AS r, coalesce((e->>'arrivalFever')::boolean, false) AS f,
      CASE WHEN (e->>'arrivalFever')::boolean THEN e->>'alightAt' END AS st, sum(u.c)::bigint AS n
    FROM unnest(keeper, origin, destination, passengers, n) AS u(k, o, de, p, c), jsonb_array_elements(u.p) AS e
    WHERE stat_refusal_metric(e->>'refusal') IS NOT NULL OR coalesce((e->>'arrivalFever')::boolean, false)
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(u.c) <> 0
  ) AS g, stat_passenger_health_deltas(g.o, g.de, g.r, g.f, g.st, g.n) AS d
  WHERE d.region <> '' AND left(d.region, 2) = g.k
  GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0;
$$;
--> statement-breakpoint

CREATE FUNCTION stat_trip_copies_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stat_append_trip_copies(array_agg(k), array_agg(org), array_agg(o), array_agg(de), array_agg(m), array_agg(v), array_agg(s), array_agg(p), array_agg(n))
    FROM (SELECT coalesce(keeper, left(origin, 2)), organizer, origin, destination, mode, vehicle_code, status, passengers, 1::bigint FROM new_rows) AS g(k, org, o, de, m, v, s, p, n);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM stat_append_trip_copies(array_agg(k), array_agg(org), array_agg(o), array_agg(de), array_agg(m), array_agg(v), array_agg(s), array_agg(p), array_agg(n))
    FROM (SELECT coalesce(keeper, left(origin, 2)), organizer, origin, destination, mode, vehicle_code, status, passengers, -1::bigint FROM old_rows) AS g(k, org, o, de, m, v, s, p, n);
  ELSE
    PERFORM stat_append_trip_copies(array_agg(k), array_agg(org), array_agg(o), array_agg(de), array_agg(m), array_agg(v), array_agg(s), array_agg(p), array_agg(n))
    FROM (
      SELECT coalesce(keeper, left(origin, 2)), organizer, origin, destination, mode, vehicle_code, status, passengers, 1::bigint FROM new_rows
      UNION ALL
      SELECT coalesce(keeper, left(origin, 2)), organizer, origin, destination, mode, vehicle_code, status, passengers, -1::bigint FROM old_rows
    ) AS g(k, org, o, de, m, v, s, p, n);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE TRIGGER stat_trip_copies_inserted AFTER INSERT ON trip_copies REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_trip_copies_changed();
--> statement-breakpoint
CREATE TRIGGER stat_trip_copies_updated AFTER UPDATE ON trip_copies REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_trip_copies_changed();
--> statement-breakpoint
CREATE TRIGGER stat_trip_copies_deleted AFTER DELETE ON trip_copies REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_trip_copies_changed();
--> statement-breakpoint

-- Backfill: the copies already kept (origin copies), counted as of the migration's day.
SELECT stat_append_trip_copies(array_agg(keeper), array_agg(organizer), array_agg(origin), array_agg(destination), array_agg(mode), array_agg(vehicle_code), array_agg(status), array_agg(passengers), array_agg(1::bigint))
FROM trip_copies HAVING count(*) > 0;
