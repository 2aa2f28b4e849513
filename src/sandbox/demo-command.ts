import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onPath } from '../actions/on-path.js';
import { startDemo } from './demo.js';
import { errorMessage } from '../errors.js';

/** `lifeboat demo`: starts the sandbox, prints one block of text, and stops it all on Ctrl-C. */
export async function demoCommand(options: { readonly port: number }): Promise<number> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    process.stderr.write('lifeboat demo: --port must be a port number (0 for any free port)\n');
    return 2;
  }
  // The shipped etcd restore needs etcd 3.5 tools (etcdutl); take the ones `npm run test:fresh` unpacked when the machine has none.
  const etcd35 = process.env.LIFEBOAT_ETCD35_BIN ?? path.join(os.homedir(), '.local/lifeboat-etcd35/usr/bin');
  if (!(await onPath('etcdutl')) && existsSync(path.join(etcd35, 'etcdutl')))
    process.env.PATH = `${etcd35}${path.delimiter}${process.env.PATH ?? ''}`;
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
    process.stderr.write(`lifeboat demo: ${errorMessage(error)}\n`);
    return 1;
  }
  if (signals === 0) process.stdout.write(demo.summary);
  await stopRequested;
  process.stdout.write('\nStopping the demo…\n');
  await demo.stop();
  process.stdout.write(`Stopped everything and removed ${demo.dir}.\n`);
  return 0;
}
