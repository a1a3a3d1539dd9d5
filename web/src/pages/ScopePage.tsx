import { lazy, Suspense } from 'react';
import { Link, NavLink, useParams } from 'react-router';
import { useApi } from '../api/use-api';
import type { Project } from '../api/types';
import { apiPrefix, parseScopeUrl, scopeUrl, type NamespaceScope, type Tab } from '../app/scope';
import { ErrorMessage, Loading } from '../components/Status';
import { BranchesPage } from './branches/BranchesPage';
import { ReportPage } from './report/ReportPage';
import { NotFoundPage } from './NotFoundPage';

// Charts are the heaviest code in the app; the report never pays for them.
const DashboardPage = lazy(() => import('./dashboard/DashboardPage'));

/** A group's or project's pages: breadcrumb, tabs, and the tab's page. */
export function ScopePage({ kind }: { kind: 'group' | 'project' }) {
  const splat = useParams()['*'] ?? '';
  const parsed = parseScopeUrl(kind, splat);
  const project = useApi<Project>(parsed && kind === 'project' ? apiPrefix(parsed.scope) : null);
  if (!parsed) return <NotFoundPage />;
  const { scope, tab } = parsed;
  if (project.error) return <ErrorMessage error={project.error} />;
  return (
    <div className="page">
      <ScopeHeader scope={scope} tab={tab} />
      {tab === 'vulnerabilities' && <ReportPage scope={scope} />}
      {tab === 'dashboard' && (
        <Suspense fallback={<Loading what="dashboard" />}>
          <DashboardPage scope={scope} />
        </Suspense>
      )}
      {tab === 'branches' && (project.data ? <BranchesPage project={project.data} /> : <Loading what="project" />)}
    </div>
  );
}

function ScopeHeader({ scope, tab }: { scope: NamespaceScope; tab: Tab }) {
  const segments = scope.path.split('/');
  const tabs: [Tab, string][] = [
    ['vulnerabilities', 'Vulnerability report'],
    ['dashboard', 'Security dashboard'],
    ...(scope.kind === 'project' ? ([['branches', 'Branches']] as [Tab, string][]) : []),
  ];
  const tabName = tabs.find(([t]) => t === tab)?.[1];
  return (
    <header className="scope-header">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          {segments.map((segment, i) => {
            const path = segments.slice(0, i + 1).join('/');
            const last = i === segments.length - 1;
            const to = scopeUrl({ kind: last ? scope.kind : 'group', path }, tab === 'branches' && !last ? 'vulnerabilities' : tab);
            return <li key={path}>{last ? <span aria-current="page">{segment}</span> : <Link to={to}>{segment}</Link>}</li>;
          })}
        </ol>
      </nav>
      <h1>
        {tabName} <span className="muted">· {scope.kind === 'group' ? 'group' : 'project'}</span>
      </h1>
      <nav aria-label="Sections" className="tabs">
        {tabs.map(([t, name]) => (
          <NavLink key={t} to={scopeUrl(scope, t)} className={t === tab ? 'active' : undefined} aria-current={t === tab ? 'page' : undefined}>
            {name}
          </NavLink>
        ))}
      </nav>
    </header>
  );
}
