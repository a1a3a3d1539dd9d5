import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { baseOption, categoryAxis, tooltip, valueAxis } from '../../../components/charts/base';
import { Chart } from '../../../components/charts/Chart';
import type { ChartOption } from '../../../components/charts/echarts';
import { useChartTheme, type ChartTheme } from '../../../components/charts/theme';
import { tooltipHtml } from '../../../components/charts/tooltip';
import { pluralize } from '../../../components/report/labels';
import { ChartCard } from '../ChartCard';
import { count, decimal } from '../format';
import type { ReportLinks } from '../links';
import type { Dashboard } from '../types';

type TopProject = Dashboard['top_projects'][number];
const other = (p: TopProject) => Math.max(0, p.open - p.critical - p.high);

/** A group's projects in the API's order (riskiest first), with what is open in each. */
export function TopProjectsChart({ dashboard, links }: { dashboard: Dashboard; links: ReportLinks }) {
  const theme = useChartTheme();
  const navigate = useNavigate();
  const projects = dashboard.top_projects;
  const option = useMemo(() => topProjectsOption(theme, projects), [theme, projects]);
  const top = projects[0];
  const summary = top
    ? `${top.full_path} carries the most risk: ${pluralize(top.open, 'open vulnerability', 'open vulnerabilities')}, ${count(top.critical)} critical and ${count(top.high)} high (total risk ${decimal(top.risk_total)}).`
    : 'No project in this group has an open vulnerability.';
  return (
    <ChartCard
      size="full"
      title="Projects by risk"
      summary={summary}
      legend={[
        { label: 'Critical', swatch: 'critical' },
        { label: 'High', swatch: 'high' },
        { label: 'Other open', swatch: 'info' },
      ]}
      empty={projects.length === 0 ? 'Nothing open.' : undefined}
      chart={
        <Chart
          className={projects.length > 6 ? 'tall' : undefined}
          option={option}
          label={`Bar chart of open vulnerabilities per project, riskiest first. ${summary}`}
          onItemClick={({ dataIndex }) => dataIndex !== undefined && navigate(links.project(projects[dataIndex]!.full_path))}
        />
      }
      table={
        <table>
          <caption className="visually-hidden">Projects by risk, with their open vulnerabilities</caption>
          <thead>
            <tr>
              <th scope="col">Project</th>
              <th scope="col" className="num">Open</th>
              <th scope="col" className="num">Critical</th>
              <th scope="col" className="num">High</th>
              <th scope="col" className="num">Highest risk</th>
              <th scope="col" className="num">Total risk</th>
            </tr>
          </thead>
          <tbody>
            {projects.map((p) => (
              <tr key={p.project_id}>
                <th scope="row">
                  <Link to={links.project(p.full_path)}>{p.full_path}</Link>
                </th>
                <td className="num">{count(p.open)}</td>
                <td className="num">{count(p.critical)}</td>
                <td className="num">{count(p.high)}</td>
                <td className="num">{decimal(p.risk_max)}</td>
                <td className="num">{decimal(p.risk_total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

function topProjectsOption(theme: ChartTheme, projects: TopProject[]): ChartOption {
  const bar = (name: string, data: number[], color: string) => ({ type: 'bar' as const, name, data, color, stack: 'open', barMaxWidth: 18, cursor: 'pointer' });
  return {
    ...baseOption(theme),
    tooltip: tooltip(theme, 'axis', (i) => {
      const p = projects[i]!;
      return tooltipHtml(
        p.full_path,
        [
          { label: 'Critical', value: count(p.critical), swatch: 'critical' },
          { label: 'High', value: count(p.high), swatch: 'high' },
          { label: 'Other open', value: count(other(p)), swatch: 'info' },
          { label: 'Highest risk', value: decimal(p.risk_max) },
          { label: 'Total risk', value: decimal(p.risk_total) },
        ],
        "Click to open the project's report",
      );
    }),
    // Long paths are cut with an ellipsis; the tooltip and the table give them whole.
    yAxis: categoryAxis(theme, projects.map((p) => p.full_path), { inverse: true, axisLabel: { color: theme.text, width: 180, overflow: 'truncate' } }),
    xAxis: valueAxis(theme),
    series: [bar('Critical', projects.map((p) => p.critical), theme.severity.critical), bar('High', projects.map((p) => p.high), theme.severity.high), bar('Other open', projects.map(other), theme.severity.info)],
  };
}
