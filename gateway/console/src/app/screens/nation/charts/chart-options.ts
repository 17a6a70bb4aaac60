import type { EChartsCoreOption } from 'echarts/core';

/** A named series of values, one per category. */
export interface ChartSeries {
  name: string;
  values: readonly number[];
}

const PALETTE = ['#0b5cad', '#d4600a', '#1d6b2f', '#7a3fa0', '#a4000f', '#4a4a4a'];
const AXIS_TEXT = { color: '#1a1a1a' };

/** A bar chart (stacked when `stacked`), one bar group per category (e.g. a region). */
export function barOption(
  categories: readonly string[],
  series: readonly ChartSeries[],
  options: { stacked?: boolean; percent?: boolean } = {},
): EChartsCoreOption {
  return {
    animation: false,
    color: PALETTE,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: series.length > 1 ? { top: 0, textStyle: AXIS_TEXT } : undefined,
    grid: { left: 56, right: 16, top: series.length > 1 ? 36 : 16, bottom: 72 },
    xAxis: {
      type: 'category',
      data: categories,
      axisLabel: { ...AXIS_TEXT, interval: 0, rotate: categories.length > 8 ? 40 : 0 },
    },
    yAxis: {
      type: 'value',
      axisLabel: { ...AXIS_TEXT, ...(options.percent ? { formatter: '{value}%' } : {}) },
    },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      stack: options.stacked ? 'total' : undefined,
      data: options.percent ? s.values.map((v) => Math.round(v * 1000) / 10) : s.values,
      emphasis: { focus: 'series' },
    })),
  };
}

/** A line chart over days. */
export function lineOption(days: readonly string[], series: readonly ChartSeries[]): EChartsCoreOption {
  return {
    animation: false,
    color: PALETTE,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: AXIS_TEXT },
    grid: { left: 56, right: 16, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)), axisLabel: AXIS_TEXT },
    yAxis: { type: 'value', axisLabel: AXIS_TEXT, minInterval: 1 },
    series: series.map((s) => ({ type: 'line', name: s.name, data: s.values, showSymbol: true })),
  };
}
