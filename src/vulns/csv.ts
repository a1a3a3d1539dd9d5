/**
 * CSV as RFC 4180 writes it (comma-separated, CRLF line ends, fields with a quote, comma or line break quoted and
 * their quotes doubled), made safe to open in a spreadsheet: scanner output is attacker-controlled (a finding's
 * title, a file name), and a cell that begins with = + - @ or a tab / carriage return is run as a formula by
 * Excel, LibreOffice and Google Sheets. Such a text cell gets a leading ' so it reads as text (OWASP's advice).
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  // Numbers and booleans are ours, never a formula (and a negative number must stay a number).
  if (typeof value !== 'string') return String(value);
  const neutralised = FORMULA_START.test(value);
  const text = neutralised ? `'${value}` : value;
  return neutralised || NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
