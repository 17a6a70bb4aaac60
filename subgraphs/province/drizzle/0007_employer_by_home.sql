-- Review of #13: the employer that opens a worker's record (README, "Personal fields": the
-- enterprise that employs him) is the one his home side recorded (reportEmployment), never an
-- enterprise's own claim relayed to the home (reportStaffChange, confirmOnPost), which names the
-- employer but opens nothing. Employers recorded before were the home side's.
ALTER TABLE "workers" ADD COLUMN "employer_by_home" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "workers" SET "employer_by_home" = true WHERE "employer_id" IS NOT NULL;
