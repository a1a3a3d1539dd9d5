/**
 * A link to a file (and lines) at a revision in the project's repository browser. GitHub, Bitbucket Cloud and
 * GitLab spell it differently; any other host gets GitLab's form (self-hosted GitLab is the common case, and
 * Gitea/Forgejo redirect it). Scanner paths are not trusted: an absolute path, a URI or one that climbs out with
 * ".." is not a repository path, so it gets no link rather than a wrong or misleading one.
 */
type Style = 'github' | 'bitbucket' | 'gitlab';

function styleOf(host: string): Style {
  const h = host.toLowerCase();
  if (h === 'github.com' || h.startsWith('github.')) return 'github';
  if (h === 'bitbucket.org' || h.startsWith('bitbucket.')) return 'bitbucket';
  return 'gitlab';
}

/** The repository-relative path as URL segments, or null when it is not one. */
function pathSegments(file: string): string[] | null {
  const posix = file.trim().replace(/\\/g, '/');
  // "/etc/x", "C:/x" and "file:///x" (a drive letter reads as a one-letter scheme) are outside the repository.
  if (posix.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(posix)) return null;
  const segments = posix.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || segments.includes('..')) return null;
  return segments;
}

const encodeSegments = (segments: string[]) => segments.map(encodeURIComponent).join('/');

function lineAnchor(style: Style, start: number | null | undefined, end: number | null | undefined): string {
  if (!start || !Number.isInteger(start) || start < 1) return '';
  const range = end && Number.isInteger(end) && end > start ? end : null;
  if (style === 'github') return range ? `#L${start}-L${range}` : `#L${start}`;
  if (style === 'bitbucket') return range ? `#lines-${start}:${range}` : `#lines-${start}`;
  return range ? `#L${start}-${range}` : `#L${start}`;
}

export function fileLink(repositoryUrl: string | null, revision: string | null, file: string | null, startLine?: number | null, endLine?: number | null): string | null {
  if (!repositoryUrl || !revision || !file) return null;
  let host: string;
  try {
    host = new URL(repositoryUrl).hostname;
  } catch {
    return null;
  }
  const segments = pathSegments(file);
  const rev = revision.split('/').filter((s) => s !== '');
  if (!segments || rev.length === 0) return null;
  // "https://github.com/acme/api.git/" is how a clone URL is often pasted; the browser lives without ".git".
  const base = repositoryUrl.trim().replace(/\/+$/, '').replace(/\.git$/i, '');
  const style = styleOf(host);
  const middle = style === 'github' ? 'blob' : style === 'bitbucket' ? 'src' : '-/blob';
  return `${base}/${middle}/${encodeSegments(rev)}/${encodeSegments(segments)}${lineAnchor(style, startLine, endLine)}`;
}
