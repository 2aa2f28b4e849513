import { App, LogLevel, type Receiver } from '@slack/bolt';
import { registerActions } from './handlers/actions.js';
import { registerCommands } from './handlers/commands.js';
import { registerHome } from './handlers/home.js';
import { registerViews } from './handlers/views.js';
import type { SlackContext } from './context.js';

/** The bot's ids from auth.test at start; Bolt then does not ask Slack again. */
export type BotIdentity = { readonly botId?: string; readonly botUserId?: string };

export type SlackAppOptions = {
  readonly token: string;
  /** Socket Mode; otherwise requests come from `receiver`. */
  readonly appToken?: string;
  readonly receiver?: Receiver;
  readonly identity: BotIdentity;
  readonly context: SlackContext;
};

/** The Bolt app: in HTTP mode it takes requests from the front server through `receiver`, in Socket Mode over Slack's WebSocket. */
export function createSlackApp(options: SlackAppOptions): App {
  const app = new App({
    token: options.token,
    ...options.identity,
    tokenVerificationEnabled: false,
    ...(options.receiver ? { receiver: options.receiver } : { socketMode: true, appToken: options.appToken }),
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
