/**
 * A report that cannot be ingested. `pointer` is the JSON pointer (RFC 6901) of the offending value in the
 * uploaded document, e.g. `/vulnerabilities/3/severity`, so the uploader can find it.
 */
export class ReportError extends Error {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(`${pointer || '/'}: ${message}`);
  }
}

/** Escapes one JSON pointer segment. */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}
