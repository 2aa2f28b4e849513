import { execa, type ResultPromise } from 'execa';
import { BIN, ROOT } from './cli.js';
import { freePort } from './redis.js';

export type Bot = {
  readonly url: string;
  readonly eventsUrl: string;
  /** The bot's process id: a step's command sees it as its parent. */
  readonly pid: number;
  readonly output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/** The real bot as a separate process (`lifeboat serve`), ready when /readyz says so. */
export async function startBot(env: Record<string, string>): Promise<Bot> {
  const port = await freePort();
  let output = '';
  const child: ResultPromise = execa(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    extendEnv: false,
    reject: false,
    all: true,
  });
  child.all?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  // Generous: several bots start at once on two loaded cores (each loads the whole app, ~3 s of CPU).
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the bot did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    eventsUrl: `${url}/slack/events`,
    pid: child.pid ?? 0,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal);
      await child;
    },
  };
}
