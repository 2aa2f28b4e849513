import { App, LogLevel, type CustomRoute, type Receiver } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { registerActions } from './handlers/actions.js';
import { registerCommands } from './handlers/commands.js';
import { registerHome } from './handlers/home.js';
import { registerViews } from './handlers/views.js';
import type { SlackContext } from './context.js';
import type { Health } from './front-server.js';

/** The bot's ids from auth.test at start; Bolt then does not ask Slack again. */
export type BotIdentity = { readonly botId?: string; readonly botUserId?: string };

export type SlackAppOptions = {
  readonly token: string;
  readonly signingSecret: string;
  /** Socket Mode; otherwise requests come from `receiver`. */
  readonly appToken?: string;
  readonly receiver?: Receiver;
  readonly identity: BotIdentity;
  readonly port: number;
  readonly context: SlackContext;
  readonly readiness: () => Promise<Health>;
  readonly metrics: () => Promise<{ contentType: string; body: string }>;
};

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType });
  res.end(body);
}

/**
 * The Bolt app: in HTTP mode (any number of replicas behind a Service) it takes requests from the
 * front server through `receiver`; in Socket Mode, when an app token is set, over Slack's WebSocket,
 * with the health routes on its own port.
 */
export function createSlackApp(options: SlackAppOptions): App {
  const customRoutes: CustomRoute[] = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => send(res, 200, 'text/plain', 'ok\n'),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        void options.readiness().then(
          (health) => send(res, health.ok ? 200 : 503, 'application/json', `${JSON.stringify(health)}\n`),
          (error: unknown) =>
            send(
              res,
              503,
              'application/json',
              `${JSON.stringify({ ok: false, checks: { error: (error as Error).message } })}\n`,
            ),
        );
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        void options.metrics().then(({ contentType, body }) => send(res, 200, contentType, body));
      },
    },
  ];
  const app = new App({
    token: options.token,
    ...options.identity,
    tokenVerificationEnabled: false,
    ...(options.receiver
      ? { receiver: options.receiver }
      : {
          signingSecret: options.signingSecret,
          socketMode: true,
          appToken: options.appToken,
          installerOptions: { port: options.port },
          customRoutes,
        }),
    logLevel: LogLevel.WARN,
    // A short, bounded retry in the client; the presenter's feed is the durable retry beyond it.
    clientOptions: {
      ...(options.context.client.slackApiUrl ? { slackApiUrl: options.context.client.slackApiUrl } : {}),
      retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 5000 },
    },
  });
  registerCommands(app, options.context);
  registerActions(app, options.context);
  registerViews(app, options.context);
  registerHome(app, options.context);
  return app;
}
