interface Props {
  /** Index of the first row shown (0-based), or null when unknown (a shared link to a later page). */
  offset: number | null;
  shown: number;
  hasNext: boolean;
  /** Null when there is no earlier page to go back to. */
  onPrevious: (() => void) | null;
  onNext: () => void;
  /** Offered instead of "Previous" when the way back is unknown. */
  onFirst: (() => void) | null;
}

/**
 * Keyset paging: next and previous only. The API walks (sort value, id) cursors, so a page costs the same at any
 * depth — and there is no total count, which would mean counting a million rows on every view.
 */
export function Pager({ offset, shown, hasNext, onPrevious, onNext, onFirst }: Props) {
  return (
    <nav className="report-pager" aria-label="Pages">
      <p className="muted" aria-live="polite">
        {shown === 0 ? '' : offset === null ? `Showing ${shown} vulnerabilities` : `Showing ${(offset + 1).toLocaleString('en')}–${(offset + shown).toLocaleString('en')}`}
      </p>
      <div className="pager-buttons">
        {onFirst && (
          <button type="button" onClick={onFirst}>
            First page
          </button>
        )}
        <button type="button" onClick={onPrevious ?? undefined} disabled={!onPrevious}>
          <span aria-hidden="true">← </span>Previous page
        </button>
        <button type="button" onClick={onNext} disabled={!hasNext}>
          Next page<span aria-hidden="true"> →</span>
        </button>
      </div>
    </nav>
  );
}
