/**
 * The expand → migrate → contract rule for migrations (docs/upgrades.md): during a rolling upgrade
 * the previous release keeps running against a database migrated to head, so a migration may only
 * add (tables, nullable or defaulted columns, indexes, functions) and backfill. What would break
 * the previous release's SQL (a dropped or renamed table, column, constraint or function, a changed
 * column type, a new NOT NULL, a new uniqueness on existing rows, deleted rows) is a *contract
 * step*: allowed only in a migration marked
 *
 *     -- contract-step after <release>: <why it is safe once every province runs that release>
 *
 * where `<release>` is a contract version (`1.0`) older than the one the migration ships with, or
 * `0.x` for the unversioned development releases before 1.0 (upgraded with every province stopped).
 */

/** One statement of a migration that the previous release may not survive. */
export interface UnsafeStatement {
  /** What the statement does, e.g. `drops a column`. */
  rule: string;
  /** The statement, shortened. */
  statement: string;
}

/** A `contract-step after …` marker of a migration. */
export interface ContractStepMarker {
  release: string;
  why: string;
}

const MARKER = /^--\s*contract-step after\s+(\S+?):\s*(.*)$/gm;

/** The contract-step markers of a migration's SQL (none: it must only expand). */
export function contractStepMarkers(sql: string): ContractStepMarker[] {
  return [...sql.matchAll(MARKER)].map((m) => ({ release: m[1]!, why: m[2]!.trim() }));
}

/** The SQL without comments, dollar-quoted bodies (functions) and string literals, split into statements. */
function statementsOf(sql: string): string[] {
  const bare = sql
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, '$$$$')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
  return bare
    .split(';')
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

const unquote = (name: string) => name.replace(/"/g, '').replace(/^public\./i, '');

/** Tables a migration creates (a new table has no old writers), and columns it adds, by table. */
function createdHere(statements: string[]) {
  const tables = new Set<string>();
  const columns = new Set<string>();
  for (const s of statements) {
    const table = /^CREATE TABLE (?:IF NOT EXISTS )?("?[\w.]+"?)/i.exec(s);
    if (table) tables.add(unquote(table[1]!));
    const alter = /^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?("?[\w.]+"?)/i.exec(s);
    if (alter)
      for (const add of s.matchAll(/ADD COLUMN (?:IF NOT EXISTS )?("?\w+"?)/gi))
        columns.add(unquote(add[1]!));
  }
  return { tables, columns };
}

/** A rule: a pattern over one statement (comments and bodies removed) and what it means. */
interface Rule {
  rule: string;
  test: (statement: string, here: ReturnType<typeof createdHere>) => boolean;
}

const alteredTable = (s: string) => /^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?("?[\w.]+"?)/i.exec(s)?.[1];
const onExistingTable = (s: string, here: ReturnType<typeof createdHere>) => {
  const table = alteredTable(s);
  return table !== undefined && !here.tables.has(unquote(table));
};

const RULES: Rule[] = [
  { rule: 'drops a table', test: (s) => /^DROP TABLE\b/i.test(s) },
  {
    rule: 'drops a column',
    test: (s) =>
      /^ALTER TABLE\b/i.test(s) &&
      /\bDROP (?:COLUMN\b|(?!CONSTRAINT|DEFAULT|NOT NULL|IDENTITY|EXPRESSION)"?\w)/i.test(s),
  },
  { rule: 'drops a constraint', test: (s) => /\bDROP CONSTRAINT\b/i.test(s) },
  {
    rule: 'drops an index, function, trigger, type, view or sequence',
    test: (s) =>
      /^DROP (?:INDEX|FUNCTION|TRIGGER|TYPE|VIEW|MATERIALIZED VIEW|SEQUENCE|SCHEMA|PROCEDURE)\b/i.test(s),
  },
  { rule: 'renames', test: (s) => /\bRENAME\b/i.test(s) },
  {
    rule: "changes a column's type",
    test: (s) => /\bALTER (?:COLUMN )?"?\w+"? (?:SET DATA )?TYPE\b/i.test(s),
  },
  { rule: 'makes a column NOT NULL', test: (s) => /\bSET NOT NULL\b/i.test(s) },
  {
    rule: 'adds a NOT NULL column without a default',
    test: (s) =>
      [...s.matchAll(/ADD COLUMN[^,]*/gi)].some(
        (m) => /\bNOT NULL\b/i.test(m[0]) && !/\bDEFAULT\b/i.test(m[0]),
      ),
  },
  {
    rule: 'adds a primary key or uniqueness to an existing table',
    test: (s, here) =>
      onExistingTable(s, here) && /\bADD (?:CONSTRAINT "?\w+"? )?(?:PRIMARY KEY|UNIQUE)\b/i.test(s),
  },
  {
    rule: 'adds a unique index to an existing table',
    test: (s, here) => {
      const m = /^CREATE UNIQUE INDEX .*? ON (?:ONLY )?("?[\w.]+"?)/i.exec(s);
      return !!m && !here.tables.has(unquote(m[1]!));
    },
  },
  {
    rule: 'adds a check on columns of an existing table',
    test: (s, here) => {
      if (!onExistingTable(s, here)) return false;
      const check = /\bADD (?:CONSTRAINT "?\w+"? )?CHECK\s*\((.*)\)/i.exec(s);
      if (!check) return false;
      const table = unquote(alteredTable(s)!);
      const names = [...check[1]!.matchAll(/"(\w+)"/g)].map((m) => m[1]!);
      const bare = check[1]!.replace(/"\w+"/g, '').match(/\b[a-z_]\w*\b/g) ?? [];
      const keywords = new Set(['in', 'and', 'or', 'not', 'is', 'null', 'between', 'like', 'any', 'array']);
      const columns = [...names, ...bare.filter((w) => !keywords.has(w.toLowerCase()))];
      return columns.some((c) => c !== table && !here.columns.has(c));
    },
  },
  { rule: 'deletes rows', test: (s) => /^(?:DELETE FROM|TRUNCATE)\b/i.test(s) },
];

/** The statements of a migration that the previous release may not survive (empty: it only expands). */
export function unsafeStatements(sql: string): UnsafeStatement[] {
  const statements = statementsOf(sql);
  const here = createdHere(statements);
  const found: UnsafeStatement[] = [];
  for (const statement of statements)
    for (const { rule, test } of RULES)
      if (test(statement, here))
        found.push({ rule, statement: statement.length > 120 ? `${statement.slice(0, 117)}...` : statement });
  return found;
}
