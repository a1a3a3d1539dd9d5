import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { baseOption, tooltip } from '../../../components/charts/base';
import { Chart } from '../../../components/charts/Chart';
import type { ChartOption } from '../../../components/charts/echarts';
import { useChartTheme, type ChartTheme } from '../../../components/charts/theme';
import { tooltipHtml, type Swatch } from '../../../components/charts/tooltip';
import { ChartCard } from '../ChartCard';
import { count, percent } from '../format';
import type { ReportLinks, SlaLinkStatus } from '../links';
import type { Dashboard, SlaSummary } from '../types';

/** The dashboard's SLA buckets of open vulnerabilities, in the report's sla= terms (overdue is "breached"). */
const STATUSES: { key: 'overdue' | 'due_soon' | 'on_track'; label: string; link: SlaLinkStatus; swatch: Swatch }[] = [
  { key: 'overdue', label: 'Overdue', link: 'breached', swatch: 'danger' },
  { key: 'due_soon', label: 'Due soon', link: 'due_soon', swatch: 'warn' },
  { key: 'on_track', label: 'On track', link: 'ok', swatch: 'ok' },
];

/** Where open deadlines stand now, and how many deadlines in the period were met (the compliance rate). */
export function SlaChart({ dashboard, links }: { dashboard: Dashboard; links: ReportLinks }) {
  const theme = useChartTheme();
  const navigate = useNavigate();
  const { sla, days } = dashboard;
  const option = useMemo(() => slaOption(theme, sla), [theme, sla]);
  const withDeadline = sla.overdue + sla.due_soon + sla.on_track;
  const compliance =
    sla.compliance === null
      ? `No deadline fell in the last ${days} days.`
      : `${percent(sla.compliance)} of deadlines in the last ${days} days were met (${count(sla.resolved_in_time)} resolved in time, ${count(sla.resolved_late)} late).`;
  const summary = `${count(sla.overdue)} open ${sla.overdue === 1 ? 'vulnerability is' : 'vulnerabilities are'} overdue, ${count(sla.due_soon)} due soon and ${count(sla.on_track)} on track. ${compliance}`;
  return (
    <ChartCard
      title="SLA compliance"
      summary={summary}
      legend={withDeadline === 0 ? undefined : STATUSES.map((s) => ({ label: s.label, swatch: s.swatch }))}
      empty={withDeadline === 0 ? 'No open vulnerability has a deadline.' : undefined}
      chart={
        <div className="dash-donut">
          <Chart
            option={option}
            label={`Donut chart of open vulnerabilities by deadline status. ${summary}`}
            onItemClick={({ dataIndex }) => dataIndex !== undefined && navigate(links.sla(STATUSES[dataIndex]!.link))}
          />
          <p className="dash-donut-center" aria-hidden="true">
            {/* The rate when deadlines fell in the period; otherwise what the ring adds up to. */}
            <b>{sla.compliance === null ? count(withDeadline) : percent(sla.compliance)}</b>
            <span>{sla.compliance === null ? 'with a deadline' : 'deadlines met'}</span>
          </p>
        </div>
      }
      table={
        <table>
          <caption className="visually-hidden">Open vulnerabilities by deadline status, and deadlines met in the period</caption>
          <tbody>
            {STATUSES.map((s) => (
              <tr key={s.key}>
                <th scope="row">
                  <Link to={links.sla(s.link)}>{s.label}</Link>
                </th>
                <td className="num">{count(sla[s.key])}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Resolved in time (last {days} days)</th>
              <td className="num">{count(sla.resolved_in_time)}</td>
            </tr>
            <tr>
              <th scope="row">Resolved late (last {days} days)</th>
              <td className="num">{count(sla.resolved_late)}</td>
            </tr>
            <tr>
              <th scope="row">Compliance</th>
              <td className="num">{percent(sla.compliance)}</td>
            </tr>
          </tbody>
        </table>
      }
    />
  );
}

function slaOption(theme: ChartTheme, sla: SlaSummary): ChartOption {
  const colour: Record<Swatch, string> = { ...theme.severity, ok: theme.ok, warn: theme.warn, danger: theme.danger, accent: theme.accent };
  return {
    ...baseOption(theme),
    tooltip: tooltip(theme, 'item', (i) => {
      const s = STATUSES[i]!;
      return tooltipHtml(s.label, [{ label: 'Open', value: count(sla[s.key]), swatch: s.swatch }], 'Click to open these vulnerabilities');
    }),
    series: [
      {
        type: 'pie',
        name: 'Deadline status',
        radius: ['52%', '74%'],
        center: ['50%', '50%'],
        avoidLabelOverlap: true,
        stillShowZeroSum: false,
        cursor: 'pointer',
        itemStyle: { borderColor: theme.surface, borderWidth: 2 },
        label: { show: true, formatter: ({ value }) => count(Number(value)), color: theme.text, fontWeight: 600 },
        labelLine: { length: 6, length2: 6 },
        // A zero slice has no width but would still print its 0 on top of a neighbour's label.
        data: STATUSES.map((s) => ({ name: s.label, value: sla[s.key], itemStyle: { color: colour[s.swatch] }, label: { show: sla[s.key] > 0 }, labelLine: { show: sla[s.key] > 0 } })),
      },
    ],
  };
}
