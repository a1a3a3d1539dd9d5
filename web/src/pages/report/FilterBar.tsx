import { useState } from 'react';
import { SEVERITIES, SLA_STATUSES, STATES } from '../../api/types';
import { humanize, REPORT_TYPES, severityLabel, slaLabel, stateLabel } from '../../components/report/labels';
import { describeFilter, FILTER_LABELS, listOf, stateParam, type FilterKey, type ReportView } from './filters';
import { MultiSelect, type Option } from './MultiSelect';
import type { Facet, Facets, RefSummary } from './report-api';
import { TextFilter } from './TextFilter';

interface Props {
  view: ReportView;
  /** Null while unknown or when the server has no facets: menus fall back to the fixed lists and free text. */
  facets: Facets | null;
  /** A project's branches; null for groups and the instance (or when unavailable): a text field instead. */
  refs: RefSummary[] | null;
  onChange: (key: FilterKey, value: string | null) => void;
  onClear: () => void;
}

/** Options in a fixed order, with the facet's counts when there are any (and any selected value kept). */
function optionsOf(ids: readonly string[], label: (id: string) => string, facet: Facet[] | undefined, selected: string[]): Option[] {
  const counts = new Map(facet?.map((f) => [f.id, f.count]));
  const all = [...ids, ...(facet?.map((f) => f.id).filter((id) => !ids.includes(id)) ?? []), ...selected.filter((id) => !ids.includes(id) && !counts.has(id))];
  return all.map((id) => ({ id, label: label(id), ...(facet && { count: counts.get(id) ?? 0 }) }));
}

const listParam = (ids: string[]) => (ids.length ? ids.join(',') : null);

const MORE: readonly FilterKey[] = ['location', 'sla', 'risk_min', 'kev', 'epss_min', 'min_age_days', 'max_age_days', 'present_on_default'];

