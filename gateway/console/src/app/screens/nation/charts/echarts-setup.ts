/**
 * The part of ECharts the nation screen draws with (loaded on first use, in its own chunk): the
 * tile map (heatmap on category axes, with flow lines), bar and line charts, on canvas.
 */
import { BarChart, HeatmapChart, LineChart, LinesChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  LinesChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export { echarts };
