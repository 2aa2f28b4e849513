import { createHmac } from 'node:crypto';

/** The only content type Bolt parses as a form (no `; charset`). */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`. */
export function slackSignature(signingSecret: string, timestamp: string | number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Now, in the seconds Slack puts in X-Slack-Request-Timestamp. */
export function slackTimestamp(now = Date.now()): number {
  return Math.floor(now / 1000);
}
