import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';
import { HTTPModuleFunctions, isValidSlackRequest } from '@slack/bolt';
import { z } from 'zod';
import { PARAMS_MODAL } from './blocks/ids.js';

const EVENTS_PATH = '/slack/events';

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

type Verdict = 'bolt' | 400 | 401 | 413;

/**
 * In front of Bolt's receiver on POST /slack/events: a signed body that is not a whole request of a
 * kind Slack sends Lifeboat gets 400 at once. Bolt would crash the process on a JSON `null`, answer
 * 500 on a field of the wrong type, and leave a body no listener takes waiting 3 s for a 404.
 * Everything else (the signature's 401, ssl_check, the 413 of Bolt's body limit) keeps Bolt's answer.
 */
export function frontDoor(
  bolt: RequestListener,
  options: { signingSecret: string; command: string; warn: (message: string) => void },
): RequestListener {
  const schema = slackRequest(options.command);
  const judge = async (req: IncomingMessage): Promise<Verdict> => {
    const body = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
    // Slack's SSL check comes unsigned; Bolt answers it and drops anything sent along (parsed as Bolt does).
    const form = req.headers['content-type'] === 'application/x-www-form-urlencoded';
    if (form && parse(body.rawBody.toString()).ssl_check === '1') return 'bolt';
    const signature = req.headers['x-slack-signature'];
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const signed =
      typeof signature === 'string' &&
      isValidSlackRequest({
        signingSecret: options.signingSecret,
        body: body.rawBody.toString(),
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      });
    if (!signed) return 'bolt';
    if (timestamp > Date.now() / 1000 + MAX_SKEW_SECONDS) return 401;
    let parsed: unknown;
    try {
      parsed = HTTPModuleFunctions.parseHTTPRequestBody(body);
    } catch {
      return 'bolt';
    }
    const checked = schema.safeParse(parsed);
    if (checked.success) return 'bolt';
    options.warn('turned away a signed request that is no request Slack sends Lifeboat (400)');
    return 400;
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== EVENTS_PATH) return bolt(req, res);
    judge(req)
      .then(
        (verdict) => (verdict === 'bolt' ? bolt(req, res) : answer(res, verdict)),
        (error: unknown) => {
          if (!HTTPModuleFunctions.isRawBodyError(error) || error.statusCode !== 413)
            return answer(res, 400, { connection: 'close' });
          // Discard the rest unread: a client still sending would otherwise see a reset, not the 413,
          // and a kept-alive connection would read the leftover body as its next request.
          req.resume();
          if (req.readableEnded) answer(res, 413);
          else req.once('end', () => answer(res, 413));
        },
      )
      // A request must never take the process down with it.
      .catch((error: unknown) => {
        options.warn(`a request failed in the front door: ${(error as Error).message}`);
        if (!res.headersSent) answer(res, 500);
      });
  };
}

function answer(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}
