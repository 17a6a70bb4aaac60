import { describe, expect, it } from 'vitest';
import { ProvinceRegistry } from './province-registry.js';
import { ProvinceBreaker } from './province-breaker.js';

function setup(probeResult: 'up' | 'down', retryAfterMs = 1000) {
  const registry = new ProvinceRegistry({ '450000': 'http://gx' });
  const probes: string[] = [];
  let release: () => void = () => {};
  const gate = { hold: false };
  const breaker = new ProvinceBreaker({
    registry,
    retryAfterMs,
    probe: async (code) => {
      probes.push(code);
      if (gate.hold)
        await new Promise<void>((r) => {
          release = r;
        });
      registry.update(code, { status: probeResult });
    },
  });
  return { registry, breaker, probes, gate, release: () => release() };
}

describe('ProvinceBreaker', () => {
  it('should let requests through while the province is not known to be down', async () => {
    const { breaker, probes } = setup('up');
    expect(await breaker.available('450000')).toBe(true);
    expect(probes).toEqual([]);
  });

  it('should mark a province down on a timeout or connection failure, not on an HTTP error', () => {
    const { registry, breaker } = setup('up');
    breaker.failed('450000', 'http');
    expect(registry.status('450000')).toBe('unknown');
    breaker.failed('450000', 'timeout');
    expect(registry.status('450000')).toBe('down');
    expect(registry.snapshot()[0]!.problems).toEqual(['fetch: timeout']);
  });

  it('should probe a down province once, go ahead when it is back', async () => {
    const { registry, breaker, probes } = setup('up');
    breaker.failed('450000', 'network');
    expect(await breaker.available('450000')).toBe(true);
    expect(probes).toEqual(['450000']);
    expect(registry.status('450000')).toBe('up');
  });

  it("should count a timeout as the window's probe", async () => {
    const { breaker, probes } = setup('up', 60_000);
    breaker.failed('450000', 'timeout');
    expect(await breaker.available('450000')).toBe(false);
    expect(probes).toEqual([]);
  });

  it('should skip a province that stays down without probing again within the window', async () => {
    const { breaker, probes } = setup('down', 60_000);
    breaker.failed('450000', 'network');
    expect(await breaker.available('450000')).toBe(false);
    expect(await breaker.available('450000')).toBe(false);
    expect(probes).toHaveLength(1);
  });

  it('should skip at once while a probe is under way', async () => {
    const { breaker, probes, gate, release } = setup('up');
    breaker.failed('450000', 'network');
    gate.hold = true;
    const first = breaker.available('450000');
    expect(await breaker.available('450000')).toBe(false);
    release();
    expect(await first).toBe(true);
    expect(probes).toHaveLength(1);
  });
});
