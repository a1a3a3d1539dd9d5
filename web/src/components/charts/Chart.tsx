import { useEffect, useRef } from 'react';
import { init, type ChartOption, type EChartsType } from './echarts';
import './charts.css';

/** What was clicked: a bar, a slice, a point, or (with triggerEvent on a line series) a line or its area. */
export interface ChartItem {
  seriesIndex: number;
  /** The category or data item; undefined for a click on a line or area as a whole. */
  dataIndex: number | undefined;
}

interface ChartProps {
  option: ChartOption;
  /** What the chart shows, for screen readers (the canvas itself says nothing). */
  label: string;
  onItemClick?: (item: ChartItem) => void;
  className?: string;
}

/**
 * An ECharts canvas that fills its container: it resizes with the container, takes a new option when the option
 * object changes (memoise it), and is disposed on unmount. The container is role="img": the canvas is one picture,
 * and the page puts the same numbers in a table next to it for keyboards and screen readers.
 */
export function Chart({ option, label, onItemClick, className }: ChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  // The latest handler, read at click time, so a re-render never needs to rebind the chart's listener.
  const clickHandler = useRef(onItemClick);
  useEffect(() => {
    clickHandler.current = onItemClick;
  });

  useEffect(() => {
    const element = container.current!;
    const instance = init(element, null, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => {
      const dataIndex = typeof params.dataIndex === 'number' && params.dataIndex >= 0 ? params.dataIndex : undefined;
      clickHandler.current?.({ seriesIndex: params.seriesIndex ?? 0, dataIndex });
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a new period or palette replaces the whole picture instead of blending into the old one.
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={container} className={className ? `chart ${className}` : 'chart'} role="img" aria-label={label} />;
}
