import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { baseOption, categoryAxis, tooltip, valueAxis } from '../../../components/charts/base';
import { Chart } from '../../../components/charts/Chart';
import type { ChartOption } from '../../../components/charts/echarts';
import { useChartTheme, type ChartTheme } from '../../../components/charts/theme';
import { tooltipHtml } from '../../../components/charts/tooltip';
import { pluralize } from '../../../components/report/labels';
import { ChartCard } from '../ChartCard';
import { count } from '../format';
import type { ReportLinks } from '../links';
import type { AgeBucket, Dashboard } from '../types';

/** How long open vulnerabilities have been around (since first detection): the backlog's age. */
export function AgeChart({ dashboard, links }: { dashboard: Dashboard; links: ReportLinks }) {
  const theme = useChartTheme();
  const navigate = useNavigate();
  const buckets = dashboard.age_buckets;
  const option = useMemo(() => ageOption(theme, buckets), [theme, buckets]);
  const open = buckets.reduce((n, b) => n + b.count, 0);
  const olderThan = (days: number) => buckets.filter((b) => b.min_days >= days).reduce((n, b) => n + b.count, 0);
  const summary =
    open === 0
      ? 'Nothing is open.'
      : `Of ${pluralize(open, 'open vulnerability', 'open vulnerabilities')}, ${count(olderThan(90))} ${olderThan(90) === 1 ? 'is' : 'are'} older than 90 days and ${count(olderThan(365))} older than a year.`;
  return (
    <ChartCard
      title="Age of open vulnerabilities"
      summary={summary}
      chart={
        <Chart
          option={option}
          label={`Bar chart of open vulnerabilities by age. ${summary}`}
          onItemClick={({ dataIndex }) => dataIndex !== undefined && navigate(links.age(buckets[dataIndex]!))}
        />
      }
      table={
        <table>
          <caption className="visually-hidden">Open vulnerabilities by age since first detection</caption>
          <thead>
            <tr>
              <th scope="col">Age</th>
              <th scope="col" className="num">Open</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.label}>
                <th scope="row">
                  <Link to={links.age(b)}>{b.label}</Link>
                </th>
                <td className="num">{count(b.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

function ageOption(theme: ChartTheme, buckets: AgeBucket[]): ChartOption {
  return {
    ...baseOption(theme),
    grid: { ...baseOption(theme).grid, top: 24 },
    tooltip: tooltip(theme, 'axis', (i) => tooltipHtml(buckets[i]!.label, [{ label: 'Open', value: count(buckets[i]!.count), swatch: 'accent' }], 'Click to open these vulnerabilities')),
    // Every bucket named, the unit on a second line rather than a label skipped: a missing label makes the bars ambiguous.
    xAxis: categoryAxis(theme, buckets.map((b) => b.label.replace(/ (days?|years?)$/, '\n$1')), { axisLabel: { color: theme.muted, interval: 0 } }),
    yAxis: valueAxis(theme),
    series: [
      {
        type: 'bar',
        name: 'Open',
        data: buckets.map((b) => b.count),
        color: theme.accent,
        barMaxWidth: 36,
        cursor: 'pointer',
        itemStyle: { borderRadius: [3, 3, 0, 0] },
        label: { show: true, position: 'top', color: theme.text, formatter: ({ value }) => count(Number(value)) },
      },
    ],
  };
}
