/** How to send a first report: the exact CLI and curl commands, filled in for this server and project. */
export function FirstUpload({ projectPath, branch = 'main' }: { projectPath?: string; branch?: string }) {
  const origin = window.location.origin;
  const project = projectPath ?? 'acme/api';
  const cli = [
    `export VIGIL_URL=${origin} VIGIL_TOKEN=<token>`,
    `npx vigil upload gl-sast-report.json --project ${project} --ref ${branch}`,
  ].join('\n');
  const curl = [
    `curl -H "Authorization: Bearer $VIGIL_TOKEN" -H 'content-type: application/json' \\`,
    `  --data-binary @gl-sast-report.json \\`,
    `  "${origin}/api/v1/projects/${encodeURIComponent(project)}/scans?ref=${encodeURIComponent(branch)}"`,
  ].join('\n');
  return (
    <section className="card empty-state" aria-labelledby="first-upload">
      <h2 id="first-upload">Upload a first report</h2>
      <p>
        Vigil reads SARIF, GitLab security reports, Trivy, Grype, CycloneDX, npm audit, Semgrep, Gitleaks, ZAP and more — the format is
        detected from the file. Create a token with <code>npx vigil tokens create --username &lt;you&gt; --scopes read,write</code>, then from CI or
        your shell:
      </p>
      {!projectPath && (
        <p>
          First create a group and a project: <code>npx vigil groups create acme</code> and <code>npx vigil projects create acme/api --default-branch main</code>.
        </p>
      )}
      <h3>With the CLI</h3>
      <pre tabIndex={0}>
        <code>{cli}</code>
      </pre>
      <h3>With curl</h3>
      <pre tabIndex={0}>
        <code>{curl}</code>
      </pre>
    </section>
  );
}