/** The report's filters: the common ones in a row, the rest behind "More filters", and the active ones as chips. */
export function FilterBar({ view, facets, refs, onChange, onClear }: Props) {
  const f = view.filters;
  const states = listOf(f.state);
  const severities = listOf(f.severity);
  const reportTypes = listOf(f.report_type);
  const sla = listOf(f.sla);
  const moreActive = MORE.filter((k) => view.chosen.includes(k)).length;
  // Open at first when the URL uses one of them; after that it is the person's to open and close.
  const [moreOpen, setMoreOpen] = useState(moreActive > 0);
  // Report types: those the scope has when the facets say so, else every type Vigil knows.
  const reportTypeIds = facets ? facets.report_types.map((t) => t.id) : REPORT_TYPES;
  return (
    <div className="report-filters">
      <form role="search" aria-label="Filter vulnerabilities" className="filter-row" onSubmit={(e) => e.preventDefault()}>
        <MultiSelect label="Status" none="Any status" options={optionsOf(STATES, stateLabel, facets?.states, states)} selected={states} onChange={(ids) => onChange('state', stateParam(ids))} />
        <MultiSelect
          label="Severity"
          none="Any severity"
          options={optionsOf(SEVERITIES, severityLabel, facets?.severities, severities)}
          selected={severities}
          onChange={(ids) => onChange('severity', listParam(ids))}
        />
        <MultiSelect
          label="Report type"
          none="Any type"
          options={optionsOf(reportTypeIds, humanize, facets?.report_types, reportTypes)}
          selected={reportTypes}
          onChange={(ids) => onChange('report_type', listParam(ids))}
        />
        {facets ? (
          <label className="select-filter">
            <span className="filter-name">Scanner</span>
            <select value={f.scanner ?? ''} onChange={(e) => onChange('scanner', e.target.value || null)}>
              <option value="">Any scanner</option>
              {optionsOf([], (id) => id, facets.scanners, f.scanner ? [f.scanner] : []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label} ({(o.count ?? 0).toLocaleString('en')})
                </option>
              ))}
            </select>
          </label>
        ) : (
          <TextFilter label="Scanner" value={f.scanner ?? ''} onCommit={(v) => onChange('scanner', v || null)} placeholder="e.g. semgrep" size={12} />
        )}
        {refs ? (
          <label className="select-filter">
            <span className="filter-name">Branch</span>
            <select value={f.ref ?? ''} onChange={(e) => onChange('ref', e.target.value || null)}>
              <option value="">Any branch</option>
              {refs.map((r) => (
                <option key={r.ref} value={r.ref}>
                  {r.ref}
                  {r.default ? ' (default)' : ''}
                </option>
              ))}
              {f.ref && !refs.some((r) => r.ref === f.ref) && <option value={f.ref}>{f.ref}</option>}
            </select>
          </label>
        ) : (
          <TextFilter label="Branch" value={f.ref ?? ''} onCommit={(v) => onChange('ref', v || null)} placeholder="e.g. main" size={12} />
        )}
        <TextFilter label="Identifier" value={f.identifier ?? ''} onCommit={(v) => onChange('identifier', v || null)} placeholder="CVE-…, CWE-…, GHSA-…, rule" size={18} spellCheck={false} />
        <details className="more-filters" open={moreOpen} onToggle={(e) => setMoreOpen(e.currentTarget.open)}>
          <summary>
            More filters{moreActive > 0 && <span className="count-pill">{moreActive}</span>}
          </summary>
          <div className="more-grid">
            <TextFilter label="File or package" value={f.location ?? ''} onCommit={(v) => onChange('location', v || null)} placeholder="src/app, lodash…" spellCheck={false} />
            <MultiSelect label="SLA" none="Any SLA status" options={SLA_STATUSES.map((s) => ({ id: s, label: slaLabel(s) }))} selected={sla} onChange={(ids) => onChange('sla', listParam(ids))} />
            <TextFilter label="Risk score at least (0–100)" type="number" min={0} max={100} step={1} inputMode="decimal" value={f.risk_min ?? ''} onCommit={(v) => onChange('risk_min', v || null)} />
            <TextFilter label="EPSS at least (0–1)" type="number" min={0} max={1} step={0.01} inputMode="decimal" value={f.epss_min ?? ''} onCommit={(v) => onChange('epss_min', v || null)} />
            <YesNo label="In CISA KEV" value={f.kev} onChange={(v) => onChange('kev', v)} />
            <YesNo label="On the default branch" value={f.present_on_default} onChange={(v) => onChange('present_on_default', v)} />
            <TextFilter label="First detected at least … days ago" type="number" min={0} step={1} inputMode="numeric" value={f.min_age_days ?? ''} onCommit={(v) => onChange('min_age_days', v || null)} />
            <TextFilter label="First detected at most … days ago" type="number" min={0} step={1} inputMode="numeric" value={f.max_age_days ?? ''} onCommit={(v) => onChange('max_age_days', v || null)} />
          </div>
        </details>
      </form>
      {view.chosen.length > 0 && (
        <div className="active-filters">
          <ul aria-label="Active filters">
            {view.chosen.map((key) => {
              const text = `${FILTER_LABELS[key]}: ${describeFilter(key, f[key] ?? '')}`;
              return (
                <li key={key}>
                  <button type="button" className="filter-chip" onClick={() => onChange(key, null)} aria-label={`Remove filter ${text}`}>
                    {text}
                    <span aria-hidden="true" className="chip-x">
                      ×
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
          <button type="button" className="link" onClick={onClear}>
            Clear filters
          </button>
        </div>
      )}
    </div>
  );
}

function YesNo({ label, value, onChange }: { label: string; value: string | undefined; onChange: (value: string | null) => void }) {
  return (
    <label className="select-filter">
      <span className="filter-name">{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">Either</option>
        <option value="true">Yes</option>
        <option value="false">No</option>
      </select>
    </label>
  );
}
