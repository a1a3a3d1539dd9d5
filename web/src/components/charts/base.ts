import type { ChartOption } from './echarts';
import type { ChartTheme } from './theme';

/**
 * The look every chart shares (fonts, axes, grid lines, tooltip frame) built from the theme, so a chart
 * only states what is particular to it.
 */

type One<T> = Exclude<NonNullable<T>, unknown[]>;
/** An axis usable as x or y (bars run either way), so the builders below serve both. */
type Axis = One<ChartOption['xAxis']> & One<ChartOption['yAxis']>;

export function baseOption(theme: ChartTheme): ChartOption {
  return {
    textStyle: { fontFamily: theme.fontFamily, color: theme.text, fontSize: 12 },
    animationDuration: 350,
    // Room for axis labels is computed, so long names (projects, CWEs) are never cut off.
    grid: { left: 8, right: 16, top: 12, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
  };
}

/** A tooltip whose content the chart builds from its own data for the hovered category or item (see tooltip.ts). */
export function tooltip(theme: ChartTheme, trigger: 'axis' | 'item', content: (dataIndex: number, seriesIndex: number) => string): ChartOption['tooltip'] {
  return {
    trigger,
    confine: true, // never wider than the chart: no horizontal scroll on a phone
    className: 'chart-tooltip',
    backgroundColor: theme.surface,
    borderColor: theme.border,
    textStyle: { color: theme.text, fontFamily: theme.fontFamily, fontSize: 13 },
    extraCssText: 'box-shadow: 0 4px 14px rgb(0 0 0 / 18%);',
    axisPointer: { type: trigger === 'axis' ? 'shadow' : 'none', shadowStyle: { color: theme.dark ? 'rgb(255 255 255 / 6%)' : 'rgb(0 0 0 / 5%)' } },
    formatter: (params) => {
      const first = Array.isArray(params) ? params[0] : params;
      return first ? content(first.dataIndex, first.seriesIndex ?? 0) : '';
    },
  };
}

export function categoryAxis(theme: ChartTheme, data: string[], extra: Partial<Axis> = {}): Axis {
  return {
    type: 'category',
    data,
    axisLine: { lineStyle: { color: theme.border } },
    axisTick: { show: false },
    axisLabel: { color: theme.muted, hideOverlap: true },
    ...extra,
  } as Axis;
}

export function valueAxis(theme: ChartTheme, extra: Partial<Axis> = {}): Axis {
  return {
    type: 'value',
    minInterval: 1,
    splitLine: { lineStyle: { color: theme.border, type: 'dashed' } },
    axisLabel: { color: theme.muted, hideOverlap: true },
    ...extra,
  } as Axis;
}
