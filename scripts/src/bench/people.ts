/**
 * Synthetic people for the benchmarks: deterministic, so the same (province, index) always gives
 * the same person — the loader writes them, and the scenarios later pick any index and know the
 * worker's resident ID and id without keeping a million records in memory.
 * Resident ID numbers follow GB 11643: the home county's address code, a birth date, a sequence
 * number and the check digit (`residentIdFrom`).
 */
import { residentIdFrom } from '@p2p/schema';

/** A small, fast, seedable PRNG (mulberry32): a stream of floats in [0, 1). */
export class Random {
  private state: number;

  /** @param seed any 32-bit integer; the same seed gives the same stream */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A seed mixing a province code, a record kind and an index (so streams never overlap). */
export function seedFor(province: string, kind: number, index: number): number {
  let h = Math.imul(Number(province.slice(0, 2)) + 1, 0x9e3779b1) ^ Math.imul(kind + 1, 0x85ebca77);
  h = Math.imul(h ^ index, 0xc2b2ae3d) ^ Math.imul(index >>> 16, 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏飞斌建国建华志强文海波春梅小红晓东宇浩俊凯亮林辉玲慧琴云霞荣新民德福永生',
];

/** A plausible Chinese name: a common surname and one or two given-name characters. */
export function personName(random: Random): string {
  const given = random.chance(0.7) ? random.pick(GIVEN) + random.pick(GIVEN) : random.pick(GIVEN);
  return random.pick(SURNAMES) + given;
}

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '158',
  '159',
  '177',
  '180',
  '181',
  '186',
  '187',
  '188',
  '189',
  '199',
];

/** An 11-digit mainland mobile number. */
export function mobileNumber(random: Random): string {
  return random.pick(MOBILE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, '0');
}

/** First birth date of the generated workers: aged 18 to 58 in spring 2020. */
const BIRTH_EPOCH = Date.UTC(1962, 0, 1);
/** Days of birth dates covered (40 years). */
const BIRTH_DAYS = 14_600;
/** Sequence numbers per birth date in the ID number (three digits). */
const SEQUENCES = 1_000;

/** Most distinct resident IDs {@link residentIdFor} gives per address code. */
export const MAX_PEOPLE_PER_ADDRESS = BIRTH_DAYS * SEQUENCES;

/**
 * The 18-character resident ID number of person `index` registered at `addressCode` (the first six
 * digits of the home region). Distinct indexes below {@link MAX_PEOPLE_PER_ADDRESS} give distinct
 * numbers whatever the address code, so people of one province never collide.
 */
export function residentIdFor(addressCode: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_PEOPLE_PER_ADDRESS)
    throw new RangeError(`person index ${index} out of range`);
  const birth = new Date(BIRTH_EPOCH + Math.floor(index / SEQUENCES) * 86_400_000);
  const date = `${birth.getUTCFullYear()}${String(birth.getUTCMonth() + 1).padStart(2, '0')}${String(birth.getUTCDate()).padStart(2, '0')}`;
  return residentIdFrom(addressCode, date, index % SEQUENCES);
}

const SKILLS = [
  '普工',
  '电工',
  '焊工',
  '钳工',
  '叉车',
  '缝纫',
  '装配',
  '瓦工',
  '木工',
  '厨师',
  '保洁',
  '快递',
  '驾驶',
  '电子装配',
  '注塑',
];

/** Zero to three distinct skills. */
export function skillsFor(random: Random): string[] {
  const n = random.int(0, 3);
  const out = new Set<string>();
  while (out.size < n) out.add(random.pick(SKILLS));
  return [...out];
}
