import { useEffect, useRef } from 'react';
import type { EChartsCoreOption, ECharts } from 'echarts/core';

/** What a click on a chart item carries (the item's `name` and `data`). */
export interface ChartClick {
  name: string;
  data: unknown;
  seriesIndex: number;
}

/** Props of {@link EChart}. */
export interface EChartProps {
  option: EChartsCoreOption;
  /** Describes the chart for screen readers (the numbers are in its table). */
  label: string;
  height: number;
  onItemClick?: (click: ChartClick) => void;
  testId?: string;
}

/** An ECharts chart in a `role="img"` box; ECharts itself is loaded on first use. */
export function EChart({ option, label, height, onItemClick, testId }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const clickRef = useRef(onItemClick);
  clickRef.current = onItemClick;
  const optionRef = useRef(option);
  optionRef.current = option;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void import('./echarts-setup').then(({ echarts }) => {
      if (disposed || !box.current) return;
      const instance = echarts.init(box.current);
      chart.current = instance;
      draw(instance, optionRef.current);
      instance.on('click', (params) => {
        const p = params as unknown as ChartClick;
        clickRef.current?.({ name: p.name, data: p.data, seriesIndex: p.seriesIndex });
      });
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(box.current);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (chart.current) draw(chart.current, option);
  }, [option]);

  return (
    <div ref={box} role="img" aria-label={label} style={{ height, width: '100%' }} data-testid={testId} />
  );
}

/** Sets a chart's option; a chart that cannot draw it stays as it was (its numbers are in its table) rather than take the screen down. */
function draw(chart: ECharts, option: EChartsCoreOption): void {
  try {
    chart.setOption(option, { notMerge: true });
  } catch (err) {
    console.error('chart not drawn:', err);
  }
}
