import { describe, expect, it } from 'vitest';
import { gatewayOptionsFromEnv } from '../config.js';

describe('LOCAL_REGIONS', () => {
  it('should answer Region entities in the gateway unless turned off', () => {
    expect(gatewayOptionsFromEnv({}).localRegions).toBeUndefined();
    expect(gatewayOptionsFromEnv({ LOCAL_REGIONS: 'on' }).localRegions).toBeUndefined();
    expect(gatewayOptionsFromEnv({ LOCAL_REGIONS: 'off' }).localRegions).toBe(false);
    expect(gatewayOptionsFromEnv({ LOCAL_REGIONS: '0' }).localRegions).toBe(false);
  });

  it('should refuse a value that is neither on nor off', () => {
    expect(() => gatewayOptionsFromEnv({ LOCAL_REGIONS: 'sometimes' })).toThrow(/LOCAL_REGIONS/);
  });
});
