import { useEffect, useId, useRef } from 'react';

export interface Option {
  id: string;
  label: string;
  count?: number;
}

interface Props {
  label: string;
  options: readonly Option[];
  selected: readonly string[];
  onChange: (ids: string[]) => void;
  /** What the button says when nothing is picked. */
  none?: string;
}

/**
 * A menu of checkboxes behind a button (a <details> disclosure): every option is a real, labelled checkbox, so it
 * works with the keyboard and screen readers without a custom listbox. Escape or a click elsewhere closes it.
 */
export function MultiSelect({ label, options, selected, onChange, none = 'Any' }: Props) {
  const details = useRef<HTMLDetailsElement>(null);
  const id = useId();
  useEffect(() => {
    const outside = (event: MouseEvent | FocusEvent) => {
      const d = details.current;
      if (d?.open && event.target instanceof Node && !d.contains(event.target)) d.open = false;
    };
    document.addEventListener('click', outside);
    document.addEventListener('focusin', outside);
    return () => {
      document.removeEventListener('click', outside);
      document.removeEventListener('focusin', outside);
    };
  }, []);
  const names = options.filter((o) => selected.includes(o.id)).map((o) => o.label);
  const summary = names.length === 0 ? none : names.length <= 2 ? names.join(', ') : `${names.length} selected`;
  const toggle = (optionId: string) => onChange(selected.includes(optionId) ? selected.filter((s) => s !== optionId) : [...selected, optionId]);
  return (
    <details
      ref={details}
      className="multi-select"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && details.current?.open) {
          e.preventDefault();
          details.current.open = false;
          details.current.querySelector('summary')?.focus();
        }
      }}
    >
      <summary>
        <span className="filter-name">{label}</span> <span className="filter-value">{summary}</span>
      </summary>
      <fieldset className="multi-select-menu">
        <legend className="visually-hidden">{label}</legend>
        {options.map((o) => (
          <label key={o.id} className="menu-option" htmlFor={`${id}-${o.id}`}>
            <input id={`${id}-${o.id}`} type="checkbox" checked={selected.includes(o.id)} onChange={() => toggle(o.id)} />
            <span>{o.label}</span>
            {o.count !== undefined && <span className="count">{o.count.toLocaleString('en')}</span>}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
