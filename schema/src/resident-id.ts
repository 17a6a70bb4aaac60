import { badInput } from './errors.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The GB 11643 check character for the first 17 digits of a resident ID number. */
export function residentIdCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/**
 * A resident ID number (GB 11643) from its parts, with its check digit: the address code (the
 * first six digits of `region`), the birth date `YYYYMMDD` and a sequence number 0–999.
 */
export function residentIdFrom(region: string, birth: string, sequence: number): string {
  const first17 = `${region.slice(0, 6)}${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckDigit(first17);
}

/**
 * Normalises and validates an 18-character resident ID number (GB 11643): 17 digits, a check
 * character (digit or X) that matches, and a real birth date.
 * @returns the number with an upper-case X.
 * @throws GraphQLError BAD_USER_INPUT naming what is wrong.
 */
export function assertResidentId(value: string, field = 'idNumber'): string {
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) {
    throw badInput(
      `${field}: a resident ID number has 18 characters: 17 digits and a check digit or X`,
      field,
    );
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > Date.now()) {
    throw badInput(`${field}: the birth date in the resident ID number is not a real date`, field);
  }
  if (residentIdCheckDigit(id) !== id[17]) {
    throw badInput(`${field}: the check digit of the resident ID number is wrong (mistyped number?)`, field);
  }
  return id;
}

/** Masks a resident ID or phone number, keeping the first and last four characters. */
export function maskIdentifier(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}
