-- The province's own database login (#18, docs/release.md "The keys"). The postgres image runs
-- this once, when the data volume is first created, as POSTGRES_USER (the superuser) on
-- POSTGRES_DB, with the environment of postgres-<code>.env (`npm run keys`). The province runs
-- its migrations at start, so its role owns the database and its public schema; it is no
-- superuser and cannot create roles or databases.
\set ON_ERROR_STOP on
\getenv owner P2P_OWNER_USER
\getenv owner_password P2P_OWNER_PASSWORD
\getenv database POSTGRES_DB
\if :{?owner}
\else
DO $$ BEGIN RAISE EXCEPTION 'P2P_OWNER_USER is not set (postgres-<code>.env, npm run keys)'; END $$;
\endif
\if :{?owner_password}
\else
DO $$ BEGIN RAISE EXCEPTION 'P2P_OWNER_PASSWORD is not set (postgres-<code>.env, npm run keys)'; END $$;
\endif

CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'owner_password';
ALTER DATABASE :"database" OWNER TO :"owner";
ALTER SCHEMA public OWNER TO :"owner";
