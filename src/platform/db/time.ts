/** The one way a timestamp is written to the database: fixed-width ISO-8601 UTC, so text order is time order. */
export function toDbTime(at: Date): string {
  return at.toISOString();
}

export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}
