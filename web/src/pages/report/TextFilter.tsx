import { useEffect, useState, type InputHTMLAttributes } from 'react';

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> {
  label: string;
  value: string;
  /** Called with the new value ('' clears) once typing pauses, on Enter, or when the field loses focus. */
  onCommit: (value: string) => void;
}

const PAUSE_MS = 500;

/** A text or number filter that asks the server once per pause in typing, not once per keystroke. */
export function TextFilter({ label, value, onCommit, className, ...input }: Props) {
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  // The URL changed under us (back button, "Clear filters"): show its value — unless it is what is being typed.
  if (value !== shown) {
    setShown(value);
    if (draft.trim() !== value) setDraft(value);
  }
  const commit = () => {
    if (draft.trim() !== value) onCommit(draft.trim());
  };
  useEffect(() => {
    if (draft.trim() === value) return;
    const timer = setTimeout(() => onCommit(draft.trim()), PAUSE_MS);
    return () => clearTimeout(timer);
  }, [draft, value]); // a commit on Enter or blur changes the value, which cancels the pending one
  return (
    <label className={`text-filter ${className ?? ''}`}>
      <span className="filter-name">{label}</span>
      <input
        {...input}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </label>
  );
}
