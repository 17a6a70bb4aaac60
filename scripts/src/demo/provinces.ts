/**
 * A little demo for every province the report-drawn demo (data.ts) leaves empty, so that with
 * `npm start -- --provinces all` the ministry's map and `summary(scope: "CN") { children }` show
 * something everywhere: per province three workers of a rural county (fictitious names, resident
 * IDs with a valid check digit over that county's code), an enterprise in the provincial
 * capital with its labour demand, and a chartered bus taking the three to a receiving place in
 * another province, on the road. Derived from the GB/T 2260 directory of @p2p/schema only:
 * the same provinces always give the same data. What data.ts holds is never changed: Hebei, Henan
 * and Guangxi, whose workers it registers, get nothing more.
 */
import { childRegionCodes, findRegion, provinceOf } from '@p2p/schema';
import { DEMO_DATA } from './data.js';
import {
  demoPhone,
  type DemoData,
  type DemoEnterprise,
  type DemoPoverty,
  type DemoTrip,
  type DemoWorker,
} from './model.js';

/** Licence-plate abbreviation of each province (the capital's letter A follows it). */
const PLATES: Record<string, string> = {
  '110000': '京',
  '120000': '津',
  '130000': '冀',
  '140000': '晋',
  '150000': '蒙',
  '210000': '辽',
  '220000': '吉',
  '230000': '黑',
  '310000': '沪',
  '320000': '苏',
  '330000': '浙',
  '340000': '皖',
  '350000': '闽',
  '360000': '赣',
  '370000': '鲁',
  '410000': '豫',
  '420000': '鄂',
  '430000': '湘',
  '440000': '粤',
  '450000': '桂',
  '460000': '琼',
  '500000': '渝',
  '510000': '川',
  '520000': '贵',
  '530000': '云',
  '540000': '藏',
  '610000': '陕',
  '620000': '甘',
  '630000': '青',
  '640000': '宁',
  '650000': '新',
};

/**
 * Receiving places of 2020's returning workers: Bao'an (Shenzhen), Yiwu, Kunshan, Pudong,
 * Chaoyang (Beijing). A province's bus goes to one of those in another running province (any
 * other when none runs), the provinces taking them in turn.
 */
export const RECEIVING_PLACES = ['440306', '330782', '320583', '310115', '110105'] as const;

/** What an enterprise makes, its name's ending and the skills its workers bring. */
const SECTORS = [
  { sector: '电子制造', suffix: '电子科技', skills: ['电子装配'] },
  { sector: '纺织服装', suffix: '服饰', skills: ['缝纫'] },
  { sector: '建筑业', suffix: '建设工程', skills: ['钢筋工'] },
  { sector: '物流', suffix: '物流', skills: ['叉车'] },
  { sector: '食品制造', suffix: '食品', skills: ['质检'] },
] as const;

/** Invented names are drawn from common surnames and given names, never a list of people. */
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
];
const GIVEN_NAMES = [
  '建国',
  '秀梅',
  '志刚',
  '春燕',
  '国平',
  '丽娟',
  '海波',
  '玉兰',
  '永军',
  '桂英',
  '德明',
  '小红',
  '红军',
];
const POVERTY: DemoPoverty[] = ['REGISTERED_POOR', 'LIFTED', 'NONE'];

/** Provinces where data.ts registers workers (Hebei, Henan, Guangxi): they get nothing more. */
const WITH_WORKERS = new Set(DEMO_DATA.workers.map((w) => provinceOf(w.home)));
/** Provinces where data.ts has enterprises (Beijing and Guangdong too): they get no other. */
const WITH_ENTERPRISES = new Set(DEMO_DATA.enterprises.map((e) => provinceOf(e.region)));

const two = (n: number) => String(n).padStart(2, '0');

/** The counties of a province, city by city, in directory order. */
function countiesOf(province: string): string[] {
  return childRegionCodes(province).flatMap((city) =>
    childRegionCodes(city).filter((c) => findRegion(c)?.level === 'COUNTY'),
  );
}

/** A rural county (its name ends in 县) with townships, else the first county with townships. */
function homeCounty(province: string): string {
  const counties = countiesOf(province).filter((c) => childRegionCodes(c).length > 0);
  return counties.find((c) => findRegion(c)!.name.endsWith('县')) ?? counties[0]!;
}

/** The short name of the provincial capital (or of the municipality itself). */
function capitalName(province: string): string {
  const city = findRegion(childRegionCodes(province)[0]!)!;
  const name = city.name === '市辖区' ? findRegion(province)!.name : city.name;
  return name.replace(/(市|地区|自治州)$/, '');
}

