import type { Location } from '../../api/types';

/**
 * Where a finding is, in the words of its kind: a file and lines for code, a package (and the image it sits in)
 * for dependencies and containers, a URL for DAST.
 */
export function lineRange(l: Pick<Location, 'startLine' | 'endLine'>): string {
  if (!l.startLine) return '';
  return l.endLine && l.endLine > l.startLine ? `${l.startLine}–${l.endLine}` : String(l.startLine);
}

export function fileWithLines(l: Location): string | null {
  if (!l.file) return null;
  const lines = lineRange(l);
  return lines ? `${l.file}:${lines}` : l.file;
}

export function packageText(l: Location): string | null {
  if (!l.package) return null;
  return l.package.version ? `${l.package.name}@${l.package.version}` : l.package.name;
}

/** hostname + path, as the scanner reported them (the hostname usually carries the scheme). */
export function urlText(l: Location): string | null {
  if (!l.hostname && !l.path) return null;
  return `${l.hostname ?? ''}${l.path ?? ''}`;
}

/** One line to name the location in a list, and a second with what narrows it down (image, method, parameter). */
export function describeLocation(l: Location): { text: string; detail: string | null } | null {
  const pkg = packageText(l);
  if (pkg) return { text: pkg, detail: l.image ?? l.file };
  const file = fileWithLines(l);
  if (file) return { text: file, detail: l.method ? [l.className, l.method].filter(Boolean).join('.') : null };
  const url = urlText(l);
  if (url) return { text: l.httpMethod ? `${l.httpMethod} ${url}` : url, detail: l.param ? `parameter ${l.param}` : null };
  if (l.image) return { text: l.image, detail: l.operatingSystem };
  return null;
}
