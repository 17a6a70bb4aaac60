import { afterEach, describe, expect, it } from 'vitest';
import { startHub } from '../testing/hub-fixture.js';

/**
 * @apollo/gateway reports host metrics to Apollo and probes cloud metadata endpoints unless
 * APOLLO_TELEMETRY_DISABLED is set (node_modules/@apollo/gateway/dist/index.js): the hub's gateway
 * turns that off unless its operator decided otherwise (docs/operations.md).
 */
describe("the gateway and Apollo's telemetry", () => {
  const before = process.env.APOLLO_TELEMETRY_DISABLED;
  afterEach(() => {
    if (before === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
    else process.env.APOLLO_TELEMETRY_DISABLED = before;
  });

  it('should start with Apollo telemetry off when nothing, or nothing Apollo reads as off, says otherwise', async () => {
    for (const value of [undefined, '', 'yes', 'TRUE']) {
      if (value === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
      else process.env.APOLLO_TELEMETRY_DISABLED = value;
      const hub = await startHub(['450000']);
      try {
        expect(process.env.APOLLO_TELEMETRY_DISABLED, String(value)).toBe('true');
      } finally {
        await hub.close();
      }
    }
  });

  it("should leave an operator's explicit choice alone", async () => {
    process.env.APOLLO_TELEMETRY_DISABLED = 'false';
    const hub = await startHub(['450000']);
    try {
      expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('false');
    } finally {
      await hub.close();
    }
  });
});
