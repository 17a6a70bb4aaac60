/**
 * Where the benchmark's people live and go, drawn from the real GB/T 2260 directory of
 * `@p2p/schema` (`childRegionCodes`, `findRegion`): the townships of each exporting province, and
 * the receiving cities of spring 2020 that the chartered buses and trains went to.
 */
import { childRegionCodes, findRegion } from '@p2p/schema';
import type { Random } from './people.js';

/**
 * Provinces in the order `--provinces N` takes them: the big exporting provinces first (Guangxi,
 * Henan, Sichuan, Hunan), then Guangdong (importing), then the rest.
 */
export const PROVINCE_ORDER = [
  '450000',
  '410000',
  '510000',
  '430000',
  '440000',
  '130000',
  '360000',
  '420000',
  '340000',
  '520000',
  '500000',
  '530000',
  '370000',
  '320000',
  '330000',
  '350000',
  '110000',
  '120000',
  '140000',
  '150000',
  '210000',
  '220000',
  '230000',
  '310000',
  '460000',
  '540000',
  '610000',
  '620000',
  '630000',
  '640000',
  '650000',
] as const;

/**
 * Receiving cities (importing places): Shenzhen, Dongguan, Guangzhou, Foshan, Hangzhou, Ningbo,
 * Suzhou, Xiamen, Beijing, Shanghai.
 */
export const RECEIVING_CITIES = [
  '440300',
  '441900',
  '440100',
  '440600',
  '330100',
  '330200',
  '320500',
  '350200',
  '110100',
  '310100',
] as const;

/** The first `n` provinces of {@link PROVINCE_ORDER}. */
export function benchProvinces(n: number): string[] {
  if (!Number.isInteger(n) || n < 1 || n > PROVINCE_ORDER.length)
    throw new Error(`--provinces: a number from 1 to ${PROVINCE_ORDER.length}`);
  return PROVINCE_ORDER.slice(0, n);
}

/** Every township (nine-digit code) inside `code`, in directory order. */
export function townshipsIn(code: string): string[] {
  const out: string[] = [];
  const walk = (parent: string) => {
    for (const child of childRegionCodes(parent)) {
      if (findRegion(child)?.level === 'TOWNSHIP') out.push(child);
      else walk(child);
    }
  };
  walk(code);
  return out;
}

/** Every county (six-digit code below a city) inside `code`; a city without counties stands for itself. */
export function countiesIn(code: string): string[] {
  const region = findRegion(code);
  if (!region) throw new Error(`unknown region ${code}`);
  if (region.level === 'COUNTY') return [code];
  const children = childRegionCodes(code);
  if (region.level === 'CITY' && children.every((c) => findRegion(c)?.level === 'TOWNSHIP')) return [code];
  return children.flatMap((c) => (findRegion(c)?.level === 'TOWNSHIP' ? [] : countiesIn(c)));
}

/** The regions one province's generator draws from. */
export interface ProvinceGeography {
  province: string;
  /** Home regions of its workers. */
  townships: readonly string[];
  /** Where its enterprises are and where its trips leave from. */
  counties: readonly string[];
}

const cache = new Map<string, ProvinceGeography>();

/** The geography of a province (computed once). */
export function provinceGeography(province: string): ProvinceGeography {
  let geography = cache.get(province);
  if (!geography) {
    const townships = townshipsIn(province);
    const counties = countiesIn(province);
    if (townships.length === 0 || counties.length === 0)
      throw new Error(`province ${province} has no townships or counties in the directory`);
    geography = { province, townships, counties };
    cache.set(province, geography);
  }
  return geography;
}

const destinationCounties = new Map<string, string[]>();

/** A county of a receiving city, where a trip goes or a worker works. */
export function receivingCounty(random: Random, city: string = random.pick(RECEIVING_CITIES)): string {
  let counties = destinationCounties.get(city);
  if (!counties) {
    counties = countiesIn(city);
    destinationCounties.set(city, counties);
  }
  return random.pick(counties);
}
