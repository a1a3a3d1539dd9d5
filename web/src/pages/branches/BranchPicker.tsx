import { useEffect, useId, useState, type FormEvent } from 'react';
import type { RefSummary } from './types';

interface Props {
  /** The scanned branches; null when the server cannot list them (then the name is typed); undefined while loading. */
  refs: RefSummary[] | null | undefined;
  value: string | null;
  defaultBranch: string;
  onChoose: (ref: string | null) => void;
}

/**
 * Choose the branch to compare. A form with a button rather than a select that navigates on change: moving through
 * the options with the keyboard must not load a comparison per option.
 */
export function BranchPicker({ refs, value, defaultBranch, onChoose }: Props) {
  const id = useId();
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChoose(draft.trim() || null);
  };
  // Newest scan first, the default branch on top; a branch typed into the URL but not listed still shows as chosen.
  const options = refs && [...refs].sort((a, b) => Number(b.default) - Number(a.default) || (b.last_scan_at ?? '').localeCompare(a.last_scan_at ?? ''));
  const unlisted = options && value && !options.some((r) => r.ref === value) ? value : null;
  return (
    <form className="branch-picker" onSubmit={submit}>
      <label htmlFor={id}>Branch</label>
      {refs === null ? (
        <input id={id} value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="e.g. feature-x" autoComplete="off" spellCheck={false} aria-describedby={`${id}-hint`} />
      ) : (
        <select id={id} value={draft} onChange={(e) => setDraft(e.target.value)} disabled={refs === undefined} aria-describedby={`${id}-hint`}>
          <option value="">{refs === undefined ? 'Loading branches…' : 'Choose a branch…'}</option>
          {options?.map((r) => (
            <option key={r.ref} value={r.ref}>
              {r.ref}
              {r.default ? ' (default)' : ''}
            </option>
          ))}
          {unlisted && <option value={unlisted}>{unlisted} (no scans)</option>}
        </select>
      )}
      <button type="submit" className="primary">
        Compare
      </button>
      <p id={`${id}-hint`} className="muted branch-picker-hint">
        Compared with the default branch, <code>{defaultBranch}</code>.
      </p>
    </form>
  );
}
