import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ConfigError, readEnv } from './config.js';
import { startBot, type BotOptions } from './bot.js';
import { DirectReceiver } from './slack/direct-receiver.js';
import { EVENTS_PATH, frontServer, type Delivery } from './slack/front-server.js';

export type Running = { readonly port: number; stop(): Promise<void> };

/**
 * `lifeboat serve`: the bot behind our HTTP server, which serves the health routes and metrics in
 * both modes and, in HTTP mode, takes Slack's requests to Bolt (Socket Mode takes them over a WebSocket).
 */
export async function serve(
  environment: Readonly<Record<string, string | undefined>> = process.env,
  options: BotOptions = {},
): Promise<Running> {
  const env = readEnv(environment);
  const receiver = env.SLACK_APP_TOKEN ? undefined : new DirectReceiver();
  const bot = await startBot(env, { ...options, ...(receiver ? { receiver } : {}) });
  const { log } = bot;
  const server = frontServer({
    signingSecret: env.SLACK_SIGNING_SECRET,
    command: env.LIFEBOAT_COMMAND,
    warn: (message) => log('warn', message),
    bot: {
      ...(receiver ? { deliver: (delivery: Delivery) => receiver.deliver(delivery) } : {}),
      readiness: bot.readiness,
      metrics: bot.metrics,
    },
  });
  server.listen(env.PORT, env.HOST);
  // once() rejects with the server's error if it fails to listen.
  await once(server, 'listening').catch(async (error: NodeJS.ErrnoException) => {
    await bot.stop();
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    const where = `PORT ${env.PORT}${env.HOST ? ` on ${env.HOST}` : ''}`;
    const why =
      error.code === 'EADDRINUSE' ? 'is in use by another process' : 'needs privileges Lifeboat lacks';
    throw new ConfigError(`${where} ${why}: set PORT to a free port above 1023`);
  });
  const port = (server.address() as AddressInfo).port;
  const slack = receiver ? `Slack: POST ${EVENTS_PATH}` : 'Slack: Socket Mode';
  log('info', `Lifeboat is listening on port ${port} (${slack}; /healthz, /readyz, /metrics)`);
  return {
    port,
    stop: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await bot.stop();
      server.closeAllConnections();
      await closed;
    },
  };
}
