/**
 * The one place ECharts is assembled. Only the modules the app draws with are registered, so the bundle carries
 * just those (echarts/core is tree-shakable; the full 'echarts' entry would pull in every chart type).
 * Canvas, not SVG: the SVG renderer writes inline style attributes, which our Content-Security-Policy forbids.
 */
import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// No legend component: keys are HTML (Legend.tsx), which wraps on a phone and weighs nothing here.
use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, CanvasRenderer]);

/** An option object limited to what is registered above: using anything else is a type error, not a blank chart. */
export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption>;

export { init };
export type { EChartsType } from 'echarts/core';
