import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { ApiError } from '../../api/client';
import { DISMISSAL_REASONS, SEVERITIES, type Severity } from '../../api/types';
import { humanize, severityLabel } from './labels';
import { ACTION_LABELS, type DismissalReason, type TriageAction, type TriageChange } from './triage';
import './report.css';

interface Props {
  /** The action being asked for; null keeps the dialog closed. */
  action: TriageAction | null;
  /** What is triaged, for the title: "3 vulnerabilities", "this vulnerability". */
  subject: string;
  /** Preselected in "change severity" (one vulnerability). */
  currentSeverity?: Severity;
  /** Sends the change; an ApiError it throws is shown in the dialog, next to its field when it names one. */
  onSubmit: (change: TriageChange) => Promise<void>;
  onClose: () => void;
  /** Where focus goes on close when the button that opened the dialog is gone (bulk triage clears the selection). */
  fallbackFocus?: RefObject<HTMLElement | null>;
}

const TITLES: Record<TriageAction, (subject: string) => string> = {
  confirmed: (s) => `Confirm ${s}`,
  dismissed: (s) => `Dismiss ${s}`,
  resolved: (s) => `Resolve ${s}`,
  detected: (s) => `Revert ${s} to detected`,
  severity: (s) => `Change the severity of ${s}`,
};

const EXPLANATIONS: Record<TriageAction, string> = {
  confirmed: 'Confirmed vulnerabilities stay open and keep their remediation deadline.',
  dismissed: 'A dismissal is kept on the vulnerability: it holds on every branch, after merges and on later scans.',
  resolved: 'Resolve what has been fixed. If a later scan detects it again, it reopens.',
  detected: 'Back to the untriaged state, as when it was first detected.',
  severity: "Overrides the scanner's severity; the risk score and the SLA deadline follow the new one.",
};

/**
 * The triage form in a native modal dialog: showModal() makes the rest of the page inert, Escape closes it, and
 * focus goes back to the button that opened it. Used for bulk triage on the report and on one vulnerability.
 */
export function TriageDialog({ action, subject, currentSeverity, onSubmit, onClose, fallbackFocus }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (action && !d.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      d.showModal();
    } else if (!action && d.open) d.close();
  }, [action]);
  const closed = () => {
    onClose();
    // Browsers differ on restoring focus after a modal dialog; do it here so keyboard users stay where they were.
    (opener.current?.isConnected ? opener.current : fallbackFocus?.current)?.focus();
  };
  return (
    <dialog ref={dialog} className="triage-dialog" aria-labelledby={titleId} onClose={closed}>
      {action && (
        <TriageForm
          key={action}
          action={action}
          title={TITLES[action](subject)}
          titleId={titleId}
          currentSeverity={currentSeverity}
          onSubmit={onSubmit}
          onCancel={() => dialog.current?.close()}
        />
      )}
    </dialog>
  );
}

type FieldName = 'reason' | 'comment' | 'expires_at' | 'severity' | 'justification';
const FIELDS: readonly string[] = ['reason', 'comment', 'expires_at', 'severity', 'justification'] satisfies FieldName[];
/** Texts the API refuses blank, per action. */
const REQUIRED_TEXT: Partial<Record<TriageAction, FieldName[]>> = { dismissed: ['comment'], severity: ['justification'] };

interface FormProps {
  action: TriageAction;
  title: string;
  titleId: string;
  currentSeverity?: Severity;
  onSubmit: (change: TriageChange) => Promise<void>;
  onCancel: () => void;
}

