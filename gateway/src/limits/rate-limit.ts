/** Options of {@link TokenBucketLimiter}. */
export interface TokenBucketOptions {
  /** Tokens added per second (sustained operations per second); 0 turns the limiter off. */
  ratePerSecond: number;
  /** Bucket size (operations allowed at once). */
  burst: number;
  /** Buckets kept before full ones are dropped. @default 100_000 */
  maxKeys?: number;
  /** Clock in milliseconds (tests). @default Date.now */
  now?: () => number;
}

/** What {@link TokenBucketLimiter.take} decided. */
export type RateDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; retryAfterSeconds: number };

/** Whole seconds (at least 1) until a bucket holding `tokens` can pay `cost` (at most a full bucket). */
export function retryAfterSeconds(
  cost: number,
  tokens: number,
  { ratePerSecond, burst }: Pick<TokenBucketOptions, 'ratePerSecond' | 'burst'>,
): number {
  return Math.max(1, Math.ceil((Math.min(cost, burst) - tokens) / ratePerSecond));
}

/** A per-caller rate limiter: in this process ({@link TokenBucketLimiter}) or shared by every gateway replica (`RedisTokenBucketLimiter`). */
export interface RateLimiter {
  /** Takes `cost` operations from `key`'s allowance if it has them. */
  take(key: string, cost?: number): RateDecision | Promise<RateDecision>;
  /** Releases what the limiter holds (connections). */
  close?(): Promise<void>;
}

/**
 * A per-caller token bucket in memory: each caller (by subject; anonymous callers by address)
 * has `burst` tokens, refilled at `ratePerSecond`; an operation takes one. One gateway process
 * counts alone: behind several gateways each allows the rate, unless they share the buckets in
 * Redis (`RATE_LIMIT_REDIS_URL`, redis-rate-limit.ts).
 */
export class TokenBucketLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Takes `cost` tokens from `key`'s bucket if it has them. */
  take(key: string, cost = 1): RateDecision {
    const { ratePerSecond, burst } = this.options;
    if (ratePerSecond <= 0) return { allowed: true, remaining: Infinity };
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
    bucket.at = now;
    this.remember(key, bucket);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterSeconds: retryAfterSeconds(cost, bucket.tokens, this.options) };
  }

  /** How many callers have a bucket. */
  get size(): number {
    return this.buckets.size;
  }

  private remember(key: string, bucket: { tokens: number; at: number }): void {
    if (!this.buckets.has(key) && this.buckets.size >= (this.options.maxKeys ?? 100_000)) {
      const now = this.now();
      // Drop buckets that have refilled completely: forgetting them changes nothing.
      for (const [k, b] of this.buckets) {
        if (b.tokens + ((now - b.at) / 1000) * this.options.ratePerSecond >= this.options.burst)
          this.buckets.delete(k);
      }
      if (this.buckets.size >= (this.options.maxKeys ?? 100_000))
        this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, bucket);
  }
}
