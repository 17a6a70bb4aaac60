import { describe, expect, it } from 'vitest';
import { PROVINCE_TILES, TILE_GRID, tileOf } from './tile-layout.js';

describe('PROVINCE_TILES', () => {
  it('should place the 31 provinces of the mainland once each, on distinct tiles', () => {
    expect(new Set(PROVINCE_TILES.map((t) => t.code)).size).toBe(31);
    expect(new Set(PROVINCE_TILES.map((t) => `${t.column},${t.row}`)).size).toBe(31);
    for (const tile of PROVINCE_TILES) {
      expect(tile.code).toMatch(/^\d{2}0000$/);
      expect(tile.column).toBeLessThan(TILE_GRID.columns);
      expect(tile.row).toBeLessThan(TILE_GRID.rows);
    }
  });

  it('should find the tile of a city by its province', () => {
    expect(tileOf('450200')?.zh).toBe('广西');
    expect(tileOf('710000')).toBeUndefined();
  });
});
