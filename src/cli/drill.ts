import { drillClustersOf, drillRefusal } from '../domain/drill.js';
import { randomUUID } from 'node:crypto';
import { ConfigError, readConfigFile } from '../config.js';
import { LIFEBOAT } from '../domain/events.js';
import { Engine } from '../engine/engine.js';
import { loadRunbooks } from '../runbooks/load.js';
import { openStore } from './state.js';
import { errorMessage } from '../errors.js';

export type DrillOptions = {
  readonly runbooks: string;
  readonly config?: string;
  /** `name=value` pairs, set right after the declaration so the drill does not wait for the modal. */
  readonly params: readonly string[];
};

const CLI = { id: LIFEBOAT, memberOf: [] };

/**
 * `lifeboat drill <runbook-id>`: appends the drill's declaration to the bot's store; the running bot
 * (its reactors read the feed) posts the DRILL card in the drills channel and takes it from there.
 */
export async function drillCommand(runbookId: string, options: DrillOptions): Promise<number> {
  let config;
  try {
    config = await readConfigFile(options.config);
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : errorMessage(error));
  }
  const library = await loadRunbooks(options.runbooks).catch((error: unknown) => error as Error);
  if (library instanceof Error)
    return fail(`cannot read the runbooks in ${options.runbooks}: ${library.message}`);
  const loaded = library.runbooks.get(runbookId);
  if (!loaded) {
    const known = [...library.runbooks.keys()].sort();
    return fail(
      `there is no runbook "${runbookId}" in ${options.runbooks}. ${known.length > 0 ? `Runbooks: ${known.join(', ')}.` : 'No runbook loaded there; check LIFEBOAT_RUNBOOKS and run `lifeboat lint`.'}`,
    );
  }
  const refusal = drillRefusal(loaded.runbook, drillClustersOf(config.drills));
  if (refusal) return fail(refusal);
  const channel = config.drills.channel ?? config.channels.alerts;
  if (!channel)
    return fail(
      `no channel for drills: set drills.channel (or channels.alerts) in ${options.config ? `LIFEBOAT_CONFIG (${options.config})` : 'a LIFEBOAT_CONFIG file'}, as the bot has it.`,
    );
  const params = parsePairs(options.params);
  if (typeof params === 'string') return fail(params);

  let store;
  try {
    store = openStore();
    const engine = new Engine({ store, library });
    const open = await engine.openIncidentIn(channel);
    if (open)
      return fail(
        `${open.id} is still open in ${channel}; resolve or abort it first (one incident per channel).`,
      );
    const id = engine.newIncidentId('drill', `cli:${randomUUID()}`);
    const declared = await engine.handle(id, CLI, {
      type: 'Declare',
      mode: 'drill',
      summary: `${loaded.runbook.title} (started with lifeboat drill)`,
      channel,
      runbook: { runbook: loaded.runbook, hash: loaded.hash },
    });
    if (!declared.ok) return fail(declared.rejection.message);
    if (Object.keys(params).length > 0) {
      const set = await engine.handle(id, CLI, { type: 'SetParams', params });
      if (!set.ok)
        return fail(
          `${id} was started, but its parameters were refused: ${set.rejection.message} Set them on the card in ${channel}.`,
        );
    }
    process.stdout.write(
      [
        `Started drill ${id} of ${runbookId} in ${channel}.`,
        `Next: the running bot posts the DRILL card there; ${Object.keys(params).length > 0 ? 'run' : 'set the parameters and run'} the steps from the card (destructive steps still need an approver).`,
        `Follow it with \`lifeboat timeline ${id}\`; when it ends, \`lifeboat report ${id}\` prints the report.`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    return fail(errorMessage(error));
  } finally {
    await store?.close();
  }
}

/** `--param name=value` pairs; values are checked by the runbook's own rules when they are set. */
function parsePairs(pairs: readonly string[]): Record<string, string> | string {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) return `--param ${pair}: write it as name=value`;
    values[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return values;
}

function fail(message: string): number {
  process.stderr.write(`lifeboat drill: ${message}\n`);
  return 1;
}
