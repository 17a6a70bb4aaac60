/**
 * The table format of a worker registry import (a CSV file, or the first sheet of an XLSX
 * workbook): which columns mean what (the contract's field names, or the headings provincial
 * registries use in Chinese), and one row → one `RegisterWorkerInput`. Only what the gateway needs
 * to route a row is checked here (a home region that exists); everything else is the province's to
 * judge, so its rules are not copied. Reasons never quote a cell: a shifted column could put a
 * phone or an ID number there. No Node API: the console runs it in the browser.
 */
import type { RegionLevel } from '../region-prefix.js';

/** `RegisterWorkerInput` of the contract. */
export interface RegisterWorkerInput {
  name: string;
  idNumber: string;
  phone: string;
  homeRegion: string;
  povertyStatus?: 'NONE' | 'REGISTERED_POOR' | 'LIFTED';
  skills?: string[];
}

type Column = keyof RegisterWorkerInput;

/** Accepted headings of each column (compared trimmed, case-insensitively). */
export const COLUMN_HEADINGS: Readonly<Record<Column, readonly string[]>> = {
  name: ['name', '姓名'],
  idNumber: ['idNumber', 'id_number', '身份证号', '身份证号码', '公民身份号码'],
  phone: ['phone', '手机号', '手机号码', '联系电话'],
  homeRegion: ['homeRegion', 'home_region', '户籍地区划代码', '户籍地代码', '户籍地'],
  povertyStatus: ['povertyStatus', 'poverty_status', '贫困状态', '建档立卡贫困户'],
  skills: ['skills', '技能', '职业技能'],
};

const REQUIRED: readonly Column[] = ['name', 'idNumber', 'phone', 'homeRegion'];

/** Values of the poverty column besides the contract's enum names. */
const POVERTY_VALUES: Readonly<Record<string, RegisterWorkerInput['povertyStatus']>> = {
  '': 'NONE',
  否: 'NONE',
  无: 'NONE',
  是: 'REGISTERED_POOR',
  建档立卡: 'REGISTERED_POOR',
  已脱贫: 'LIFTED',
  NONE: 'NONE',
  REGISTERED_POOR: 'REGISTERED_POOR',
  LIFTED: 'LIFTED',
};

/**
 * Maps a header row to column positions.
 * @throws Error naming the missing required columns, or a column given twice.
 */
export function columnsOf(header: readonly string[]): Map<Column, number> & { width: number } {
  const columns = Object.assign(new Map<Column, number>(), { width: header.length });
  header.forEach((heading, index) => {
    const wanted = heading
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase();
    const column = (Object.keys(COLUMN_HEADINGS) as Column[]).find((c) =>
      COLUMN_HEADINGS[c].some((h) => h.toLowerCase() === wanted),
    );
    if (!column) return; // other columns are ignored
    if (columns.has(column))
      throw new Error(
        `the header names column ${column} twice ("${header[columns.get(column)!]}" and "${heading}")`,
      );
    columns.set(column, index);
  });
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    throw new Error(
      `the header lacks ${missing.map((c) => `${c} (${COLUMN_HEADINGS[c].join(' / ')})`).join(', ')}`,
    );
  }
  return columns;
}

/**
 * What the import needs of the GB/T 2260 directory: the level of the region with a code, or
 * undefined when there is none. In Node the directory is in process (`findRegion`); the console
 * asks the hub's own directory (`region(code:)`), so an answer may come later.
 */
export type RegionLevelOf = (code: string) => RegionLevel | undefined | Promise<RegionLevel | undefined>;

/**
 * Thrown by a {@link RegionLevelOf} that could not ask its directory (e.g. the hub answered
 * RATE_LIMITED): the import sets the rows it concerns aside with `code`, and goes on.
 */
export class RegionLookupFailed extends Error {
  constructor(
    /** An error code of the registry (schema/src/errors.ts). */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RegionLookupFailed';
  }
}

/** The six-digit code of the province containing a GB/T 2260 code (its first two digits). */
export function homeProvinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

/** A data row read: the input to send and the province it goes to, or why it cannot be sent. */
export type WorkerRow =
  | { ok: true; input: RegisterWorkerInput; province: string }
  | { ok: false; reason: string };

/**
 * Builds the input of one data row; `levelOf` says whether its home region exists.
 * @throws RegionLookupFailed when `levelOf` could not answer.
 */
export async function workerRow(
  columns: ReadonlyMap<Column, number>,
  record: readonly string[],
  levelOf: RegionLevelOf,
): Promise<WorkerRow> {
  const cell = (c: Column) => (columns.has(c) ? (record[columns.get(c)!] ?? '').trim() : '');
  const homeRegion = cell('homeRegion');
  if (!/^\d{6}(\d{3})?$/.test(homeRegion) || !(await levelOf(homeRegion))) {
    return { ok: false, reason: 'homeRegion: not a GB/T 2260 region code (6 or 9 digits)' };
  }
  const poverty = cell('povertyStatus');
  const povertyStatus = POVERTY_VALUES[poverty] ?? POVERTY_VALUES[poverty.toUpperCase()];
  if (!povertyStatus)
    return {
      ok: false,
      reason: `povertyStatus: not one of ${Object.keys(POVERTY_VALUES).filter(Boolean).join(', ')}`,
    };
  const skills = cell('skills')
    .split(/[;；、,，|]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    ok: true,
    province: homeProvinceOf(homeRegion),
    input: {
      name: cell('name'),
      idNumber: cell('idNumber').toUpperCase(),
      phone: cell('phone'),
      homeRegion,
      povertyStatus,
      ...(skills.length ? { skills } : {}),
    },
  };
}
