/**
 * The tile-grid map of China: one square tile per province of the mainland (GB/T 2260 code),
 * placed roughly where the province lies, like the usual China tile-grid layouts. No borders are
 * drawn: China's borders on a published map need an approved standard map (DESIGN.md).
 */

/** Where a province's tile sits (column from the west, row from the north) and its short names. */
export interface ProvinceTile {
  code: string;
  column: number;
  row: number;
  zh: string;
  en: string;
}

/** The 31 provinces of the mainland, north to south. */
export const PROVINCE_TILES: readonly ProvinceTile[] = [
  { code: '230000', column: 6, row: 0, zh: '黑龙江', en: 'Heilongjiang' },
  { code: '150000', column: 3, row: 1, zh: '内蒙古', en: 'Inner Mongolia' },
  { code: '110000', column: 4, row: 1, zh: '北京', en: 'Beijing' },
  { code: '210000', column: 5, row: 1, zh: '辽宁', en: 'Liaoning' },
  { code: '220000', column: 6, row: 1, zh: '吉林', en: 'Jilin' },
  { code: '650000', column: 0, row: 2, zh: '新疆', en: 'Xinjiang' },
  { code: '620000', column: 1, row: 2, zh: '甘肃', en: 'Gansu' },
  { code: '640000', column: 2, row: 2, zh: '宁夏', en: 'Ningxia' },
  { code: '140000', column: 3, row: 2, zh: '山西', en: 'Shanxi' },
  { code: '130000', column: 4, row: 2, zh: '河北', en: 'Hebei' },
  { code: '120000', column: 5, row: 2, zh: '天津', en: 'Tianjin' },
  { code: '540000', column: 0, row: 3, zh: '西藏', en: 'Xizang' },
  { code: '630000', column: 1, row: 3, zh: '青海', en: 'Qinghai' },
  { code: '610000', column: 2, row: 3, zh: '陕西', en: 'Shaanxi' },
  { code: '410000', column: 3, row: 3, zh: '河南', en: 'Henan' },
  { code: '370000', column: 4, row: 3, zh: '山东', en: 'Shandong' },
  { code: '510000', column: 1, row: 4, zh: '四川', en: 'Sichuan' },
  { code: '500000', column: 2, row: 4, zh: '重庆', en: 'Chongqing' },
  { code: '420000', column: 3, row: 4, zh: '湖北', en: 'Hubei' },
  { code: '340000', column: 4, row: 4, zh: '安徽', en: 'Anhui' },
  { code: '320000', column: 5, row: 4, zh: '江苏', en: 'Jiangsu' },
  { code: '310000', column: 6, row: 4, zh: '上海', en: 'Shanghai' },
  { code: '530000', column: 1, row: 5, zh: '云南', en: 'Yunnan' },
  { code: '520000', column: 2, row: 5, zh: '贵州', en: 'Guizhou' },
  { code: '430000', column: 3, row: 5, zh: '湖南', en: 'Hunan' },
  { code: '360000', column: 4, row: 5, zh: '江西', en: 'Jiangxi' },
  { code: '330000', column: 5, row: 5, zh: '浙江', en: 'Zhejiang' },
  { code: '450000', column: 2, row: 6, zh: '广西', en: 'Guangxi' },
  { code: '440000', column: 3, row: 6, zh: '广东', en: 'Guangdong' },
  { code: '350000', column: 4, row: 6, zh: '福建', en: 'Fujian' },
  { code: '460000', column: 2, row: 7, zh: '海南', en: 'Hainan' },
];

/** Columns and rows of the grid. */
export const TILE_GRID = {
  columns: 1 + Math.max(...PROVINCE_TILES.map((t) => t.column)),
  rows: 1 + Math.max(...PROVINCE_TILES.map((t) => t.row)),
};

const BY_CODE = new Map(PROVINCE_TILES.map((t) => [t.code, t]));

/** The tile of a province code (a code below a province is looked up by its first two digits). */
export function tileOf(code: string): ProvinceTile | undefined {
  return BY_CODE.get(`${code.slice(0, 2)}0000`);
}
