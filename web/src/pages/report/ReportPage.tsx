import { useRef, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, withQuery } from '../../api/client';
import type { Page, Sort, VulnerabilitySummary } from '../../api/types';
import { SORTS } from '../../api/types';
import { useApi } from '../../api/use-api';
import { apiPrefix, type Scope } from '../../app/scope';
import { pluralize } from '../../components/report/labels';
import { TriageActions } from '../../components/report/TriageActions';
import type { TriageAction, TriageChange, TriageResult } from '../../components/report/triage';
import { VulnerabilityTable } from '../../components/report/VulnerabilityTable';
import { ErrorMessage, Loading } from '../../components/Status';
import { EmptyReport } from './EmptyReport';
import { FilterBar } from './FilterBar';
import { apiQuery, cleared, listOf, PAGE_SIZE, readView, searchOf, SORT_LABELS, withFilter, type FilterKey } from './filters';
import { Pager } from './Pager';
import type { Facets, RefSummary } from './report-api';
import { SeverityCards } from './SeverityCards';
import './report-page.css';

const BULK_ACTIONS: readonly TriageAction[] = ['confirmed', 'dismissed', 'resolved', 'detected', 'severity'];
const NO_SELECTION: ReadonlySet<number> = new Set();

/** Cursors of the pages before this one, kept in the history entry so Back and "Previous page" agree. */
interface PagingState {
  back: (string | null)[];
}
const pagingOf = (state: unknown): PagingState | null => (state && Array.isArray((state as PagingState).back) ? (state as PagingState) : null);

/**
 * The vulnerability report of a project, a group or the whole instance: severity counts, filters kept in the URL,
 * 50 rows a page with keyset paging, bulk triage and a streamed export. The list, the facets and the branches
 * are requested at once, so the first rows wait for nothing else.
 */
