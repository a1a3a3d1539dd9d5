import { useId, useState } from 'react';
import { SEVERITIES, type Project, type Severity } from '../../api/types';
import { pluralize, severityLabel } from '../../components/report/labels';
import { CodeBlock } from './CodeBlock';
import type { Comparison } from './types';

/**
 * The CI gate: `vigil upload --fail-on` (src/cli/commands/remote.ts) uploads the report, then asks the API for the
 * same comparison this page shows and exits 1 when the branch has a vulnerability the default branch does not, at
 * or above the threshold. The command is filled in for this server, project and branch; with a comparison loaded
 * the page says how the gate would decide today.
 */
export function CiGate({ project, branch, comparison }: { project: Project; branch: string | null; comparison: Comparison | undefined }) {
  const [failOn, setFailOn] = useState<Severity>('high');
  const selectId = useId();
  const origin = window.location.origin;
  const ref = branch === null ? '<branch>' : quote(branch);
  const atOrAbove = SEVERITIES.slice(0, SEVERITIES.indexOf(failOn) + 1);
  const shell = [
    `export VIGIL_URL=${origin} VIGIL_TOKEN=<token>`,
    `npx vigil upload <report> --project ${project.full_path} --ref ${ref} --fail-on ${failOn}`,
  ].join('\n');
  const gitlab = [
    'vigil:',
    '  stage: .post   # after the scanners: their report artifacts are downloaded by default',
    '  image: node:20',
    '  variables:',
    `    VIGIL_URL: ${origin}`,
    '    # VIGIL_TOKEN: a masked CI/CD variable (Settings → CI/CD → Variables)',
    '  script:',
    '    - >',
    `      npx vigil upload gl-sast-report.json --project ${project.full_path} --ref "$CI_COMMIT_REF_NAME"`,
    `      --commit "$CI_COMMIT_SHA" --pipeline "$CI_PIPELINE_ID" --idempotency-key "$CI_JOB_ID-sast" --fail-on ${failOn}`,
  ].join('\n');
  const blocking = comparison?.new.filter((v) => atOrAbove.includes(v.severity));
  return (
    <section className="card ci-gate" aria-labelledby="ci-gate-heading">
      <h2 id="ci-gate-heading">Gate merges in CI</h2>
      <p>
        Upload each scanner report from the branch&apos;s pipeline with <code>--fail-on</code>. After the upload, <code>vigil</code> compares the branch
        with <code>{project.default_branch}</code> and <strong>exits with 1</strong> when the branch has a vulnerability that <code>{project.default_branch}</code>{' '}
        does not, at or above the chosen severity, listing them; it exits with 0 when there is none, and with 3 to 7 when the upload itself fails. The
        comparison covers every scanner that has run on the branch, not only this report. An upload to <code>{project.default_branch}</code> always
        passes.
      </p>
      <div className="fail-on">
        <label htmlFor={selectId}>Fail on</label>
        <select id={selectId} value={failOn} onChange={(e) => setFailOn(e.target.value as Severity)}>
          {SEVERITIES.map((s, i) => (
            <option key={s} value={s}>
              {s}
              {i === 0 ? ' only' : i === SEVERITIES.length - 1 ? ' (any new vulnerability)' : ` (${SEVERITIES.slice(0, i + 1).join(', ')})`}
            </option>
          ))}
        </select>
      </div>
      {branch && blocking && (
        <p className={`gate-verdict ${blocking.length > 0 ? 'gate-fail' : 'gate-pass'}`} role="status">
          <strong>{blocking.length > 0 ? 'Would fail' : 'Would pass'}</strong> on <code>{branch}</code> today:{' '}
          {blocking.length > 0
            ? `${pluralize(blocking.length, 'new vulnerability', 'new vulnerabilities')} at or above ${severityLabel(failOn).toLowerCase()}.`
            : `nothing new at or above ${severityLabel(failOn).toLowerCase()}${comparison && comparison.new.length > 0 ? ` (${comparison.new.length} new below it)` : ''}.`}
        </p>
      )}
      <h3>From a shell</h3>
      <p className="muted">
        <code>&lt;report&gt;</code> is the scanner&apos;s output file, in any format <code>npx vigil formats</code> lists. Create the token with{' '}
        <code>npx vigil tokens create --username &lt;you&gt; --scopes read,write</code>.
      </p>
      <CodeBlock code={shell} label="shell commands" />
      <h3>In GitLab CI</h3>
      <CodeBlock code={gitlab} label="GitLab CI job" />
    </section>
  );
}

/** Branch names may hold characters a shell would interpret; quote them when they do. */
function quote(ref: string): string {
  return /^[\w./-]+$/.test(ref) ? ref : `'${ref.replace(/'/g, `'\\''`)}'`;
}
