import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/use-api';
import type { Group, Page, Project } from '../api/types';
import { scopeUrl } from '../app/scope';
import { FirstUpload } from '../components/FirstUpload';
import { Loaded } from '../components/Status';

/** Groups and projects you can see, filtered as you type; a new instance explains how to get started. */
export function HomePage() {
  const [search, setSearch] = useState('');
  const query = { search: search.trim() || undefined, limit: 100 };
  const groups = useApi<Page<Group>>('/api/v1/groups', query);
  const projects = useApi<Page<Project>>('/api/v1/projects', query);
  const nothingYet = !search && groups.data?.items.length === 0 && projects.data?.items.length === 0;
  return (
    <div className="page">
      <h1>Projects</h1>
      {nothingYet ? (
        <>
          <p className="lead">Nothing here yet. Vigil tracks the vulnerabilities your scanners find, per project and branch.</p>
          <FirstUpload />
        </>
      ) : (
        <>
          <label className="search">
            <span className="visually-hidden">Filter groups and projects</span>
            <input type="search" placeholder="Filter by name or path" value={search} onChange={(e) => setSearch(e.target.value)} />
          </label>
          <div className="columns">
            <section aria-labelledby="groups-heading">
              <h2 id="groups-heading">Groups</h2>
              <Loaded resource={groups} what="groups">
                {(page) =>
                  page.items.length === 0 ? (
                    <p className="muted">No group matches.</p>
                  ) : (
                    <ul className="namespace-list">
                      {page.items.map((g) => (
                        <li key={g.id}>
                          <Link to={scopeUrl({ kind: 'group', path: g.full_path })}>{g.full_path}</Link>
                          <span className="muted"> {g.name !== g.path ? g.name : ''}</span>
                          <Link className="secondary-link" to={scopeUrl({ kind: 'group', path: g.full_path }, 'dashboard')}>
                            Dashboard
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )
                }
              </Loaded>
            </section>
            <section aria-labelledby="projects-heading">
              <h2 id="projects-heading">Projects</h2>
              <Loaded resource={projects} what="projects">
                {(page) =>
                  page.items.length === 0 ? (
                    <p className="muted">No project matches.</p>
                  ) : (
                    <ul className="namespace-list">
                      {page.items.map((p) => (
                        <li key={p.id}>
                          <Link to={scopeUrl({ kind: 'project', path: p.full_path })}>{p.full_path}</Link>
                          <span className="muted"> {p.default_branch}</span>
                          <Link className="secondary-link" to={scopeUrl({ kind: 'project', path: p.full_path }, 'dashboard')}>
                            Dashboard
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )
                }
              </Loaded>
            </section>
          </div>
        </>
      )}
    </div>
  );
}
