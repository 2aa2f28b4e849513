import type { WebClient } from '@slack/web-api';
import { ConfigError } from '../config.js';
import { errorMessage } from '../errors.js';
import type { BotIdentity } from './app.js';

/** Who the token is, asked once at start: a token Slack refuses or an API out of reach is said plainly, not met later. */
export async function botIdentity(client: WebClient): Promise<BotIdentity> {
  try {
    const who = await client.auth.test();
    return {
      ...(who.bot_id ? { botId: who.bot_id } : {}),
      ...(who.user_id ? { botUserId: who.user_id } : {}),
    };
  } catch (error) {
    const refused = (error as { data?: { error?: string } }).data?.error;
    throw new ConfigError(
      refused
        ? `SLACK_BOT_TOKEN: Slack refused it (${refused}); use the app's Bot User OAuth Token (xoxb-…)`
        : `Slack's Web API at ${client.slackApiUrl} did not answer (${errorMessage(error)}): check SLACK_API_URL and the network`,
    );
  }
}
