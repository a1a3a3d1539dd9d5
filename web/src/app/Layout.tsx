import { useEffect, useId, useState, type ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router';
import { get } from '../api/client';
import type { Group, Page, Project } from '../api/types';
import { scopeUrl } from './scope';
import { useSession } from './session';

/** Header (home, all vulnerabilities, jump-to search, who is signed in) around every signed-in page. */
export function Layout({ children }: { children: ReactNode }) {
  const { user, signOut } = useSession();
  const navigate = useNavigate();
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand" aria-label="Vigil home">
          <span className="logo" aria-hidden="true">◆</span> Vigil
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Projects
          </NavLink>
          <NavLink to={scopeUrl({ kind: 'instance' })}>All vulnerabilities</NavLink>
        </nav>
        <JumpTo />
        <div className="who">
          <span title={user?.username}>{user?.display_name || user?.username}</span>
          <button type="button" className="link" onClick={() => void signOut().then(() => navigate('/login'))}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

interface Hit {
  kind: 'group' | 'project';
  path: string;
  name: string;
}

/** Type part of a name or path, pick a group or project: the listbox is a native datalist, so keyboard and screen readers work as usual. */
function JumpTo() {
  const [text, setText] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const navigate = useNavigate();
  const listId = useId();
  useEffect(() => {
    if (text.trim().length < 1) return setHits([]);
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const query = { search: text.trim(), limit: 8 };
      Promise.all([get<Page<Group>>('/api/v1/groups', query, controller.signal), get<Page<Project>>('/api/v1/projects', query, controller.signal)]).then(
        ([groups, projects]) =>
          setHits([
            ...groups.items.map((g) => ({ kind: 'group' as const, path: g.full_path, name: g.name })),
            ...projects.items.map((p) => ({ kind: 'project' as const, path: p.full_path, name: p.name })),
          ]),
        () => undefined,
      );
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);
  const go = (value: string) => {
    const hit = hits.find((h) => `${h.path}` === value) ?? hits[0];
    if (hit) {
      setText('');
      navigate(scopeUrl({ kind: hit.kind, path: hit.path }));
    }
  };
  return (
    <form
      role="search"
      className="jump"
      onSubmit={(e) => {
        e.preventDefault();
        go(text);
      }}
    >
      <label htmlFor={`${listId}-input`} className="visually-hidden">
        Go to a group or project
      </label>
      <input
        id={`${listId}-input`}
        list={listId}
        placeholder="Go to group or project…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (hits.some((h) => h.path === e.target.value)) go(e.target.value);
        }}
      />
      <datalist id={listId}>
        {hits.map((h) => (
          <option key={`${h.kind}:${h.path}`} value={h.path}>
            {h.kind === 'group' ? 'Group' : 'Project'} · {h.name}
          </option>
        ))}
      </datalist>
    </form>
  );
}
