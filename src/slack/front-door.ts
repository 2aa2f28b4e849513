import type { IncomingMessage } from 'node:http';
import { parse } from 'node:querystring';
import { HTTPModuleFunctions, verifySlackRequest } from '@slack/bolt';
import { z } from 'zod';
import { PARAMS_MODAL } from './blocks/ids.js';
import { errorMessage } from '../errors.js';

/** Slack's clock and ours may differ by five minutes, either way; Bolt refuses only the past. */
const MAX_SKEW_SECONDS = 5 * 60;

/** Keys that make Bolt route a body elsewhere (it tries `event`, `command`, `name`, `actions` in turn). */
const absent = z.undefined().optional();
const person = z.looseObject({ id: z.string().min(1) });
const team = z.looseObject({ id: z.string() }).nullable().optional();

/**
 * What Slack sends Lifeboat, with every field Bolt or our handlers read, and nothing Lifeboat does
 * not ask for (no shortcuts, option loads or view_closed; of events, only the Home tab's, as the manifest).
 */
function slackRequest(command: string) {
  return z.union([
    z.looseObject({ ssl_check: z.literal('1') }),
    z.looseObject({ type: z.literal('url_verification'), challenge: z.string() }),
    z.looseObject({
      type: z.literal('event_callback'),
      event: z.looseObject({ type: z.literal('app_home_opened'), user: z.string().min(1), tab: z.string() }),
    }),
    z.looseObject({
      event: absent,
      command: z.literal(command),
      text: z.string(),
      user_id: z.string().min(1),
      channel_id: z.string().min(1),
      trigger_id: z.string().min(1),
      response_url: z.url(),
    }),
    z.looseObject({
      event: absent,
      command: absent,
      name: absent,
      type: z.literal('block_actions'),
      user: person,
      team,
      channel: z.looseObject({ id: z.string() }).optional(),
      container: z.looseObject({ channel_id: z.string().optional(), message_ts: z.string().optional() }),
      trigger_id: z.string(),
      actions: z
        .array(z.looseObject({ action_id: z.string().startsWith('lb.'), value: z.string().optional() }))
        .min(1),
    }),
    z.looseObject({
      event: absent,
      command: absent,
      name: absent,
      actions: absent,
      type: z.literal('view_submission'),
      user: person,
      team,
      response_urls: z.array(z.unknown()).optional(),
      view: z.looseObject({
        id: z.string(),
        hash: z.string(),
        callback_id: z.literal(PARAMS_MODAL),
        private_metadata: z.string(),
        app_installed_team_id: z.string().optional(),
        state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) }),
      }),
    }),
  ]);
}

/** An HTTP answer to Slack: the front door's own, or the ack a Bolt listener gives. */
export type Ack = { readonly status: number; readonly contentType?: string; readonly body?: string };

/** What the front door makes of a request: its own answer, or a Slack request for Bolt. */
export type Admission =
  | { readonly answer: Ack }
  | {
      readonly deliver: Record<string, unknown>;
      /** Clicks and events: Slack needs only a 200, so it is sent before Bolt sees them. */
      readonly ackNow: boolean;
      readonly retryNum?: number;
      readonly retryReason?: string;
    };

export type FrontDoorOptions = { signingSecret: string; command: string; warn: (message: string) => void };

/**
 * The one place a request to POST /slack/events is read and its signature checked: unsigned → 401,
 * Slack's unsigned SSL check → 200 with nothing sent along, URL verification answered here, and a
 * signed body that is not a whole request of a kind Slack sends Lifeboat → 400. Bolt would crash
 * the process on a JSON `null`, answer 500 on a field of the wrong type, and leave a body no
 * listener takes waiting 3 s for a 404. Rejects with Bolt's raw-body error past the size limit.
 */
export function frontDoor(options: FrontDoorOptions): (req: IncomingMessage) => Promise<Admission> {
  const schema = slackRequest(options.command);
  return async (req) => {
    const body = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
    const text = body.rawBody.toString();
    const fields =
      req.headers['content-type'] === 'application/x-www-form-urlencoded' ? parse(text) : undefined;
    if (fields?.ssl_check === '1') return { answer: { status: 200 } };
    const signature = req.headers['x-slack-signature'];
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    try {
      if (typeof signature !== 'string') throw new Error('no x-slack-signature header');
      verifySlackRequest({
        signingSecret: options.signingSecret,
        body: text,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      });
      if (timestamp > Date.now() / 1000 + MAX_SKEW_SECONDS)
        throw new Error('x-slack-request-timestamp is in the future');
    } catch (error) {
      options.warn(`refused a request that is not signed by Slack (401): ${errorMessage(error)}`);
      return { answer: { status: 401 } };
    }
    let parsed: unknown;
    try {
      // As Bolt reads it: a form's `payload` field is JSON, a form without one (a slash command) is its fields.
      parsed = fields
        ? typeof fields.payload === 'string'
          ? JSON.parse(fields.payload)
          : fields
        : JSON.parse(text);
    } catch {
      return { answer: { status: 400 } };
    }
    const request = schema.safeParse(parsed);
    if (!request.success) {
      options.warn('turned away a signed request that is no request Slack sends Lifeboat (400)');
      return { answer: { status: 400 } };
    }
    const slack = parsed as Record<string, unknown>;
    if (slack.type === 'url_verification')
      return {
        answer: {
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ challenge: slack.challenge }),
        },
      };
    const retryNum = Number(req.headers['x-slack-retry-num']);
    const retryReason = req.headers['x-slack-retry-reason'];
    return {
      deliver: slack,
      // Our button handler acks with nothing first thing, and Bolt acks every event itself.
      ackNow: slack.type === 'block_actions' || slack.type === 'event_callback',
      ...(Number.isInteger(retryNum) ? { retryNum } : {}),
      ...(typeof retryReason === 'string' ? { retryReason } : {}),
    };
  };
}
