/** Plain-text output shared by the commands. */

/** Where a finding is, in one short phrase: file:line, package@version, image, or URL path. */
export function locationText(location: Record<string, unknown>): string {
  const text = (key: string) => (typeof location[key] === 'string' && location[key] ? (location[key] as string) : null);
  // A dependency is known by its package; the manifest it was found in says less.
  const pkg = location.package as { name?: string; version?: string | null } | null | undefined;
  if (pkg?.name) return pkg.version ? `${pkg.name}@${pkg.version}` : pkg.name;
  const file = text('file');
  if (file) return typeof location.startLine === 'number' ? `${file}:${location.startLine}` : file;
  const image = text('image');
  if (image) return image;
  const urlPath = text('path');
  if (urlPath) return `${text('httpMethod') ? `${text('httpMethod')} ` : ''}${text('hostname') ?? ''}${urlPath}`;
  return '-';
}

/** Rows as columns separated by two spaces; the last column is not padded. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd() + '\n').join('');
}
