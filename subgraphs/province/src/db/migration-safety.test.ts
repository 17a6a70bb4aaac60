import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONTRACT_VERSION, parseContractVersion } from '@p2p/schema';
import { describe, expect, it } from 'vitest';
import { contractStepMarkers, unsafeStatements } from './migration-safety.js';

const folder = fileURLToPath(new URL('../../drizzle/', import.meta.url));
const migrations = readdirSync(folder)
  .filter((f) => f.endsWith('.sql'))
  .sort();
const journal = JSON.parse(readFileSync(`${folder}meta/_journal.json`, 'utf8')) as {
  entries: { tag: string }[];
};

/** A release a contract step may name: an older contract version, or `0.x` (before versions). */
function isEarlierRelease(release: string): boolean {
  if (release === '0.x') return true;
  const v = parseContractVersion(release);
  return (
    !!v &&
    (v.major < CONTRACT_VERSION.major ||
      (v.major === CONTRACT_VERSION.major && v.minor < CONTRACT_VERSION.minor))
  );
}

describe('migrations keep expand → migrate → contract', () => {
  it('should list every migration file in the journal', () => {
    expect(journal.entries.map((e) => `${e.tag}.sql`)).toEqual(migrations);
  });

  it.each(migrations)(
    'should only expand in %s, or be marked a contract step naming an earlier release and why',
    (file) => {
      const sql = readFileSync(`${folder}${file}`, 'utf8');
      const unsafe = unsafeStatements(sql);
      const markers = contractStepMarkers(sql);
      if (!markers.length) {
        expect(
          unsafe,
          `${file} must only expand, or carry "-- contract-step after <release>: <why>"`,
        ).toEqual([]);
        return;
      }
      // A marker without anything to excuse is stale: it would hide the next destructive change.
      expect(unsafe.length, `${file} is marked a contract step but only expands`).toBeGreaterThan(0);
      for (const { release, why } of markers) {
        expect(isEarlierRelease(release), `${file}: "${release}" is not a release before this one`).toBe(
          true,
        );
        expect(why.length, `${file}: say why it is safe`).toBeGreaterThan(20);
      }
    },
  );
});

describe('unsafeStatements', () => {
  it('should find each destructive change', () => {
    const rules = (sql: string) => unsafeStatements(sql).map((u) => u.rule);
    expect(rules('DROP TABLE "workers";')).toEqual(['drops a table']);
    expect(rules('ALTER TABLE "workers" DROP COLUMN "name";')).toEqual(['drops a column']);
    expect(rules('ALTER TABLE workers DROP "name";')).toEqual(['drops a column']);
    expect(rules('ALTER TABLE "t" DROP CONSTRAINT "t_pkey";')).toEqual(['drops a constraint']);
    expect(rules('DROP INDEX IF EXISTS "workers_idx";')).toEqual([
      'drops an index, function, trigger, type, view or sequence',
    ]);
    expect(rules('ALTER TABLE "workers" RENAME COLUMN "name" TO "full_name";')).toEqual(['renames']);
    expect(rules('ALTER TABLE "trips" ALTER COLUMN "capacity" TYPE bigint;')).toEqual([
      "changes a column's type",
    ]);
    expect(rules('ALTER TABLE "trips" ALTER COLUMN "capacity" SET DATA TYPE bigint;')).toEqual([
      "changes a column's type",
    ]);
    expect(rules('ALTER TABLE "trips" ALTER COLUMN "organizer" SET NOT NULL;')).toEqual([
      'makes a column NOT NULL',
    ]);
    expect(rules('ALTER TABLE "trips" ADD COLUMN "x" text NOT NULL;')).toEqual([
      'adds a NOT NULL column without a default',
    ]);
    expect(rules('ALTER TABLE "trips" ADD CONSTRAINT "u" UNIQUE ("vehicle_code");')).toEqual([
      'adds a primary key or uniqueness to an existing table',
    ]);
    expect(rules('CREATE UNIQUE INDEX "u" ON "trips" ("vehicle_code");')).toEqual([
      'adds a unique index to an existing table',
    ]);
    expect(rules('ALTER TABLE "trips" ADD CONSTRAINT "c" CHECK ("capacity" > 0);')).toEqual([
      'adds a check on columns of an existing table',
    ]);
    expect(rules('DELETE FROM "outbox";')).toEqual(['deletes rows']);
    expect(rules('TRUNCATE "outbox";')).toEqual(['deletes rows']);
  });

  it('should let additions, backfills and changes inside new tables or function bodies through', () => {
    const sql = `
      -- DROP TABLE "workers"; in a comment
      CREATE TABLE "posts" ("id" text PRIMARY KEY, "n" int NOT NULL);--> statement-breakpoint
      ALTER TABLE "posts" ADD CONSTRAINT "posts_n" UNIQUE ("n");
      CREATE UNIQUE INDEX "posts_idx" ON "posts" ("n");
      ALTER TABLE "trips" ADD COLUMN "shuttle_id" text;
      ALTER TABLE "trips" ADD COLUMN "fever" boolean DEFAULT false NOT NULL;
      ALTER TABLE "trips" ADD COLUMN "refusal" text;
      ALTER TABLE "trips" ADD CONSTRAINT "refusal_check" CHECK ("trips"."refusal" IN ('FEVER', 'DROP TABLE'));
      ALTER TABLE "trips" ALTER COLUMN "note" DROP NOT NULL;
      UPDATE "trips" SET "shuttle_id" = "id";
      CREATE INDEX "trips_shuttle_idx" ON "trips" ("shuttle_id");
      CREATE OR REPLACE FUNCTION f() RETURNS void LANGUAGE sql AS $$ DELETE FROM "stat_delta"; DROP TABLE x $$;
    `;
    expect(unsafeStatements(sql)).toEqual([]);
  });

  it('should read contract-step markers', () => {
    expect(
      contractStepMarkers(
        '-- contract-step after 1.0: 1.0 no longer reads the column\nALTER TABLE t DROP c;',
      ),
    ).toEqual([{ release: '1.0', why: '1.0 no longer reads the column' }]);
    expect(contractStepMarkers('-- contract step: not the marker')).toEqual([]);
  });
});
