/** True when a write failed on a UNIQUE or PRIMARY KEY constraint (SQLite and PostgreSQL spell it differently). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * True when a transaction lost a race it may win on a second try: PostgreSQL's serialization failure or deadlock,
 * or a unique row that a concurrent transaction inserted first (shared rows such as CVE records).
 */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01' || isUniqueViolation(error);
}
