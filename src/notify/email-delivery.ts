import nodemailer from 'nodemailer';
import type { Services } from '../platform/context.js';
import { runDue, type AttemptResult, type RunSummary } from './delivery-queue.js';

/** SMTP waits: a dead or stalling server fails the attempt instead of holding the worker. */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };
const LEASE_MS = 5 * 60_000;

/** Whether e-mail is configured; the API says so rather than silently dropping settings. */
export function emailEnabled(svc: Services): boolean {
  return svc.config.smtpUrl !== null;
}

/**
 * Sends every due e-mail over SMTP (VIGIL_SMTP_URL), with the retries and log shared with webhooks. SMTP's
 * permanent refusals (5xx: no such mailbox, relaying denied) fail at once; everything else is retried.
 */
export async function deliverDueEmails(svc: Services): Promise<RunSummary> {
  if (svc.config.smtpUrl === null) return { delivered: 0, retrying: 0, failed: 0 };
  const transport = nodemailer.createTransport({ url: svc.config.smtpUrl, ...SMTP_TIMEOUTS });
  try {
    return await runDue(svc, 'email', LEASE_MS, async (id): Promise<AttemptResult> => {
      const mail = await svc.db.kysely.selectFrom('email_deliveries').select(['id', 'to_address', 'subject', 'text_body', 'html_body']).where('id', '=', id).executeTakeFirstOrThrow();
      const started = performance.now();
      try {
        await transport.sendMail({ from: svc.config.mailFrom, to: mail.to_address, subject: mail.subject, text: mail.text_body, html: mail.html_body, date: svc.clock.now(), headers: { 'X-Vigil-Delivery': String(mail.id) } });
        return { ok: true, statusCode: 250, error: null, durationMs: performance.now() - started };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode ?? null;
        return { ok: false, statusCode: code, error: (error as Error).message, permanent: code !== null && code >= 500, durationMs: performance.now() - started };
      }
    });
  } finally {
    transport.close();
  }
}
