/** Bounds of {@link integerSetting}. */
export interface IntegerBounds {
  /** @default 0 */
  min?: number;
  /** @default Number.MAX_SAFE_INTEGER */
  max?: number;
}

/**
 * Reads an integer setting: absent or empty gives undefined (the default applies); a number
 * (from a JSON config file) or a decimal string within `min..max` gives the number.
 * @throws Error naming the setting and the accepted range otherwise
 */
export function integerSetting(
  value: string | number | undefined,
  name: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: IntegerBounds = {},
): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}; got "${value}"`);
  return n;
}

/** Reads the integer environment variable `name` (see {@link integerSetting}). */
export function integerFromEnv(
  name: string,
  bounds: IntegerBounds = {},
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  return integerSetting(env[name], name, bounds);
}

/**
 * Reads a setting that takes one of a few words: absent or empty gives undefined (the default
 * applies), one of `choices` gives it.
 * @throws Error naming the setting and the accepted words otherwise
 */
export function choiceFromEnv<T extends string>(
  name: string,
  choices: readonly T[],
  env: NodeJS.ProcessEnv = process.env,
): T | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!(choices as readonly string[]).includes(value))
    throw new Error(`${name} must be one of ${choices.join(', ')}; got "${value}"`);
  return value as T;
}

/**
 * True when development defaults are allowed: `P2P_DEV=1` in the environment or `--dev` on the
 * command line. Without it every service refuses to start without its real keys (secure by
 * default); `npm start`, the e2e harness, the benchmarks and the tests pass it.
 * @throws Error when it is asked for together with NODE_ENV=production
 */
export function developmentMode(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv,
): boolean {
  const on = env.P2P_DEV === '1' || argv.includes('--dev');
  if (on && env.NODE_ENV === 'production')
    throw new Error('P2P_DEV=1 / --dev is refused when NODE_ENV=production');
  return on;
}

/**
 * The refusal of a missing key outside development mode.
 * @throws Error "`setting` must be set (…); for development only, set P2P_DEV=1 or pass --dev"
 */
export function requireSetting(setting: string, why: string): never {
  throw new Error(
    `${setting} must be set (${why}); for development only, set P2P_DEV=1 or pass --dev to use the public development default`,
  );
}
