-- Job posts (#15, reports 001, 003, 004: the Spring Breeze online job fairs). A post belongs to
-- the enterprise's province (`job_posts`, counted); the province of every region it recruits from
-- keeps a copy (`job_post_copies`, never counted) to answer `matchWorkers` from its own workers.
-- A return request may name the post its worker was recruited through (`return_requests.job_id`);
-- once he is on post the post's `filled` goes up by one.
CREATE TABLE "job_posts" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"enterprise_id" text COLLATE "C" NOT NULL REFERENCES "enterprises"("id"),
	"title" text NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"openings" integer NOT NULL,
	"filled" integer DEFAULT 0 NOT NULL,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"recruits_from" text[] NOT NULL,
	"posted_at" timestamp with time zone DEFAULT date_trunc('milliseconds', now()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX "job_posts_region_idx" ON "job_posts" USING btree ("region","posted_at","id");
--> statement-breakpoint
CREATE INDEX "job_posts_posted_idx" ON "job_posts" USING btree ("posted_at","id");
--> statement-breakpoint
CREATE INDEX "job_posts_enterprise_idx" ON "job_posts" USING btree ("enterprise_id");
--> statement-breakpoint
CREATE TABLE "job_post_copies" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"enterprise_id" text COLLATE "C" NOT NULL,
	"title" text NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"openings" integer NOT NULL,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"recruits_from" text[] NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "return_requests" ADD COLUMN "job_id" text COLLATE "C" REFERENCES "job_posts"("id");
--> statement-breakpoint

-- n posts alike (same region) offering `openings` in all, as counter deltas under every key of
-- the region where the work is: `jobPosts` and `jobOpenings` of the employment part.
CREATE FUNCTION stat_job_post_deltas(place text, openings bigint, n bigint)
RETURNS TABLE(region text, metric text, delta bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT k, c.metric, c.value
  FROM stat_region_keys(place) AS k, (VALUES ('jobPosts', n), ('jobOpenings', openings)) AS c(metric, value)
  WHERE c.value <> 0
$$;
--> statement-breakpoint

CREATE FUNCTION stat_append_job_posts(place text[], openings bigint[], n bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO stat_delta (day, part, region, metric, delta)
  SELECT stat_day(), 'employment', d.region, d.metric, sum(d.delta)
  FROM (
    SELECT r, sum(o)::bigint AS o, sum(c)::bigint AS n FROM unnest(place, openings, n) AS u(r, o, c)
    GROUP BY 1 HAVING sum(c) <> 0 OR sum(o) <> 0
  ) AS g, stat_job_post_deltas(g.r, g.o, g.n) AS d
  GROUP BY d.region, d.metric HAVING sum(d.delta) <> 0
$$;
--> statement-breakpoint

-- A post counts 1 post and its openings under its region; `filled` changes count nothing here.
CREATE FUNCTION stat_job_posts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM stat_append_job_posts(array_agg(r), array_agg(o), array_agg(n))
    FROM (SELECT region, sum(openings)::bigint, count(*) FROM new_rows GROUP BY 1) AS g(r, o, n);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM stat_append_job_posts(array_agg(r), array_agg(o), array_agg(n))
    FROM (SELECT region, -sum(openings)::bigint, -count(*) FROM old_rows GROUP BY 1) AS g(r, o, n);
  ELSE
    PERFORM stat_append_job_posts(array_agg(r), array_agg(o), array_agg(n))
    FROM (
      SELECT region, sum(openings)::bigint, count(*) FROM new_rows GROUP BY 1
      UNION ALL
      SELECT region, -sum(openings)::bigint, -count(*) FROM old_rows GROUP BY 1
    ) AS g(r, o, n);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE TRIGGER stat_job_posts_inserted AFTER INSERT ON job_posts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_job_posts_changed();
--> statement-breakpoint
CREATE TRIGGER stat_job_posts_updated AFTER UPDATE ON job_posts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_job_posts_changed();
--> statement-breakpoint
CREATE TRIGGER stat_job_posts_deleted AFTER DELETE ON job_posts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_job_posts_changed();