function TriageForm({ action, title, titleId, currentSeverity, onSubmit, onCancel }: FormProps) {
  const [reason, setReason] = useState<DismissalReason | ''>('');
  const [error, setError] = useState<{ field: FieldName | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const errorFor = (field: FieldName) => (error?.field === field ? error.message : null);

  /** Shows the error and puts focus on the field it is about, so keyboard and screen-reader users land on it. */
  function fail(form: HTMLFormElement, field: FieldName | null, message: string) {
    setError({ field, message });
    const control = field && form.elements.namedItem(field);
    if (control instanceof HTMLElement) control.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: FieldName) => String(data.get(name) ?? '').trim();
    // `required` lets a blank (all spaces) text through; say so here rather than after a round trip.
    const blank = REQUIRED_TEXT[action]?.find((name) => !text(name));
    if (blank) return fail(form, blank, blank === 'comment' ? 'Write a comment saying why.' : 'Write a justification.');
    setBusy(true);
    setError(null);
    try {
      await onSubmit(changeOf(action, reason, text));
    } catch (e) {
      // "body/comment" → "comment": the API names the failing field by its JSON pointer.
      const field = e instanceof ApiError ? (e.field?.replace(/^body\//, '') ?? null) : null;
      const known = field !== null && FIELDS.includes(field);
      // Next to its field the message need not repeat the field's name ("body/comment: a dismissal needs…").
      const message = known && e instanceof ApiError ? e.message.replace(`${e.field}: `, '') : (e as Error).message;
      setBusy(false);
      fail(form, known ? (field as FieldName) : null, message);
    }
  }

  return (
    <form onSubmit={submit}>
      <h2 id={titleId}>{title}</h2>
      <p className="muted">{EXPLANATIONS[action]}</p>
      {action === 'dismissed' && (
        <>
          <Field label="Reason" error={errorFor('reason')}>
            {(props) => (
              <select {...props} name="reason" required value={reason} onChange={(e) => setReason(e.target.value as DismissalReason)} autoFocus>
                <option value="" disabled>
                  Choose a reason…
                </option>
                {DISMISSAL_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {humanize(r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {reason === 'acceptable_risk' && (
            <Field label="Review again on (optional)" hint="Without a date, the SLA policy's acceptance period applies." error={errorFor('expires_at')}>
              {(props) => <input {...props} type="date" name="expires_at" min={tomorrow()} />}
            </Field>
          )}
          <Field label="Comment" hint="Required: say why, for whoever looks at it next." error={errorFor('comment')}>
            {(props) => <textarea {...props} name="comment" required maxLength={10_000} />}
          </Field>
        </>
      )}
      {action === 'severity' && (
        <>
          <Field label="New severity" error={errorFor('severity')}>
            {(props) => (
              <select {...props} name="severity" required defaultValue={currentSeverity ?? ''} autoFocus>
                <option value="" disabled>
                  Choose a severity…
                </option>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {severityLabel(s)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Justification" hint="Required: why the scanner's severity does not fit here." error={errorFor('justification')}>
            {(props) => <textarea {...props} name="justification" required maxLength={10_000} />}
          </Field>
        </>
      )}
      {action !== 'dismissed' && action !== 'severity' && (
        <Field label="Comment (optional)" error={errorFor('comment')}>
          {(props) => <textarea {...props} name="comment" maxLength={10_000} autoFocus />}
        </Field>
      )}
      {error && !error.field && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        {/* Not `disabled` while saving: a disabled button drops focus out of the dialog. */}
        <button type="submit" className="primary" aria-disabled={busy || undefined}>
          {busy ? 'Saving…' : ACTION_LABELS[action]}
        </button>
      </div>
    </form>
  );
}

function changeOf(action: TriageAction, reason: DismissalReason | '', text: (name: FieldName) => string): TriageChange {
  if (action === 'severity') return { severity: text('severity') as Severity, justification: text('justification') };
  if (action === 'dismissed') {
    const expires = text('expires_at');
    // A date input gives a calendar day; the acceptance ends at the start of that day, here.
    return { state: 'dismissed', reason: reason as DismissalReason, comment: text('comment'), ...(expires && { expires_at: new Date(`${expires}T00:00`).toISOString() }) };
  }
  const comment = text('comment');
  return { state: action, ...(comment && { comment }) };
}

function tomorrow(): string {
  const d = new Date(Date.now() + 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

interface ControlProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/** A labelled control with its hint and its error, tied together for assistive technology. */
function Field({ label, hint, error, children }: { label: string; hint?: string; error: string | null; children: (props: ControlProps) => ReactNode }) {
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="triage-field">
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(error && { 'aria-invalid': true }), ...(describedBy && { 'aria-describedby': describedBy }) })}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="error field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
