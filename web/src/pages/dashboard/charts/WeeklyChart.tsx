import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { baseOption, categoryAxis, tooltip, valueAxis } from '../../../components/charts/base';
import { Chart } from '../../../components/charts/Chart';
import type { ChartOption } from '../../../components/charts/echarts';
import { useChartTheme, type ChartTheme } from '../../../components/charts/theme';
import { tooltipHtml } from '../../../components/charts/tooltip';
import { pluralize } from '../../../components/report/labels';
import { ChartCard } from '../ChartCard';
import { count, dayLabel, dayLabelLong } from '../format';
import type { ReportLinks } from '../links';
import type { Dashboard } from '../types';

type Week = Dashboard['weekly'][number];

/** Detection against remediation: is the team keeping up? */
export function WeeklyChart({ dashboard, links }: { dashboard: Dashboard; links: ReportLinks }) {
  const theme = useChartTheme();
  const navigate = useNavigate();
  const { weekly } = dashboard;
  const option = useMemo(() => weeklyOption(theme, weekly), [theme, weekly]);
  const found = weekly.reduce((n, w) => n + w.new, 0);
  const fixed = weekly.reduce((n, w) => n + w.resolved, 0);
  const quiet = found === 0 && fixed === 0;
  const summary = quiet
    ? `Nothing was found or resolved in the last ${dashboard.days} days.`
    : `${pluralize(found, 'new vulnerability', 'new vulnerabilities')} and ${count(fixed)} resolved in ${pluralize(weekly.length, 'week')}: ${
        fixed >= found ? 'remediation is keeping up.' : `${count(found - fixed)} more found than fixed.`
      }`;
  const open = (week: Week, series: number) => navigate(series === 0 ? links.weekNew(week.week_start) : links.weekResolved(week.week_start));
  return (
    <ChartCard
      size="wide"
      title="New and resolved per week"
      summary={summary}
      legend={
        quiet
          ? undefined
          : [
              { label: 'New', swatch: 'danger' },
              { label: 'Resolved', swatch: 'ok' },
            ]
      }
      empty={quiet ? 'No new or resolved vulnerabilities.' : undefined}
      chart={
        <Chart
        option={option}
        label={`Bar chart of new and resolved vulnerabilities per week. ${summary}`}
        onItemClick={({ seriesIndex, dataIndex }) => dataIndex !== undefined && open(weekly[dataIndex]!, seriesIndex)}
        />
      }
      table={
        <table>
          <caption className="visually-hidden">New and resolved vulnerabilities per week</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col" className="num">New</th>
              <th scope="col" className="num">Resolved</th>
            </tr>
          </thead>
          <tbody>
            {weekly.map((w) => (
              <tr key={w.week_start}>
                <th scope="row">{dayLabelLong(w.week_start)}</th>
                <td className="num">
                  <Link to={links.weekNew(w.week_start)} aria-label={`${count(w.new)} new in the week of ${dayLabelLong(w.week_start)}`}>
                    {count(w.new)}
                  </Link>
                </td>
                <td className="num">
                  <Link to={links.weekResolved(w.week_start)} aria-label={`${count(w.resolved)} resolved in the week of ${dayLabelLong(w.week_start)}`}>
                    {count(w.resolved)}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

function weeklyOption(theme: ChartTheme, weekly: Week[]): ChartOption {
  return {
    ...baseOption(theme),
    tooltip: tooltip(theme, 'axis', (i) => {
      const w = weekly[i]!;
      return tooltipHtml(
        `Week of ${dayLabelLong(w.week_start)}`,
        [
          { label: 'New', value: count(w.new), swatch: 'danger' },
          { label: 'Resolved', value: count(w.resolved), swatch: 'ok' },
        ],
        'Click a bar to open those vulnerabilities',
      );
    }),
    xAxis: categoryAxis(theme, weekly.map((w) => dayLabel(w.week_start))),
    yAxis: valueAxis(theme),
    series: [
      { type: 'bar', name: 'New', data: weekly.map((w) => w.new), color: theme.danger, barMaxWidth: 18, itemStyle: { borderRadius: [3, 3, 0, 0] } },
      { type: 'bar', name: 'Resolved', data: weekly.map((w) => w.resolved), color: theme.ok, barMaxWidth: 18, itemStyle: { borderRadius: [3, 3, 0, 0] } },
    ],
  };
}
