import { App, HTTPReceiver, LogLevel, type CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { registerActions } from './handlers/actions.js';
import { registerCommands } from './handlers/commands.js';
import { registerHome } from './handlers/home.js';
import { registerViews } from './handlers/views.js';
import { frontDoor } from './front-door.js';
import type { SlackContext } from './context.js';

export type Health = { readonly ok: boolean; readonly checks: Readonly<Record<string, string>> };

export type SlackAppOptions = {
  readonly token: string;
  readonly signingSecret: string;
  readonly appToken?: string;
  readonly port: number;
  readonly context: SlackContext;
  readonly readiness: () => Promise<Health>;
  readonly metrics: () => Promise<{ contentType: string; body: string }>;
  readonly onRequest?: (path: string, ms: number) => void;
};

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType });
  res.end(body);
}

/** The Bolt app: HTTP mode (any number of replicas behind a Service) or Socket Mode when an app token is set. */
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
    ...(options.appToken
      ? {
          signingSecret: options.signingSecret,
          socketMode: true,
          appToken: options.appToken,
          installerOptions: { port: options.port },
          customRoutes,
        }
      : { receiver: httpReceiver(options, customRoutes) }),
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

/** Bolt's HTTP receiver behind our front door, which turns away signed bodies Slack would never send. */
function httpReceiver(options: SlackAppOptions, customRoutes: CustomRoute[]): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    // The front door checks every request's signature before Bolt sees it; once is enough.
    signatureVerification: false,
    customRoutes,
    logLevel: LogLevel.WARN,
  });
  receiver.requestListener = frontDoor(receiver.requestListener, {
    signingSecret: options.signingSecret,
    command: options.context.command,
    warn: (message) => options.context.log('warn', message),
  });
  return receiver;
}
