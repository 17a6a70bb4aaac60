import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { assertRegionCode } from './regions.js';
import { badInput } from './errors.js';

function literalString(ast: ValueNode, name: string): string {
  if (ast.kind !== Kind.STRING) throw badInput(`${name} must be given as a string`);
  return ast.value;
}

/** RegionCode: a GB/T 2260 code that exists (six or nine digits); anything else is BAD_USER_INPUT. */
export const RegionCodeScalar = new GraphQLScalarType<string, string>({
  name: 'RegionCode',
  description:
    'GB/T 2260 region code: six digits for a province, city or county, nine digits for a township.',
  serialize: (v) => String(v),
  parseValue: (v) => assertRegionCode(v, 'RegionCode'),
  parseLiteral: (ast) => assertRegionCode(literalString(ast, 'RegionCode'), 'RegionCode'),
});

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Validates a YYYY-MM-DD calendar day. */
export function assertDay(v: unknown, field = 'Date'): string {
  if (
    typeof v !== 'string' ||
    !DAY.test(v) ||
    Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ||
    new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v
  ) {
    throw badInput(`${field}: "${String(v).slice(0, 40)}" is not a day (YYYY-MM-DD)`, field);
  }
  return v;
}

/** Date: a calendar day as YYYY-MM-DD. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar day, YYYY-MM-DD.',
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)),
  parseValue: (v) => assertDay(v),
  parseLiteral: (ast) => assertDay(literalString(ast, 'Date')),
});

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Validates an ISO 8601 instant with a zone and returns it as a Date. */
export function assertInstant(v: unknown, field = 'DateTime'): Date {
  if (typeof v !== 'string' || !INSTANT.test(v) || Number.isNaN(Date.parse(v))) {
    throw badInput(
      `${field}: "${String(v).slice(0, 40)}" is not a date and time with a zone (e.g. 2020-02-20T08:00:00+08:00)`,
      field,
    );
  }
  return new Date(v);
}

/** DateTime: an instant; read as ISO 8601 with a zone, always written in UTC. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with a time zone.',
  serialize: (v) => (v instanceof Date ? v : new Date(String(v))).toISOString(),
  parseValue: (v) => assertInstant(v),
  parseLiteral: (ast) => assertInstant(literalString(ast, 'DateTime')),
});

/** Resolvers for the contract's custom scalars, to spread into a subgraph's resolver map. */
export const scalarResolvers = { RegionCode: RegionCodeScalar, Date: DateScalar, DateTime: DateTimeScalar };
