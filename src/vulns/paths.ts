/**
 * File paths as identity sees them: POSIX separators, no `./` segments, no `file://` scheme, percent-decoded,
 * no leading `/` when a checkout root was removed. Pure.
 */
export function normaliseRepoPath(raw: string): string {
  let p = raw.trim();
  if (/^file:/i.test(p)) {
    p = p.replace(/^file:\/\/[^/]*/i, '').replace(/^file:/i, '');
  }
  if (/%[0-9a-f]{2}/i.test(p)) {
    try {
      p = decodeURIComponent(p);
    } catch {
      // keep the text as given when it is not valid percent-encoding
    }
  }
  p = p.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  const out: string[] = [];
  for (const segment of p.split('/')) {
    if (segment === '.' || (segment === '' && out.length > 0)) continue;
    if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(segment);
  }
  return out.join('/');
}

/** Strips a known checkout root (e.g. a SARIF `originalUriBaseIds` entry) so the path is repo-relative. */
export function relativeTo(path: string, root: string): string {
  const base = normaliseRepoPath(root).replace(/\/$/, '');
  const full = normaliseRepoPath(path);
  // A checkout at the filesystem root normalises to '' and leaves every absolute path under it.
  if (base === '' && /^(\/|file:\/\/[^/]*\/)/i.test(root.trim())) return full.replace(/^\/+/, '');
  if (base && (full === base || full.startsWith(`${base}/`))) return full.slice(base.length + 1);
  return full;
}
