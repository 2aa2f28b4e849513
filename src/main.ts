import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ConfigError, readEnv } from './config.js';
import { startBot, type BotOptions } from './bot.js';
import { createLog } from './log.js';
import { DirectReceiver } from './slack/direct-receiver.js';
import { EVENTS_PATH, frontServer } from './slack/front-server.js';

export type Running = { readonly port: number; stop(): Promise<void> };

/**
 * `lifeboat serve`: the bot, and in HTTP mode our front server in front of Bolt (Socket Mode
 * needs no server but the health routes Bolt's Socket Mode receiver serves).
 */
export async function serve(
  environment: Readonly<Record<string, string | undefined>> = process.env,
  options: BotOptions = {},
): Promise<Running> {
  const env = readEnv(environment);
  if (env.SLACK_APP_TOKEN) {
    const bot = await startBot(environment, options);
    return { port: env.PORT, stop: () => bot.stop() };
  }
  const receiver = new DirectReceiver();
  const bot = await startBot(environment, options, receiver);
  const { log } = createLog();
  const server = frontServer({
    signingSecret: env.SLACK_SIGNING_SECRET,
    command: env.LIFEBOAT_COMMAND,
    warn: (message) => log('warn', message),
    bot: {
      deliver: (delivery) => receiver.deliver(delivery),
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
  log('info', `Lifeboat is listening on port ${port} (HTTP: POST ${EVENTS_PATH})`);
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
