import { describe, expect, it } from 'vitest';
import { provincePoolSize } from './connection-budget.js';

const server = { maxConnections: 100, superuserReserved: 3 };

describe("provinces sharing one PostgreSQL server's connections", () => {
  it('should give each province an equal share under max_connections, at most the default pool of 10', () => {
    expect(provincePoolSize(server, 5)).toBe(10);
    expect(provincePoolSize(server, 31)).toBe(1);
    expect(provincePoolSize(server, 10)).toBe(8);
    for (const provinces of [1, 5, 10, 20, 31, 46]) {
      const pool = provincePoolSize(server, provinces);
      // Pools plus their LISTEN connections stay within what is left after the reserved ones.
      expect(provinces * (pool + 1), String(provinces)).toBeLessThanOrEqual(100 - 3 - 5);
    }
  });

  it('should say what max_connections the server needs when a province would get no connection', () => {
    expect(() => provincePoolSize(server, 47)).toThrow(
      /allows 100 connections: 47 provinces need at least 102/,
    );
    expect(provincePoolSize({ maxConnections: 102, superuserReserved: 3 }, 47)).toBe(1);
  });
});
