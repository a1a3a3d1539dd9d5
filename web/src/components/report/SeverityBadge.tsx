import type { Severity } from '../../api/types';
import { severityLabel } from './labels';
import './report.css';

/**
 * A severity, in words and colour (never colour alone). When someone overrode the scanner's severity, a marker
 * says so and its title tells what the scanner had said.
 */
export function SeverityBadge({ severity, overridden = false, scannerSeverity }: { severity: Severity | string; overridden?: boolean; scannerSeverity?: Severity | string }) {
  return (
    <span className="severity">
      <span className={`badge sev-badge sev-${severity}`}>
        <span className="sev-dot" aria-hidden="true" />
        {severityLabel(severity)}
      </span>
      {overridden && (
        <span className="sev-overridden" title={scannerSeverity ? `Severity overridden; the scanner reported ${severityLabel(scannerSeverity)}` : 'Severity overridden'}>
          overridden{scannerSeverity && <span className="visually-hidden"> (scanner: {severityLabel(scannerSeverity)})</span>}
        </span>
      )}
    </span>
  );
}
