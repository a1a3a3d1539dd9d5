import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { SEVERITIES } from '../../../api/types';
import { baseOption, categoryAxis, tooltip, valueAxis } from '../../../components/charts/base';
import { Chart } from '../../../components/charts/Chart';
import type { ChartOption } from '../../../components/charts/echarts';
import { useChartTheme, type ChartTheme } from '../../../components/charts/theme';
import { tooltipHtml } from '../../../components/charts/tooltip';
import { pluralize, severityLabel } from '../../../components/report/labels';
import { ChartCard } from '../ChartCard';
import { count, dayLabel, dayLabelLong } from '../format';
import type { ReportLinks } from '../links';
import { totalOf, type Dashboard } from '../types';

type Day = Dashboard['trend'][number];

/** Open vulnerabilities at the end of each day, stacked by severity (critical at the bottom, where the eye starts). */
export function TrendChart({ dashboard, links }: { dashboard: Dashboard; links: ReportLinks }) {
  const theme = useChartTheme();
  const navigate = useNavigate();
  const { trend, days } = dashboard;
  const option = useMemo(() => trendOption(theme, trend), [theme, trend]);
  const first = trend[0];
  const last = trend[trend.length - 1];
  const summary =
    first && last
      ? `${changeSentence(totalOf(first), totalOf(last), first.day)}: ${count(last.critical)} critical, ${count(last.high)} high, ${count(last.medium)} medium, ${count(last.low)} low.`
      : 'No history yet for this period.';
  return (
    <ChartCard
      size="full"
      title="Open vulnerabilities over time"
      summary={summary}
      legend={SEVERITIES.map((s) => ({ label: severityLabel(s), swatch: s }))}
      chart={
        <Chart
          className="tall"
          option={option}
          label={`Stacked area chart of open vulnerabilities per day by severity over the last ${days} days. ${summary}`}
          onItemClick={({ seriesIndex }) => navigate(links.severity(SEVERITIES[seriesIndex]!))}
        />
      }
      table={
        <table>
          <caption className="visually-hidden">Open vulnerabilities at the end of each day, by severity</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {SEVERITIES.map((s) => (
                <th scope="col" key={s} className="num">
                  <Link to={links.severity(s)}>{severityLabel(s)}</Link>
                </th>
              ))}
              <th scope="col" className="num">
                <Link to={links.open()}>Total</Link>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...trend].reverse().map((d) => (
              <tr key={d.day}>
                <th scope="row">{dayLabelLong(d.day)}</th>
                {SEVERITIES.map((s) => (
                  <td key={s} className="num">
                    {count(d[s])}
                  </td>
                ))}
                <td className="num">{count(totalOf(d))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

function changeSentence(from: number, to: number, since: string): string {
  const change = to - from;
  const now = `${pluralize(to, 'vulnerability', 'vulnerabilities')} open now`;
  return change === 0 ? `${now}, as many as on ${dayLabelLong(since)}` : `${now}, ${change > 0 ? 'up' : 'down'} ${count(Math.abs(change))} since ${dayLabelLong(since)}`;
}

function trendOption(theme: ChartTheme, trend: Day[]): ChartOption {
  return {
    ...baseOption(theme),
    tooltip: tooltip(theme, 'axis', (i) => {
      const day = trend[i]!;
      return tooltipHtml(
        dayLabelLong(day.day),
        [...SEVERITIES.map((s) => ({ label: severityLabel(s), value: count(day[s]), swatch: s })), { label: 'Total open', value: count(totalOf(day)) }],
        'Click a band to open those vulnerabilities',
      );
    }),
    xAxis: categoryAxis(theme, trend.map((d) => dayLabel(d.day)), { boundaryGap: false }),
    yAxis: valueAxis(theme),
    series: SEVERITIES.map((s) => ({
      type: 'line',
      name: severityLabel(s),
      stack: 'open',
      data: trend.map((d) => d[s]),
      color: theme.severity[s],
      showSymbol: false,
      symbolSize: 6,
      lineStyle: { width: 1.5 },
      areaStyle: { opacity: theme.dark ? 0.55 : 0.7 },
      emphasis: { focus: 'series' },
      triggerEvent: true, // the band itself is clickable: a day's point is too small to hit
      cursor: 'pointer',
    })),
  };
}
