import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { baseOption, categoryAxis, tooltip, valueAxis } from '../../../components/charts/base';
import { Chart } from '../../../components/charts/Chart';
import type { ChartOption } from '../../../components/charts/echarts';
import { useChartTheme, type ChartTheme } from '../../../components/charts/theme';
import { tooltipHtml } from '../../../components/charts/tooltip';
import { ChartCard } from '../ChartCard';
import { count } from '../format';
import type { ReportLinks } from '../links';
import type { Dashboard } from '../types';

type Cwe = Dashboard['top_cwes'][number];

/** The weaknesses that come back most often: where training or a shared fix pays off. */
export function TopCwesChart({ dashboard, links }: { dashboard: Dashboard; links: ReportLinks }) {
  const theme = useChartTheme();
  const navigate = useNavigate();
  const cwes = dashboard.top_cwes;
  const option = useMemo(() => topCwesOption(theme, cwes), [theme, cwes]);
  const summary =
    cwes.length === 0
      ? 'No open vulnerability names a CWE.'
      : `The most frequent weakness is ${cwes[0]!.cwe} (${count(cwes[0]!.count)})${cwes.length > 1 ? `, then ${cwes.slice(1, 3).map((c) => `${c.cwe} (${count(c.count)})`).join(' and ')}` : ''}.`;
  return (
    <ChartCard
      title="Top weaknesses (CWE)"
      summary={summary}
      empty={cwes.length === 0 ? 'No CWE to show.' : undefined}
      chart={
        <Chart
          option={option}
          label={`Bar chart of the most frequent CWEs among open vulnerabilities. ${summary}`}
          onItemClick={({ dataIndex }) => dataIndex !== undefined && navigate(links.cwe(cwes[dataIndex]!.cwe))}
        />
      }
      table={
        <table>
          <caption className="visually-hidden">Most frequent CWEs among open vulnerabilities</caption>
          <thead>
            <tr>
              <th scope="col">CWE</th>
              <th scope="col" className="num">Open</th>
            </tr>
          </thead>
          <tbody>
            {cwes.map((c) => (
              <tr key={c.cwe}>
                <th scope="row">
                  <Link to={links.cwe(c.cwe)}>{c.cwe}</Link>
                </th>
                <td className="num">{count(c.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

function topCwesOption(theme: ChartTheme, cwes: Cwe[]): ChartOption {
  return {
    ...baseOption(theme),
    grid: { ...baseOption(theme).grid, right: 32 },
    tooltip: tooltip(theme, 'axis', (i) => tooltipHtml(cwes[i]!.cwe, [{ label: 'Open', value: count(cwes[i]!.count), swatch: 'accent' }], 'Click to open these vulnerabilities')),
    yAxis: categoryAxis(theme, cwes.map((c) => c.cwe), { inverse: true, axisLabel: { color: theme.text } }),
    xAxis: valueAxis(theme),
    series: [
      {
        type: 'bar',
        name: 'Open',
        data: cwes.map((c) => c.count),
        color: theme.accent,
        barMaxWidth: 16,
        cursor: 'pointer',
        itemStyle: { borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: theme.text, formatter: ({ value }) => count(Number(value)) },
      },
    ],
  };
}
