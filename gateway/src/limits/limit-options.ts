/**
 * The gateway's query limits and their defaults. Every limit can be set by option or env:
 *
 * | limit | default | env |
 * | --- | --- | --- |
 * | tokens: lexical tokens of a document, refused while parsing | 5,000 | `LIMIT_TOKENS` |
 * | fields of a document once its fragments are expanded | 5,000 | `LIMIT_FIELDS` |
 * | aliases in a document | 100 | `LIMIT_ALIASES` |
 * | repeats: times one response key is selected in one selection set | 10 | `LIMIT_FIELD_REPEATS` |
 * | depth: nesting of fields | 12 | `LIMIT_DEPTH` |
 * | cost: objects resolved (times their `@cost` weight), lists at their declared `@listSize` | 100,000 | `LIMIT_COST` |
 * | page size: `first` of a connection | 100 | `LIMIT_PAGE_SIZE` |
 * | body size of a request (a full `registerWorkers` call of 1,000 workers is ~130 kB) | 512 kB (512,000 bytes) | `LIMIT_BODY_BYTES` |
 * | HTTP batch: operations in one request (1 = batching off) | 10 | `LIMIT_BATCH` |
 * | rate: operations per second per caller, sustained (0 = off) | 50 | `RATE_LIMIT_PER_SECOND` |
 * | rate: burst per caller | 200 | `RATE_LIMIT_BURST` |
 *
 * The rate buckets live in the process, or in Redis shared by the replicas with `RATE_LIMIT_REDIS_URL`
 * (`GatewayOptions.rateLimitRedisUrl`, redis-rate-limit.ts).
 */

/** Every limit of the gateway. */
export interface QueryLimits {
  /** Most lexical tokens in a document; the parser stops past it, before any validation. @default 5_000 */
  maxTokens: number;
  /** Most fields of a document (all its operations and fragments) once its fragments are expanded where they are spread. @default 5_000 */
  maxFields: number;
  /** Most aliased fields in a document (all its operations and fragments). @default 100 */
  maxAliases: number;
  /**
   * Most times one response key may be selected in one selection set (`{ region { code } region { code } … }`):
   * validation compares such fields pairwise, so a thousand copies cost it seconds. @default 10
   */
  maxFieldRepeats: number;
  /** Deepest nesting of fields (root fields are at depth 1; introspection is not counted). @default 12 */
  maxDepth: number;
  /**
   * Highest estimated cost: each object counts its weight (1, a Summary 10) per time it is resolved, lists at
   * their `@listSize` (see cost-limit.ts): a page of 10 trips with every passenger's worker is ~90,000. @default 100_000
   */
  maxCost: number;
  /** Largest `first` of any field. @default 100 */
  maxPageSize: number;
  /** Largest request body in bytes; room for the largest legitimate call, `registerWorkers` with 1,000 workers (~130 kB, more with skills). @default 512_000 */
  maxBodyBytes: number;
  /** Most operations in one HTTP batch (a JSON array body); 1 turns batching off. @default 10 */
  maxBatch: number;
  /** Operations per second each caller may sustain (token bucket refill); 0 turns rate limiting off. @default 50 */
  ratePerSecond: number;
  /** Operations a caller may send at once (token bucket size). @default 200 */
  rateBurst: number;
  /** Assumed length of a list field that declares no `@listSize` (every list of the contract declares one). @default 10 */
  assumedListSize: number;
  /** Page size assumed when `first` is absent on a field that declares no `@listSize`. @default 20 */
  defaultPageSize: number;
}

/** The defaults of {@link QueryLimits}. */
export const DEFAULT_LIMITS: Readonly<QueryLimits> = Object.freeze({
  maxTokens: 5_000,
  maxFields: 5_000,
  maxAliases: 100,
  maxFieldRepeats: 10,
  maxDepth: 12,
  maxCost: 100_000,
  maxPageSize: 100,
  maxBodyBytes: 512_000,
  maxBatch: 10,
  ratePerSecond: 50,
  rateBurst: 200,
  assumedListSize: 10,
  defaultPageSize: 20,
});

const ENV: Partial<Record<keyof QueryLimits, string>> = {
  maxTokens: 'LIMIT_TOKENS',
  maxFields: 'LIMIT_FIELDS',
  maxAliases: 'LIMIT_ALIASES',
  maxFieldRepeats: 'LIMIT_FIELD_REPEATS',
  maxDepth: 'LIMIT_DEPTH',
  maxCost: 'LIMIT_COST',
  maxPageSize: 'LIMIT_PAGE_SIZE',
  maxBodyBytes: 'LIMIT_BODY_BYTES',
  maxBatch: 'LIMIT_BATCH',
  ratePerSecond: 'RATE_LIMIT_PER_SECOND',
  rateBurst: 'RATE_LIMIT_BURST',
};

/**
 * The limits set in the environment (absent ones are left out).
 * @throws Error naming the variable that is not a non-negative number.
 */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<QueryLimits> {
  const limits: Partial<QueryLimits> = {};
  for (const [key, name] of Object.entries(ENV) as [keyof QueryLimits, string][]) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: "${value}" is not a non-negative number`);
    limits[key] = n;
  }
  return limits;
}

/** The limits in force: the defaults overridden by `overrides`. */
export function resolveLimits(overrides: Partial<QueryLimits> = {}): QueryLimits {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_LIMITS, ...defined };
}
