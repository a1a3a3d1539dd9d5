import { useRef, useState, type ReactNode } from 'react';
import type { Severity } from '../../api/types';
import { TriageDialog } from './TriageDialog';
import { ACTION_LABELS, describeResult, type TriageAction, type TriageChange, type TriageResult } from './triage';
import './report.css';

interface Props {
  /** The buttons offered, in order. */
  actions: readonly TriageAction[];
  /** What the actions apply to, for the dialog's title ("3 vulnerabilities"); null: nothing yet, no buttons. */
  subject: string | null;
  /** Group label for the buttons, e.g. "Triage the selected vulnerabilities". */
  label: string;
  currentSeverity?: Severity;
  send: (change: TriageChange) => Promise<TriageResult>;
  /** Called after the server applied a change (reload what is on screen). */
  onDone: () => void;
  /** Shown before the buttons (e.g. how many are selected). */
  children?: ReactNode;
}

/**
 * Triage buttons, the dialog they open, and a live region that announces what the server changed. The same
 * component serves bulk triage on the report and the vulnerability page.
 */
export function TriageActions({ actions, subject, label, currentSeverity, send, onDone, children }: Props) {
  const [action, setAction] = useState<TriageAction | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const status = useRef<HTMLParagraphElement>(null);
  async function submit(change: TriageChange) {
    if (!action) return;
    const result = await send(change);
    setAnnouncement(describeResult(action, change, result, subject ?? undefined));
    setAction(null);
    onDone();
  }
  return (
    <div className="triage-actions">
      {children}
      {subject !== null && (
        <div role="group" aria-label={label} className="triage-buttons">
          {actions.map((a) => (
            <button key={a} type="button" onClick={() => setAction(a)} aria-haspopup="dialog">
              {ACTION_LABELS[a]}
            </button>
          ))}
        </div>
      )}
      <p role="status" className="triage-status" ref={status} tabIndex={-1}>
        {announcement}
      </p>
      <TriageDialog action={action} subject={subject ?? ''} currentSeverity={currentSeverity} onSubmit={submit} onClose={() => setAction(null)} fallbackFocus={status} />
    </div>
  );
}
