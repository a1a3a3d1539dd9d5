import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/use-api';
import { apiPrefix, type Scope } from '../../app/scope';
import { FirstUpload } from '../../components/FirstUpload';
import { Loaded } from '../../components/Status';
import { AgeChart } from './charts/AgeChart';
import { MttrChart } from './charts/MttrChart';
import { SlaChart } from './charts/SlaChart';
import { TopCwesChart } from './charts/TopCwesChart';
import { TopProjectsChart } from './charts/TopProjectsChart';
import { TrendChart } from './charts/TrendChart';
import { WeeklyChart } from './charts/WeeklyChart';
import { momentLabel } from './format';
import { Headlines } from './Headlines';
import { reportLinks } from './links';
import { parsePeriod, PeriodSwitch } from './PeriodSwitch';
import { totalOf, type Dashboard } from './types';
import './dashboard.css';

/**
 * The security dashboard of a project or group: headline figures and charts for a period (?days=30|90|365, so a
 * link shares the view), every figure leading into the report filtered to the vulnerabilities behind it.
 * Default export: ScopePage loads it lazily, so the charting code stays out of the other pages' bundle.
 */
export default function DashboardPage({ scope }: { scope: Scope }) {
  const [params, setParams] = useSearchParams();
  const days = parsePeriod(params.get('days'));
  const dashboard = useApi<Dashboard>(`${apiPrefix(scope)}/dashboard`, { days });
  return (
    <div className="dashboard" aria-busy={dashboard.loading}>
      <div className="dash-toolbar">
        <PeriodSwitch
          value={days}
          onChange={(period) =>
            setParams(
              (current) => {
                current.set('days', String(period));
                return current;
              },
              { replace: true },
            )
          }
        />
        <p className="muted dash-as-of" role="status">
          {dashboard.loading && dashboard.data ? 'Updating…' : dashboard.data ? `Figures as of ${momentLabel(dashboard.data.as_of)}` : ''}
        </p>
      </div>
      <Loaded resource={dashboard} what="dashboard">
        {(data) => <DashboardBody scope={scope} dashboard={data} />}
      </Loaded>
    </div>
  );
}

function DashboardBody({ scope, dashboard }: { scope: Scope; dashboard: Dashboard }) {
  const links = useMemo(() => reportLinks(scope, dashboard.as_of), [scope, dashboard.as_of]);
  if (isEmpty(dashboard)) {
    const quiet = `Nothing open, and nothing found or resolved in the last ${dashboard.days} days.`;
    return scope.kind === 'project' ? (
      <>
        <p className="lead">{quiet} If this project has not sent a scanner report yet, this is how:</p>
        <FirstUpload projectPath={scope.path} />
      </>
    ) : (
      <p className="lead">{quiet} The charts fill in as the group&apos;s projects receive scanner reports.</p>
    );
  }
  return (
    <>
      <Headlines dashboard={dashboard} links={links} />
      <div className="dash-grid">
        <TrendChart dashboard={dashboard} links={links} />
        <WeeklyChart dashboard={dashboard} links={links} />
        <SlaChart dashboard={dashboard} links={links} />
        <MttrChart dashboard={dashboard} links={links} />
        <AgeChart dashboard={dashboard} links={links} />
        <TopCwesChart dashboard={dashboard} links={links} />
        {dashboard.scope.kind === 'group' && <TopProjectsChart dashboard={dashboard} links={links} />}
      </div>
    </>
  );
}

/** Nothing open and nothing happened in the period: most likely a project that was never scanned. */
function isEmpty(d: Dashboard): boolean {
  const openNow = totalOf(d.open_by_severity) > 0;
  const everOpen = d.trend.some((day) => totalOf(day) > 0);
  const activity = d.weekly.some((w) => w.new > 0 || w.resolved > 0);
  return !openNow && !everOpen && !activity;
}
