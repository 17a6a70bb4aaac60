/**
 * The rate limit shared through Redis: against the machine's Redis (`REDIS_URL`, default
 * redis://127.0.0.1:6379; skipped when none answers), two limiters standing for two gateway
 * replicas, and two real gateways over fake provinces. Failing open runs everywhere.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '@p2p/runtime';
import { startHub, type Hub } from '../testing/hub-fixture.js';
import { RedisTokenBucketLimiter } from './redis-rate-limit.js';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const redisAnswers = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(REDIS_URL);
  const socket = connect({ host: hostname, port: Number(port || 6379) });
  socket.setTimeout(500);
  socket.once('connect', () => {
    socket.destroy();
    resolve(true);
  });
  socket.once('error', () => resolve(false));
  socket.once('timeout', () => {
    socket.destroy();
    resolve(false);
  });
});

describe.skipIf(!redisAnswers)('rate limit shared through Redis', () => {
  const prefix = `p2p:test:${randomUUID()}:`;
  const limiters: RedisTokenBucketLimiter[] = [];
  const replica = (ratePerSecond = 1, burst = 5) => {
    const limiter = new RedisTokenBucketLimiter({
      url: REDIS_URL,
      ratePerSecond,
      burst,
      logger: silentLogger,
      keyPrefix: prefix,
    });
    limiters.push(limiter);
    return limiter;
  };
  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.close()));
  });

  it("should count one caller's operations across replicas, and tell when to retry", async () => {
    const [a, b] = [replica(), replica()];
    for (let i = 0; i < 3; i++) expect((await a.take('province:450000')).allowed).toBe(true);
    for (let i = 0; i < 2; i++) expect((await b.take('province:450000')).allowed).toBe(true);
    expect(await b.take('province:450000')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await a.take('province:450000')).allowed).toBe(false);
    expect((await a.take('province:130000')).allowed).toBe(true); // another caller, another bucket
  });

  it('should charge a batch its number of operations and let the bucket expire once full again', async () => {
    const limiter = replica(2, 4);
    expect(await limiter.take('batch', 3)).toEqual({ allowed: true, remaining: 1 });
    expect(await limiter.take('batch', 3)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    const redis = new Redis(REDIS_URL);
    try {
      const ttl = await redis.pttl(`${prefix}batch`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual((4 / 2) * 1000 + 1000);
    } finally {
      redis.disconnect();
    }
  });

  describe('two gateways sharing one Redis', () => {
    const hubs: Hub[] = [];
    afterAll(async () => {
      await Promise.all(hubs.map((h) => h.close()));
    });

    it('should refuse with RATE_LIMITED once the caller used its allowance on either', async () => {
      for (let i = 0; i < 2; i++) {
        hubs.push(
          await startHub(
            ['450000'],
            {},
            { gateway: { rateLimitRedisUrl: REDIS_URL, limits: { ratePerSecond: 1, rateBurst: 4 } } },
          ),
        );
      }
      // The hub fixture's caller is the same ministry subject on both; start from a fresh bucket.
      const redis = new Redis(REDIS_URL);
      await redis.del('p2p:rate:caller:ministry:gateway-tests');
      redis.disconnect();
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await hubs[i % 2]!.query('{ __typename }'));
      const refused = answers.filter((a) => a.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
      expect(answers.slice(0, 4).every((a) => a.data?.__typename === 'Query')).toBe(true);
      expect(refused.length).toBeGreaterThanOrEqual(1);
    });
  });
});

describe('rate limit store unavailable', () => {
  it('should let requests through and warn, rather than fail them', async () => {
    const lines: string[] = [];
    const limiter = new RedisTokenBucketLimiter({
      url: 'redis://127.0.0.1:1',
      ratePerSecond: 1,
      burst: 1,
      logger: createLogger({ level: 'warn', destination: { write: (l) => lines.push(l) } }),
      commandTimeoutMs: 100,
    });
    try {
      for (let i = 0; i < 3; i++) expect((await limiter.take('someone')).allowed).toBe(true);
      expect(lines.some((l) => l.includes('rate limit store (Redis) unavailable'))).toBe(true);
    } finally {
      await limiter.close();
    }
  });
});
