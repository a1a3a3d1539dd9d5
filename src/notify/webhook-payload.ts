import { headline, links, vulnerabilityLines, type StoredEvent } from './event-text.js';

export const WEBHOOK_FORMATS = ['vigil', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The ping that `POST …/webhooks/:id/test` sends. */
export function pingEvent(webhook: { id: number; scope: { type: string; path: string } }, at: string): StoredEvent {
  return { id: 0, kind: 'ping', createdAt: at, payload: { webhook } };
}

/** Long titles would push a message past Slack's 3,000 characters per block. */
const LINE_CHARS = 140;

/** Slack's mrkdwn treats these three as markup. */
function mrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function linked(url: string | null, text: string): string {
  return url ? `<${url}|${mrkdwn(text)}>` : mrkdwn(text);
}

/** A Slack-compatible incoming-webhook message: `text` for notifications, `blocks` for the detail. */
function slackMessage(event: StoredEvent, publicUrl: string | null) {
  const link = links(publicUrl);
  const title = event.kind === 'ping' ? 'Test delivery from Vigil: this webhook works' : headline(event.kind, event.payload);
  const { lines, more } = vulnerabilityLines(event.payload);
  const shown = lines.slice(0, 20);
  const list = [...shown.map((l) => `• ${linked(link.vulnerability(l.vulnerability.id), l.text.slice(0, LINE_CHARS))}`), ...(more + lines.length - shown.length > 0 ? [`…and ${more + lines.length - shown.length} more`] : [])];
  const project = event.payload.project;
  const heading = project ? `*${linked(link.project(project.path), title)}*` : mrkdwn(title);
  return {
    text: mrkdwn(title),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: heading } },
      ...(list.length > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: list.join('\n') } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(`Vigil · ${event.kind} · ${event.createdAt}`) }] },
    ],
  };
}

/** The exact request body for a webhook of this format (stored with the delivery, so retries send the same bytes). */
export function webhookBody(format: WebhookFormat, event: StoredEvent, publicUrl: string | null): string {
  if (format === 'slack') return JSON.stringify(slackMessage(event, publicUrl));
  return JSON.stringify({ event: event.kind, event_id: event.id || null, created_at: event.createdAt, ...event.payload });
}
