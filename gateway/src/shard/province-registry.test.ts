import { describe, expect, it } from 'vitest';
import type { ConformanceVerdict } from '../health/conformance-verdict.js';
import { ProvinceRegistry, type ProvinceRefusal } from './province-registry.js';

const verdict = (kind: ConformanceVerdict['verdict']): ConformanceVerdict => ({
  verdict: kind,
  file: '/reports/440000.json',
  readAt: '2026-12-07T06:00:00.000Z',
});

describe('the province registry’s refusal listeners', () => {
  it('should tell each change of a province’s refusal once, and nothing when it stays', () => {
    const registry = new ProvinceRegistry({ '440000': 'http://gd', '450000': 'http://gx' });
    const told: [string, ProvinceRefusal | undefined][] = [];
    const unlisten = registry.onRefusalChange((code, refusal) => told.push([code, refusal]));
    registry.update('440000', { status: 'up', conformance: verdict('passed') });
    registry.update('440000', { status: 'up', conformance: verdict('failed') });
    registry.update('440000', { status: 'up', conformance: verdict('missing') });
    registry.update('440000', { status: 'incompatible', conformance: verdict('passed') });
    registry.update('440000', { status: 'down' });
    registry.update('450000', { status: 'down' });
    unlisten();
    registry.update('440000', { status: 'incompatible' });
    expect(told).toEqual([
      ['440000', 'conformance'],
      ['440000', 'incompatible'],
      ['440000', undefined],
    ]);
  });
});
