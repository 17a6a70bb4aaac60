/**
 * The per-caller token bucket shared by every gateway replica, in Redis: the same rule as
 * {@link TokenBucketLimiter} (burst `burst`, refilled at `ratePerSecond`), decided atomically by
 * one Lua script per request with Redis's own clock (replicas' clocks may differ). A bucket
 * expires once it would have refilled anyway. When Redis does not answer within
 * `commandTimeoutMs` the request is let through (fail open: a limiter outage must not become a
 * gateway outage) and a warning is logged, at most every `warnEveryMs`.
 */
import { Redis } from 'ioredis';
import type { Logger } from '@p2p/runtime';
import {
  retryAfterSeconds,
  type RateDecision,
  type RateLimiter,
  type TokenBucketOptions,
} from './rate-limit.js';

/** Options of {@link RedisTokenBucketLimiter}. */
export interface RedisRateLimitOptions extends Pick<TokenBucketOptions, 'ratePerSecond' | 'burst'> {
  /** `redis://host:port/db`. */
  url: string;
  logger: Logger;
  /** Prefix of the bucket keys. @default 'p2p:rate:' */
  keyPrefix?: string;
  /** Longest wait for Redis before letting a request through. @default 250 */
  commandTimeoutMs?: number;
  /** @default 10_000 */
  warnEveryMs?: number;
}

/** KEYS[1] the bucket; ARGV rate per second, burst, cost. Returns {allowed 0|1, tokens left (string)}. */
const TAKE = `
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local rate, burst, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(bucket[1]), tonumber(bucket[2])
if tokens == nil or at == nil then tokens, at = burst, now end
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local allowed = 0
if tokens >= cost then tokens = tokens - cost; allowed = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
`;

type TakeCommand = (key: string, rate: number, burst: number, cost: number) => Promise<[number, string]>;

/** Token buckets in Redis, shared by the gateway replicas. */
export class RedisTokenBucketLimiter implements RateLimiter {
  private readonly redis: Redis & { p2pTakeTokens?: TakeCommand };
  private lastWarning = 0;

  constructor(private readonly options: RedisRateLimitOptions) {
    this.redis = new Redis(options.url, {
      commandTimeout: options.commandTimeoutMs ?? 250,
      // Commands sent while (re)connecting wait for the connection, at most `commandTimeout`.
      maxRetriesPerRequest: 1,
    });
    this.redis.on('error', (err: Error) => this.warn(err));
    this.redis.defineCommand('p2pTakeTokens', { numberOfKeys: 1, lua: TAKE });
  }

  /** Takes `cost` tokens from `key`'s shared bucket; lets the request through when Redis fails. */
  async take(key: string, cost = 1): Promise<RateDecision> {
    const { ratePerSecond, burst } = this.options;
    if (ratePerSecond <= 0) return { allowed: true, remaining: Infinity };
    try {
      const [allowed, left] = await this.redis.p2pTakeTokens!(
        `${this.options.keyPrefix ?? 'p2p:rate:'}${key}`,
        ratePerSecond,
        burst,
        cost,
      );
      const tokens = Number(left);
      if (allowed === 1) return { allowed: true, remaining: Math.floor(tokens) };
      return { allowed: false, retryAfterSeconds: retryAfterSeconds(cost, tokens, this.options) };
    } catch (err) {
      this.warn(err as Error);
      return { allowed: true, remaining: 0 };
    }
  }

  /** Closes the Redis connection. */
  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private warn(err: Error): void {
    const now = Date.now();
    if (now - this.lastWarning < (this.options.warnEveryMs ?? 10_000)) return;
    this.lastWarning = now;
    this.options.logger.warn(
      {
        reason: err.message.slice(0, 200),
      },
      'rate limit store (Redis) unavailable: requests are let through unlimited',
    );
  }
}
