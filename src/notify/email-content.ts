import { headline, links, vulnerabilityLines, type StoredEvent } from './event-text.js';

/** A rendered e-mail: stored with its delivery, so every retry sends the same message. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** Everything that reaches HTML comes from scanners and users: escape all of it. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Subjects are one line whatever a title contains (no header injection, no folded garbage). */
function oneLine(text: string, max = 200): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function htmlLink(url: string | null, text: string): string {
  return url ? `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

const FOOTER = 'You receive this because of your notification settings in Vigil (PATCH /api/v1/user/notifications).';

/** The e-mail for one event, sent as it happens. */
export function eventEmail(event: StoredEvent, publicUrl: string | null): EmailContent {
  const link = links(publicUrl);
  const title = headline(event.kind, event.payload);
  const { lines, more } = vulnerabilityLines(event.payload);
  const projectUrl = event.payload.project ? link.project(event.payload.project.path) : null;
  const text = [
    title,
    '',
    ...lines.map((l) => `- ${l.text}${link.vulnerability(l.vulnerability.id) ? `\n  ${link.vulnerability(l.vulnerability.id)}` : ''}`),
    ...(more > 0 ? [`…and ${more} more`] : []),
    ...(projectUrl ? ['', projectUrl] : []),
    '',
    `${event.kind} at ${event.createdAt}`,
    FOOTER,
  ].join('\n');
  const html = [
    `<p><strong>${htmlLink(projectUrl, title)}</strong></p>`,
    ...(lines.length > 0 ? [`<ul>${lines.map((l) => `<li>${htmlLink(link.vulnerability(l.vulnerability.id), l.text)}</li>`).join('')}</ul>`] : []),
    ...(more > 0 ? [`<p>…and ${more} more</p>`] : []),
    `<p style="color:#666">${escapeHtml(`${event.kind} at ${event.createdAt}`)}<br>${escapeHtml(FOOTER)}</p>`,
  ].join('\n');
  return { subject: `[Vigil] ${oneLine(title)}`, text, html };
}

export interface DigestProject {
  path: string;
  /** Events of the day by kind. */
  counts: Record<string, number>;
  breached: number;
  dueSoon: number;
}

/** The daily digest: per project, what happened that day and how many open vulnerabilities are late or nearly so. */
export function digestEmail(day: string, projects: readonly DigestProject[], publicUrl: string | null): EmailContent {
  const link = links(publicUrl);
  const breached = projects.reduce((n, p) => n + p.breached, 0);
  const dueSoon = projects.reduce((n, p) => n + p.dueSoon, 0);
  const summary = `${breached} past the remediation deadline, ${dueSoon} due soon`;
  const describe = (p: DigestProject) => {
    const events = Object.entries(p.counts).map(([kind, n]) => `${kind}: ${n}`);
    return `${events.length > 0 ? events.join(', ') : 'no events'}; open: ${p.breached} breached, ${p.dueSoon} due soon`;
  };
  const listed = projects.filter((p) => Object.keys(p.counts).length > 0 || p.breached > 0 || p.dueSoon > 0);
  const text = [
    `Vigil daily digest for ${day}`,
    `Open vulnerabilities now: ${summary}.`,
    '',
    ...(listed.length === 0 ? ['Nothing happened in your projects that day.'] : listed.map((p) => `${p.path}: ${describe(p)}${link.project(p.path) ? `\n  ${link.project(p.path)}` : ''}`)),
    '',
    FOOTER,
  ].join('\n');
  const html = [
    `<p><strong>${escapeHtml(`Vigil daily digest for ${day}`)}</strong></p>`,
    `<p>${escapeHtml(`Open vulnerabilities now: ${summary}.`)}</p>`,
    listed.length === 0 ? '<p>Nothing happened in your projects that day.</p>' : `<ul>${listed.map((p) => `<li>${htmlLink(link.project(p.path), p.path)}: ${escapeHtml(describe(p))}</li>`).join('')}</ul>`,
    `<p style="color:#666">${escapeHtml(FOOTER)}</p>`,
  ].join('\n');
  return { subject: `[Vigil] Daily digest for ${day}: ${summary}`, text, html };
}
