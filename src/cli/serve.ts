import { ConfigError } from '../config.js';
import { serve } from '../main.js';

/** `lifeboat serve`: runs until SIGTERM or SIGINT, then stops taking work and finishes what runs. */
export async function serveCommand(): Promise<number> {
  let running;
  try {
    running = await serve();
  } catch (error) {
    process.stderr.write(
      `lifeboat serve: ${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`,
    );
    return 1;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await running.stop();
  return 0;
}
