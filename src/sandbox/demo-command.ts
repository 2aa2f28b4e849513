import { startDemo } from './demo.js';

/** `lifeboat demo`: starts the sandbox, prints one block of text, and stops it all on Ctrl-C. */
export async function demoCommand(options: { readonly port: number }): Promise<number> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    process.stderr.write('lifeboat demo: --port must be a port number (0 for any free port)\n');
    return 2;
  }
  // The bot's JSON log lines would bury the block below; LOG_LEVEL=info brings them back.
  process.env.LOG_LEVEL ??= 'warn';
  // Listening from the start, so a Ctrl-C while the sandbox starts still stops it and cleans up.
  // `on`, not `once`: execa's exit hook re-raises a signal when no other listener is left.
  let signals = 0;
  const stopRequested = new Promise<void>((resolve) => {
    const onSignal = () => {
      signals += 1;
      // A second Ctrl-C while stopping means "now".
      if (signals > 1) process.exit(130);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  let demo;
  try {
    demo = await startDemo({
      port: options.port,
      say: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    process.stderr.write(`lifeboat demo: ${(error as Error).message}\n`);
    return 1;
  }
  if (signals === 0) process.stdout.write(demo.summary);
  await stopRequested;
  process.stdout.write('\nStopping the demo…\n');
  await demo.stop();
  process.stdout.write(`Stopped everything and removed ${demo.dir}.\n`);
  return 0;
}