/** The demo of one province (`index`: its position among the 31, which varies names and dates). */
function oneProvince(province: string, index: number, running: ReadonlySet<string>): DemoData {
  const id = province.slice(0, 2);
  const county = homeCounty(province);
  const townships = childRegionCodes(county);
  const capitalDistrict = countiesOf(province)[0]!;
  const { sector, suffix, skills } = SECTORS[index % SECTORS.length]!;
  const enterprise: DemoEnterprise = {
    key: `p${id}-enterprise`,
    name: `${capitalName(province)}${suffix}(示例)`,
    region: childRegionCodes(capitalDistrict)[0] ?? capitalDistrict,
    sector,
    keyEnterprise: index % 2 === 0,
    openings: 40 + ((index * 7) % 60),
    filled: 10 + ((index * 5) % 30),
  };
  const workers: DemoWorker[] = [0, 1, 2].map((i) => {
    const n = index * 3 + i;
    const checkedAt = `2020-03-01T${two(9 + i)}:00:00+08:00`;
    return {
      key: `p${id}-${two(i + 1)}`,
      name: `${SURNAMES[n % SURNAMES.length]}${GIVEN_NAMES[(index * 5 + i * 4) % GIVEN_NAMES.length]}`,
      home: townships[i % townships.length]!,
      birth: `${1975 + ((index * 7 + i * 5) % 25)}${two(1 + ((index + i * 5) % 12))}${two(1 + ((index * 3 + i * 11) % 28))}`,
      seq: 100 + ((index * 37 + i * 13) % 900),
      // By province, not by position: the same whatever else runs (seeding again must send the same input).
      phone: demoPhone(1000 + Number(id) * 10 + i),
      poverty: POVERTY[n % POVERTY.length]!,
      skills: [...skills],
      health: { code: 'GREEN', checkedAt, nucleicAcid: 'NEGATIVE', testedAt: checkedAt },
    };
  });
  const elsewhere = RECEIVING_PLACES.filter((p) => provinceOf(p) !== province);
  const receiving = elsewhere.filter((p) => running.has(provinceOf(p)));
  const choices = receiving.length > 0 ? receiving : elsewhere;
  const destination = choices[index % choices.length]!;
  const trip: DemoTrip = {
    key: `p${id}-bus`,
    story: `${findRegion(province)!.name}: a chartered bus from ${findRegion(county)!.name} to ${findRegion(destination)!.name}, on the road`,
    mode: 'BUS',
    vehicleCode: `${PLATES[province] ?? ''}A·F${id}${two((index * 17) % 100)}`,
    origin: county,
    destination,
    departureAt: '2020-03-02T07:00:00+08:00',
    expectedArrivalAt: '2020-03-03T08:00:00+08:00',
    capacity: 39,
    passengers: workers.map((w) => w.key),
    progress: { boarded: 'all' },
  };
  return {
    enterprises: WITH_ENTERPRISES.has(province) ? [] : [enterprise],
    workers,
    returnRequests: [],
    trips: [trip],
    jobs: [],
  };
}

/**
 * The demo of every province of `provinces` where data.ts registers no worker (Beijing and
 * Guangdong, which only receive there, get workers and a bus but keep their own enterprises),
 * in the order of the GB/T 2260 directory.
 */
export function provinceDemo(provinces: readonly string[]): DemoData {
  const running = new Set(provinces);
  const all = childRegionCodes(null);
  const parts = all
    .map((province, index) => ({ province, index }))
    .filter(({ province }) => running.has(province) && !WITH_WORKERS.has(province))
    .map(({ province, index }) => oneProvince(province, index, running));
  return {
    enterprises: parts.flatMap((p) => p.enterprises),
    workers: parts.flatMap((p) => p.workers),
    returnRequests: [],
    trips: parts.flatMap((p) => p.trips),
    jobs: [],
  };
}

/** The report-drawn demo (data.ts) followed by {@link provinceDemo} of `provinces`. */
export function demoFor(provinces: readonly string[]): DemoData {
  const extra = provinceDemo(provinces);
  return {
    enterprises: [...DEMO_DATA.enterprises, ...extra.enterprises],
    workers: [...DEMO_DATA.workers, ...extra.workers],
    returnRequests: DEMO_DATA.returnRequests,
    trips: [...DEMO_DATA.trips, ...extra.trips],
    jobs: DEMO_DATA.jobs,
  };
}
