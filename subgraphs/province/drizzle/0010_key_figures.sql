-- Key figures (#15): the openings and filled openings of KEY enterprises (`keyOpenings`,
-- `keyFilled`, part `employment`), beside 0002's `keyEnterprises`. The enterprises trigger already
-- groups rows by (region, key, openings, filled) and appends old rows as -1 and new rows as +1, so
-- extending the deltas of one enterprise is enough: a key flip (setKeyEnterprise) moves the
-- enterprise's openings and filled openings into or out of the key counters, a demand or staff
-- change of a key enterprise moves them by the difference, and an update that changes nothing the
-- counters see (setting the key it already has) cancels out and writes nothing.
CREATE OR REPLACE FUNCTION stat_enterprise_deltas(place text, is_key boolean, openings bigint, filled bigint, n bigint)
RETURNS TABLE(region text, metric text, delta bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT k, c.metric, c.value * n
  FROM stat_region_keys(place) AS k,
       (VALUES ('enterprises', 1::bigint), ('keyEnterprises', is_key::int::bigint), ('openings', openings), ('filled', filled),
               ('keyOpenings', is_key::int * openings), ('keyFilled', is_key::int * filled)) AS c(metric, value)
  WHERE c.value <> 0
$$;
--> statement-breakpoint

-- Backfill of the key enterprises already there, as of the migration's day (the fold moves them
-- into the totals).
INSERT INTO stat_delta (day, part, region, metric, delta)
SELECT stat_day(), 'employment', d.region, d.metric, sum(d.delta)
FROM (SELECT region, key, openings::bigint, filled::bigint, count(*) AS n FROM enterprises WHERE key GROUP BY 1, 2, 3, 4) AS g(region, key, openings, filled, n),
     stat_enterprise_deltas(g.region, g.key, g.openings, g.filled, g.n) AS d
WHERE d.metric IN ('keyOpenings', 'keyFilled')
GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0;
