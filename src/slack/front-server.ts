import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HTTPModuleFunctions } from '@slack/bolt';
import { Histogram, Registry } from 'prom-client';
import { frontDoor, type Ack, type FrontDoorOptions } from './front-door.js';
import { within } from '../within.js';
import { errorMessage } from '../errors.js';

export const EVENTS_PATH = '/slack/events';

export type Health = { readonly ok: boolean; readonly checks: Readonly<Record<string, string>> };

/** A Slack request as the front door read it, for Bolt. */
export type Delivery = {
  readonly body: Record<string, unknown>;
  readonly retryNum?: number;
  readonly retryReason?: string;
};

/** The bot behind the front server. */
export type BotLink = {
  /** Hands Bolt a request; resolves with the ack its listener gives. Absent in Socket Mode: Slack sends nothing over HTTP. */
  readonly deliver?: (delivery: Delivery) => Promise<Ack>;
  readiness(): Promise<Health>;
  metrics(): Promise<{ readonly contentType: string; readonly body: string }>;
};

/** Slack gives up after 3 s; a listener that has not acked by then never will in time. */
const ACK_MS = 2800;

/**
 * Lifeboat's HTTP server: health routes and metrics in both modes, and in HTTP mode the front door
 * on POST /slack/events. A click is acked as soon as it is checked, before Bolt runs its listener,
 * because Slack needs nothing but the 200; a slash command or a modal submission is answered with
 * the ack its listener gives.
 */
export function frontServer(options: FrontDoorOptions & { readonly bot: BotLink }): Server {
  const admit = frontDoor(options);
  const registry = new Registry();
  // Slack gives up on a request it has no answer to after 3 s.
  const ackLatency = new Histogram({
    name: 'lifeboat_slack_ack_seconds',
    help: 'From a Slack request arriving on /slack/events to its acknowledgement being sent',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers: [registry],
  });

  const slackEvent = async (
    req: IncomingMessage,
    res: ServerResponse,
    deliver: (delivery: Delivery) => Promise<Ack>,
  ): Promise<void> => {
    const arrived = process.hrtime.bigint();
    res.once('finish', () => ackLatency.observe(Number(process.hrtime.bigint() - arrived) / 1e9));
    const admission = await admit(req).catch((error: unknown) => {
      if (!HTTPModuleFunctions.isRawBodyError(error) || error.statusCode !== 413) return 'unreadable';
      return 'too large';
    });
    if (admission === 'unreadable') return answer(res, { status: 400 }, { connection: 'close' });
    if (admission === 'too large') {
      // Discard the rest unread: a client still sending would otherwise see a reset, not the 413,
      // and a kept-alive connection would read the leftover body as its next request.
      req.resume();
      if (req.readableEnded) return answer(res, { status: 413 });
      return void req.once('end', () => answer(res, { status: 413 }));
    }
    if ('answer' in admission) return answer(res, admission.answer);
    const { deliver: body, ackNow, ...retry } = admission;
    const delivery = { body, ...retry };
    if (!ackNow) {
      const ack = await within(deliver(delivery), ACK_MS, undefined);
      if (!ack) options.warn(`no ack from Bolt within ${ACK_MS} ms: answered 500`);
      return answer(res, ack ?? { status: 500 });
    }
    answer(res, { status: 200 });
    // Whatever happens next is the listener's to report (in the thread or an ephemeral reply).
    deliver(delivery).catch((error: unknown) => options.warn(errorMessage(error)));
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://lifeboat').pathname;
    const method = req.method?.toUpperCase();
    const { deliver } = options.bot;
    if (method === 'POST' && path === EVENTS_PATH && deliver) return slackEvent(req, res, deliver);
    if (method !== 'GET') return answer(res, { status: 404 });
    if (path === '/healthz') return answer(res, { status: 200, contentType: 'text/plain', body: 'ok\n' });
    if (path === '/readyz') {
      const health = await options.bot
        .readiness()
        .catch((error: unknown): Health => ({ ok: false, checks: { bot: errorMessage(error) } }));
      return answer(res, {
        status: health.ok ? 200 : 503,
        contentType: 'application/json',
        body: `${JSON.stringify(health)}\n`,
      });
    }
    if (path === '/metrics') {
      const bot = await options.bot.metrics();
      return answer(res, {
        status: 200,
        contentType: bot.contentType,
        body: bot.body + (await registry.metrics()),
      });
    }
    answer(res, { status: 404 });
  };

  return createServer((req, res) => {
    // A request must never take the process down with it.
    route(req, res).catch((error: unknown) => {
      options.warn(`a request to ${req.url ?? '/'} failed: ${errorMessage(error)}`);
      if (!res.headersSent) answer(res, { status: 500 });
      else res.destroy();
    });
  });
}

function answer(res: ServerResponse, ack: Ack, headers: Record<string, string> = {}): void {
  res.writeHead(ack.status, ack.contentType ? { ...headers, 'content-type': ack.contentType } : headers);
  res.end(ack.body);
}