export function ReportPage({ scope }: { scope: Scope }) {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const setParams = (next: URLSearchParams, state: PagingState | null = null) => navigate({ search: searchOf(next) }, { state });
  const view = readView(params);
  const prefix = apiPrefix(scope);
  const query = apiQuery(view);
  const list = useApi<Page<VulnerabilitySummary>>(`${prefix}/vulnerabilities`, { ...query, limit: PAGE_SIZE, cursor: view.cursor });
  const facets = useApi<Facets>(`${prefix}/vulnerabilities/facets`);
  const refs = useApi<{ items: RefSummary[] }>(scope.kind === 'project' ? `${prefix}/refs` : null);
  const top = useRef<HTMLDivElement>(null);

  // A selection belongs to one page of one list; any other page starts with none.
  const selectionKey = JSON.stringify([prefix, query, view.cursor]);
  const [selection, setSelection] = useState<{ key: string; ids: ReadonlySet<number> }>({ key: '', ids: NO_SELECTION });
  const selected = selection.key === selectionKey ? selection.ids : NO_SELECTION;

  // From the address bar, not this render: a text filter commits after a pause, when another filter may have
  // changed the URL since (a stale copy would undo that change).
  const setFilter = (key: FilterKey | 'sort', value: string | null) => setParams(withFilter(new URLSearchParams(window.location.search), key, value));
  const paging = view.cursor === null ? { back: [] } : pagingOf(location.state);
  const page = list.data;
  const goTo = (cursor: string | null, back: (string | null)[] | null) => {
    const next = new URLSearchParams(params);
    if (cursor) next.set('cursor', cursor);
    else next.delete('cursor');
    setParams(next, back ? { back } : null);
    top.current?.scrollIntoView({ block: 'start' });
  };

  const facetData = facets.data;
  const totalInScope = facetData?.states.reduce((sum, s) => sum + s.count, 0);

  async function send(change: TriageChange): Promise<TriageResult> {
    // One project: its own endpoint. Groups and the instance span projects; the server checks each one.
    const path = scope.kind === 'project' ? `${prefix}/vulnerabilities/triage` : '/api/v1/vulnerabilities/triage';
    return api<TriageResult>('POST', path, { ids: [...selected], ...change });
  }

  const emptyReport = (
    <EmptyReport
      scope={scope}
      total={totalInScope}
      filtered={view.chosen.length > 0}
      defaultBranch={refs.data?.items.find((r) => r.default)?.ref}
      onClear={() => setParams(cleared(params))}
      onAnyState={() => setFilter('state', '')}
    />
  );
  // Nothing uploaded yet: filters, triage and export have nothing to work on; say how to start instead.
  if (totalInScope === 0 && page?.items.length === 0) return <div className="report">{emptyReport}</div>;

  return (
    <div className="report" ref={top}>
      {facetData && facetData.severities.length > 0 && (
        <SeverityCards
          counts={facetData.severities}
          selected={listOf(view.filters.severity)}
          onPick={(s) => setFilter('severity', view.filters.severity === s ? null : s)}
        />
      )}
      <h2 className="visually-hidden">Vulnerabilities</h2>
      <FilterBar view={view} facets={facetData ?? null} refs={refs.data?.items ?? null} onChange={setFilter} onClear={() => setParams(cleared(params))} />
      <div className="report-toolbar">
        <TriageActions
          actions={BULK_ACTIONS}
          label="Triage the selected vulnerabilities"
          subject={selected.size > 0 ? pluralize(selected.size, 'vulnerability', 'vulnerabilities') : null}
          send={send}
          onDone={() => {
            setSelection({ key: '', ids: NO_SELECTION });
            list.reload();
            facets.reload();
          }}
        >
          <span className={`selection-count${selected.size > 0 ? ' some' : ''}`} aria-live="polite">
            {selected.size > 0 ? `${selected.size} selected` : 'Select vulnerabilities to triage them'}
          </span>
        </TriageActions>
        <div className="report-tools">
          <label className="sort-select">
            <span className="filter-name">Sort by</span>
            <select value={view.sort} onChange={(e) => setFilter('sort', e.target.value as Sort)}>
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {SORT_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <div className="export-links" role="group" aria-label="Export the filtered report">
            {(['csv', 'json'] as const).map((format) => (
              <a key={format} className="button-link" href={withQuery(`${prefix}/vulnerabilities/export`, { format, ...query })} download>
                Export {format.toUpperCase()}
              </a>
            ))}
          </div>
        </div>
      </div>
      {list.error ? (
        <div className="report-error">
          <ErrorMessage error={list.error} />
          {view.chosen.length > 0 && (
            <button type="button" onClick={() => setParams(cleared(params))}>
              Clear filters
            </button>
          )}
          {/* A cursor from another order or an old link can be refused; the first page always works. */}
          {view.cursor && (
            <button type="button" onClick={() => goTo(null, [])}>
              First page
            </button>
          )}
        </div>
      ) : !page ? (
        <Loading what="vulnerabilities" />
      ) : page.items.length === 0 && view.cursor === null ? (
        // Wait for the facets to know whether the scope has any vulnerability at all (an error means: unknown).
        facets.loading && !facetData ? (
          <Loading what="vulnerabilities" />
        ) : (
          emptyReport
        )
      ) : (
        <>
          <VulnerabilityTable
            items={page.items}
            label={`Vulnerabilities, sorted by ${SORT_LABELS[view.sort].toLowerCase()}`}
            showProject={scope.kind !== 'project'}
            busy={list.loading}
            selection={{ selected, onChange: (ids) => setSelection({ key: selectionKey, ids }) }}
          />
          <Pager
            offset={paging ? paging.back.length * PAGE_SIZE : null}
            shown={page.items.length}
            hasNext={page.next_cursor !== null}
            onNext={() => page.next_cursor && goTo(page.next_cursor, paging ? [...paging.back, view.cursor] : null)}
            onPrevious={paging && paging.back.length > 0 ? () => goTo(paging.back.at(-1) ?? null, paging.back.slice(0, -1)) : null}
            onFirst={paging ? null : () => goTo(null, [])}
          />
        </>
      )}
    </div>
  );
}
