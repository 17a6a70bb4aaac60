CREATE TABLE "stat_daily" (
	"part" text NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"metric" text NOT NULL,
	"day" date NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "stat_daily_part_region_metric_day_pk" PRIMARY KEY("part","region","metric","day")
);
--> statement-breakpoint
CREATE TABLE "stat_delta" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"day" date NOT NULL,
	"part" text NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"metric" text NOT NULL,
	"delta" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stat_total" (
	"part" text NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"metric" text NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "stat_total_part_region_metric_pk" PRIMARY KEY("part","region","metric")
);
--> statement-breakpoint
CREATE INDEX "stat_delta_key_idx" ON "stat_delta" USING btree ("part","region","metric","day");