/**
 * Secrets out of text that leaves Vigil (the AI assist's prompt). Well-known token shapes are replaced whole; values
 * assigned to secret-looking names (password = "…", api_key: …) lose their value; URLs lose their credentials. What
 * is replaced says what it was, so the model still reads "a GitHub token was committed here".
 */
const TOKENS: [string, RegExp][] = [
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY( BLOCK)?-----|$)/g],
  ['AWS access key', /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/g],
  ['GitHub token', /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g],
  ['GitLab token', /\bgl(?:pat|dt|rt|ptt|oas|cbt|ft|imt|agent|soat)-[A-Za-z0-9_-]{20,}\b/g],
  ['Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g],
  ['Stripe key', /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g],
  ['Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/g],
  ['npm token', /\bnpm_[A-Za-z0-9]{36}\b/g],
  ['JSON web token', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g],
  ['bearer token', /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/g],
];

const SECRET_NAME = '(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|auth|credentials?|private[_-]?key|client[_-]?secret)';
const ASSIGNMENT = new RegExp(`(\\b[\\w.-]*${SECRET_NAME}[\\w.-]*["']?\\s*[:=]\\s*)(["'\`]?)([^"'\`\\s,;)}]{4,})\\2`, 'gi');
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s:/@]+:[^\s/@]+@/gi;

export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  // Values the caller knows to be secret (a finding's own secret) go first, wherever they appear.
  for (const secret of known.filter((k) => k.length >= 4)) out = out.split(secret).join('[REDACTED secret]');
  for (const [what, pattern] of TOKENS) out = out.replace(pattern, `[REDACTED ${what}]`);
  out = out.replace(URL_CREDENTIALS, '$1[REDACTED credentials]@');
  return out.replace(ASSIGNMENT, (_all, name: string, quote: string) => `${name}${quote}[REDACTED]${quote}`);
}
