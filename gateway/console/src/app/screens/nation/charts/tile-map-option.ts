import type { EChartsCoreOption } from 'echarts/core';
import type { RegionFigures } from '../region-figures';
import { PROVINCE_TILES, TILE_GRID, tileOf } from '../tile-layout';

/** A flow line between two provinces' tiles, sized by the people it moved. */
export interface TileFlow {
  from: string;
  to: string;
  /** Passengers who departed (the line's width). */
  moved: number;
  /** Passengers planned and moved: a corridor with none moved yet is drawn thin and dashed. */
  planned: number;
}

/** What the tile map shows. */
export interface TileMapInput {
  provinces: readonly RegionFigures[];
  /** The figure that colours the tiles. */
  figure: keyof RegionFigures;
  /** The figure's name (legend, tooltip). */
  figureName: string;
  format: (value: number) => string;
  language: 'zh' | 'en';
  labels: { empty: string; unavailable: string };
  flows?: readonly TileFlow[];
}

const EMPTY = '#e6e6e6';
const UNAVAILABLE = '#f3d6d6';

/**
 * The ECharts option of the tile-grid map: a heatmap on category axes (one cell per province tile,
 * coloured by a visual map of the chosen figure), the provinces with no data or that did not
 * answer in a second heatmap with fixed colours, and flow lines between tile centres.
 */
export function tileMapOption(input: TileMapInput): EChartsCoreOption {
  const byCode = new Map(input.provinces.map((p) => [p.code, p]));
  const valued: object[] = [];
  const grey: object[] = [];
  let max = 0;
  for (const tile of PROVINCE_TILES) {
    const figures = byCode.get(tile.code);
    const shortName = input.language === 'zh' ? tile.zh : tile.en;
    const raw = figures ? figures[input.figure] : null;
    const value = typeof raw === 'number' ? raw : null;
    if (figures?.status !== 'ok' || value === null) {
      const unavailable = figures?.status === 'unavailable';
      grey.push({
        name: tile.code,
        value: [tile.column, tile.row, unavailable ? 1 : 0],
        shortName,
        text: unavailable ? input.labels.unavailable : input.labels.empty,
        itemStyle: {
          color: unavailable ? UNAVAILABLE : EMPTY,
          ...(unavailable
            ? {
                decal: {
                  symbol: 'rect',
                  dashArrayX: [1, 0],
                  dashArrayY: [2, 5],
                  rotation: -Math.PI / 4,
                  color: '#a4000f66',
                },
              }
            : {}),
        },
      });
      continue;
    }
    max = Math.max(max, value);
    valued.push({
      name: tile.code,
      value: [tile.column, tile.row, value],
      shortName,
      text: input.format(value),
    });
  }
  const label = {
    show: true,
    color: '#1a1a1a',
    textBorderColor: '#ffffff',
    textBorderWidth: 3,
    fontSize: 13,
    lineHeight: 18,
    formatter: (p: { data: { shortName: string; text: string } }) => `${p.data.shortName}\n${p.data.text}`,
  };
  const cell = { borderColor: '#ffffff', borderWidth: 4 };
  const flows = (input.flows ?? []).filter((f) => f.planned + f.moved > 0 && tileOf(f.from) && tileOf(f.to));
  const widest = Math.max(1, ...flows.map((f) => f.moved));
  return {
    animation: false,
    tooltip: {
      formatter: (p: { data: { shortName: string; text: string }; seriesType: string; name: string }) =>
        p.seriesType === 'lines' ? p.name : `${p.data.shortName}: ${p.data.text}`,
    },
    grid: { left: 8, right: 8, top: 8, bottom: 48 },
    xAxis: { type: 'category', data: range(TILE_GRID.columns), show: false },
    yAxis: { type: 'category', data: range(TILE_GRID.rows), show: false, inverse: true },
    visualMap: [
      {
        type: 'continuous',
        seriesIndex: 0,
        min: 0,
        max: max || 1,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 200,
        text: [input.format(max), input.format(0)],
        textStyle: { color: '#1a1a1a' },
        calculable: false,
        inRange: { color: ['#cfe2f7', '#0b5cad'] },
      },
      {
        // The tiles without figures: 0 nothing recorded (or not connected), 1 the province did not answer.
        type: 'piecewise',
        show: false,
        seriesIndex: 1,
        pieces: [
          { value: 0, color: EMPTY },
          { value: 1, color: UNAVAILABLE },
        ],
      },
    ],
    series: [
      {
        type: 'heatmap',
        data: valued,
        label,
        itemStyle: cell,
        emphasis: { itemStyle: { borderColor: '#1a1a1a' } },
      },
      { type: 'heatmap', data: grey, label, itemStyle: cell },
      {
        type: 'lines',
        coordinateSystem: 'cartesian2d',
        zlevel: 1,
        // Clicks and hovers go to the tiles under the lines (a click drills into a province).
        silent: true,
        effect: { show: false },
        lineStyle: { color: '#a4000f', opacity: 0.7, curveness: 0.25 },
        symbol: ['none', 'arrow'],
        symbolSize: 10,
        data: flows.map((f) => ({
          name: `${tileOf(f.from)![input.language]} → ${tileOf(f.to)![input.language]}: ${input.format(f.moved)} / ${input.format(f.planned)}`,
          coords: [
            [tileOf(f.from)!.column, tileOf(f.from)!.row],
            [tileOf(f.to)!.column, tileOf(f.to)!.row],
          ],
          lineStyle: f.moved > 0 ? { width: 2 + (8 * f.moved) / widest } : { width: 1.5, type: 'dashed' },
        })),
      },
    ],
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
