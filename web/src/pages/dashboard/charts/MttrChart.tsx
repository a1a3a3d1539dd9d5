import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { baseOption, categoryAxis, tooltip, valueAxis } from '../../../components/charts/base';
import { Chart } from '../../../components/charts/Chart';
import type { ChartOption } from '../../../components/charts/echarts';
import { useChartTheme, type ChartTheme } from '../../../components/charts/theme';
import { tooltipHtml } from '../../../components/charts/tooltip';
import { severityLabel } from '../../../components/report/labels';
import { ChartCard } from '../ChartCard';
import { count, decimal, duration } from '../format';
import type { ReportLinks } from '../links';
import type { Dashboard } from '../types';

type Mttr = Dashboard['mttr'][number];

/** Mean time to resolve per severity, for resolutions in the period; horizontal so "no resolutions" has room. */
export function MttrChart({ dashboard, links }: { dashboard: Dashboard; links: ReportLinks }) {
  const theme = useChartTheme();
  const navigate = useNavigate();
  const { mttr, days } = dashboard;
  const option = useMemo(() => mttrOption(theme, mttr), [theme, mttr]);
  const measured = mttr.filter((m) => m.mean_days !== null);
  const summary =
    measured.length === 0
      ? `No vulnerability was resolved in the last ${days} days.`
      : `Mean time to resolve, over the last ${days} days: ${measured.map((m) => `${m.severity} ${duration(m.mean_days)}`).join(', ')}.`;
  return (
    <ChartCard
      title="Mean time to resolve"
      summary={summary}
      empty={measured.length === 0 ? 'No resolutions to measure.' : undefined}
      chart={
        <Chart
          option={option}
          label={`Bar chart of the mean days to resolve per severity. ${summary}`}
          onItemClick={({ dataIndex }) => dataIndex !== undefined && navigate(links.resolved(mttr[dataIndex]!.severity))}
        />
      }
      table={
        <table>
          <caption className="visually-hidden">Mean and median days to resolve per severity</caption>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col" className="num">Resolved</th>
              <th scope="col" className="num">Mean days</th>
              <th scope="col" className="num">Median days</th>
            </tr>
          </thead>
          <tbody>
            {mttr.map((m) => (
              <tr key={m.severity}>
                <th scope="row">
                  <Link to={links.resolved(m.severity)}>{severityLabel(m.severity)}</Link>
                </th>
                <td className="num">{count(m.resolved)}</td>
                <td className="num">{m.mean_days === null ? '—' : decimal(m.mean_days)}</td>
                <td className="num">{m.median_days === null ? '—' : decimal(m.median_days)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

function mttrOption(theme: ChartTheme, mttr: Mttr[]): ChartOption {
  return {
    ...baseOption(theme),
    grid: { ...baseOption(theme).grid, right: 24 },
    tooltip: tooltip(theme, 'item', (i) => {
      const m = mttr[i]!;
      return tooltipHtml(
        severityLabel(m.severity),
        [
          { label: 'Mean', value: duration(m.mean_days), swatch: m.severity },
          { label: 'Median', value: duration(m.median_days) },
          { label: 'Resolved', value: count(m.resolved) },
        ],
        'Click to open the resolved vulnerabilities',
      );
    }),
    yAxis: categoryAxis(theme, mttr.map((m) => severityLabel(m.severity)), { inverse: true }),
    xAxis: valueAxis(theme, { minInterval: 0, axisLabel: { color: theme.muted, formatter: '{value} d' } }),
    series: [
      {
        type: 'bar',
        name: 'Mean days to resolve',
        barMaxWidth: 16,
        cursor: 'pointer',
        data: mttr.map((m) => ({
          value: m.mean_days ?? 0,
          itemStyle: { color: theme.severity[m.severity], borderRadius: [0, 3, 3, 0] },
          label: { show: true, position: 'right', color: m.mean_days === null ? theme.muted : theme.text, formatter: () => duration(m.mean_days) },
        })),
      },
    ],
  };
}
