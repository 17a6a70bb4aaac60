import { badInput } from '@p2p/schema';

/** Length limits of free-text inputs (characters, after trimming). */
export const TEXT_LIMITS = {
  name: 64,
  enterpriseName: 64,
  sector: 64,
  vehicleCode: 32,
  reason: 500,
  handedOverTo: 128,
  skill: 32,
  skills: 20,
  idempotencyKey: 128,
  institution: 128,
} as const;

/**
 * Trims a required text and checks its length.
 * @throws BAD_USER_INPUT when empty or longer than `max`.
 */
export function requiredText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text.length === 0) throw badInput(`${field}: must not be empty`, field);
  if ([...text].length > max) throw badInput(`${field}: at most ${max} characters`, field);
  return text;
}

/** Like {@link requiredText}, for an optional text (null stays null). */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  return value == null ? null : requiredText(value, field, max);
}

const MOBILE = /^1\d{10}$/;

/**
 * A mainland mobile number: 11 digits starting with 1 (spaces, dashes and a +86 prefix are removed).
 * @throws BAD_USER_INPUT otherwise.
 */
export function mobilePhone(value: string, field = 'phone'): string {
  const digits = value.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
  if (!MOBILE.test(digits))
    throw badInput(`${field}: a mainland mobile number has 11 digits and starts with 1`, field);
  return digits;
}

/**
 * Skills: at most 20, each 1–32 characters; trimmed and de-duplicated, order kept.
 * @throws BAD_USER_INPUT otherwise.
 */
export function skillList(values: readonly string[] | null | undefined, field = 'skills'): string[] {
  const list = [
    ...new Set((values ?? []).map((s, i) => requiredText(s, `${field}[${i}]`, TEXT_LIMITS.skill))),
  ];
  if (list.length > TEXT_LIMITS.skills)
    throw badInput(`${field}: at most ${TEXT_LIMITS.skills} skills`, field);
  return list;
}
