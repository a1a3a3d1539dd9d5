import { useState } from 'react';

/** A command to paste, with a copy button that says (to screen readers too) whether the copy worked. */
export function CodeBlock({ code, label }: { code: string; label: string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () =>
    navigator.clipboard.writeText(code).then(
      () => setStatus('copied'),
      () => setStatus('failed'), // e.g. a plain-HTTP origin other than localhost: the text is still there to select
    );
  return (
    <div className="code-block">
      {/* Wrapped (pre-wrap in branches.css), not scrolled: no hidden part to reach with the keyboard on a phone. */}
      <pre>
        <code>{code}</code>
      </pre>
      <button type="button" className="copy" onClick={() => void copy()} onBlur={() => setStatus('idle')}>
        Copy<span className="visually-hidden"> {label}</span>
      </button>
      <span className="copy-status" role="status">
        {status === 'copied' ? 'Copied' : status === 'failed' ? 'Copy failed: select the text instead' : ''}
      </span>
    </div>
  );
}
