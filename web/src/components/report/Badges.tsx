import { formatDate, formatPercent, formatRisk } from './format';
import { humanize, slaLabel, stateLabel } from './labels';
import './report.css';

/** The small labelled badges of a vulnerability besides its severity: triage state, SLA deadline, risk. */
export function StateBadge({ state, reason }: { state: string; reason?: string | null }) {
  return (
    <span className="state-badge">
      <span className={`state-label state-${state}`}>{stateLabel(state)}</span>
      {reason && <span className="state-reason">{humanize(reason)}</span>}
    </span>
  );
}

/** Due date and how it stands; open vulnerabilities without a deadline (or closed ones) show a dash. */
export function SlaBadge({ dueAt, status }: { dueAt: string | null; status: string | null }) {
  if (!dueAt) return <span className="muted" title="No remediation deadline">—</span>;
  return (
    <span className="sla-badge">
      <time dateTime={dueAt}>{formatDate(dueAt)}</time>
      {status && <span className={`badge sla-${status}`}>{slaLabel(status)}</span>}
    </span>
  );
}

export function KevBadge() {
  return (
    <abbr className="badge kev-badge" title="In CISA's Known Exploited Vulnerabilities catalog">
      KEV
    </abbr>
  );
}

/** Risk score with what drives it most: known exploitation (KEV) and the EPSS probability. */
export function RiskFigures({ risk }: { risk: { score: number; epss: number | null; kev: boolean } }) {
  return (
    <span className="risk-figures">
      <span className="risk-score" title="Risk score, 0–100">
        {formatRisk(risk.score)}
      </span>
      {risk.kev && <KevBadge />}
      {risk.epss !== null && (
        <span className="epss-figure" title="EPSS: probability of exploitation in the next 30 days">
          EPSS {formatPercent(risk.epss)}
        </span>
      )}
    </span>
  );
}
