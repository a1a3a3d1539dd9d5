import { redactSecrets } from './redact.js';
import type { Remediation } from './service.js';

/**
 * The optional AI assist: "Explain" and "Suggest a fix" ask an OpenAI-compatible chat completions endpoint (a local
 * model server in a closed network, or a hosted one) about one vulnerability. The prompt carries the finding, the
 * CWE guidance and the code snippet — every part through redactSecrets — and is shown with the answer, which is
 * labelled a suggestion. Vigil never acts on the answer.
 */
export const ASSIST_KINDS = ['explain', 'fix'] as const;
export type AssistKind = (typeof ASSIST_KINDS)[number];

export interface AssistSubject {
  title: string;
  severity: string;
  reportType: string;
  description: string | null;
  identifiers: string[];
  location: string;
  snippet: string | null;
  /** Values known to be secret (a secret detection finding's match): removed wherever they appear. */
  secrets: string[];
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

const SYSTEM = 'You are an application security engineer helping a developer. Be specific and brief. Say when you are unsure. Never invent versions or APIs.';

/** The messages for one request: pure, so the prompt shown to the user is exactly the one sent. */
export function assistPrompt(kind: AssistKind, subject: AssistSubject, guidance: Remediation): ChatMessage[] {
  const weaknesses = guidance.weaknesses.map((w) => `${w.id} ${w.name}: ${w.description}\nMitigations:\n${w.mitigations.slice(0, 4).map((m) => `- ${m.text.split('\n')[0]}`).join('\n')}`);
  const parts = [
    `Vulnerability: ${subject.title} (${subject.severity}, ${subject.reportType})`,
    subject.identifiers.length > 0 ? `Identifiers: ${subject.identifiers.join(', ')}` : null,
    `Location: ${subject.location}`,
    subject.description ? `Scanner description:\n${subject.description.slice(0, 4000)}` : null,
    guidance.scannerSolution ? `Scanner advice: ${guidance.scannerSolution}` : null,
    guidance.upgrade?.target ? `Known fix: upgrade ${guidance.upgrade.name} ${guidance.upgrade.installed ?? ''} to ${guidance.upgrade.target}` : null,
    weaknesses.length > 0 ? `Weakness (MITRE CWE):\n${weaknesses.join('\n\n')}` : null,
    subject.snippet ? `Code:\n\`\`\`\n${subject.snippet.slice(0, 4000)}\n\`\`\`` : null,
    kind === 'explain'
      ? 'Explain what this vulnerability is, how it could be exploited here, and why it matters, in under 200 words.'
      : 'Suggest a concrete fix for this code or dependency: the change to make (as a diff or code where possible) and how to verify it.',
  ].filter((p): p is string => p !== null);
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: redactSecrets(parts.join('\n\n'), subject.secrets) },
  ];
}

export interface AssistConfig {
  url: string;
  model: string;
  apiKey: string | null;
  timeoutSeconds: number;
}

/** POST {url}/chat/completions; the first choice's message. */
export async function askModel(config: AssistConfig, messages: ChatMessage[]): Promise<string> {
  const endpoint = `${config.url.replace(/\/+$/, '')}/chat/completions`;
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(config.apiKey && { authorization: `Bearer ${config.apiKey}` }) },
    body: JSON.stringify({ model: config.model, messages, temperature: 0.2 }),
    signal: AbortSignal.timeout(config.timeoutSeconds * 1000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`the model server answered ${response.status}: ${text.slice(0, 300)}`);
  let answer: unknown;
  try {
    answer = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
  } catch {
    throw new Error('the model server did not answer with JSON');
  }
  if (typeof answer !== 'string' || answer.trim() === '') throw new Error('the model server gave no answer (choices[0].message.content)');
  return answer;
}
