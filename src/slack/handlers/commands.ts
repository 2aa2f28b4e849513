import { drillRefusal } from '../../domain/drill.js';
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { DrillRecord } from '../../domain/readiness.js';
import { exposure } from '../../domain/backups.js';
import { errorCode, errorMessage } from '../../errors.js';
import { timelineMarkdown } from '../blocks/timeline.js';
import { incidentCard } from '../blocks/card.js';
import { NO_RUNBOOKS, readinessHint, readinessLines, refusedLines } from '../blocks/readiness.js';
import { parseCommand, usage } from '../command-text.js';
import { refusalText, type SlackContext } from '../context.js';
import { entities, inert, inlineCode, ownText } from '../blocks/text.js';

/** `/dr …`: validate, ack at once, then hand a command to the engine and answer only the person who asked. */
export function registerCommands(app: App, context: SlackContext): void {
  app.command(context.command, async ({ command, ack, respond }) => {
    const parsed = parseCommand(context.command, command.text);
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: parsed.message });
      return;
    }
    await ack();
    // In the channel's lane, behind its earlier commands and clicks: notes reach the timeline in the order sent.
    const queued = context.followUps.add(command.channel_id, async () => {
      try {
        await run(context, command, parsed.verb, parsed.rest, respond);
      } catch (error) {
        context.log('error', 'slash command failed', { verb: parsed.verb, error: errorMessage(error) });
        await respond({ response_type: 'ephemeral', text: `⚠️ ${unavailable(error)}` });
      }
    });
    if (!queued) {
      context.log('warn', 'command refused: follow-up queue full', { verb: parsed.verb });
      await respond({ response_type: 'ephemeral', text: OVERLOADED });
    }
  });
}

export const OVERLOADED =
  '⚠️ Lifeboat has too much to do right now, so nothing was changed. Try again in a few seconds.';

/** Every runbook with its readiness: last successful drill, measured RTO, and a warning when overdue. */
function runbooksText(context: SlackContext, drills: readonly DrillRecord[]): string {
  const runbooks = context.engine.runbooks();
  const refused = refusedLines(context.engine.refusedRunbooks());
  if (runbooks.length === 0 && refused.length === 0) return NO_RUNBOOKS;
  const lines = [...readinessLines(runbooks, drills, context.engine.now()), ...refused];
  return `*Runbooks*\n${lines.join('\n')}\n${readinessHint(context.command)}`;
}

/** Redis down or slow: say so and what to do, rather than hanging or going silent. */
export function unavailable(error: unknown): string {
  switch (errorCode(error)) {
    // A timed-out write may still land when the store wakes up; a refused connection never ran it.
    case 'store-timeout':
      return 'The state store did not answer in time. What you asked may still go through when it recovers: check the card in a few seconds before trying again (a repeated click is never applied twice).';
    case 'store-unavailable':
      return 'The state store is unavailable right now, so nothing was changed. Try again in a few seconds.';
    default:
      return `Something went wrong and nothing was changed: ${entities([...errorMessage(error)].slice(0, 200).join(''))}`;
  }
}

async function run(
  context: SlackContext,
  command: SlashCommand,
  verb: string,
  rest: string,
  respond: RespondFn,
): Promise<void> {
  const { engine, access } = context;
  const say = (text: string) => respond({ response_type: 'ephemeral', text });
  const actor = await access.actor(command.user_id);
  const open = await engine.openIncidentIn(command.channel_id);
  const needOpen = async (): Promise<string | undefined> => {
    if (open) return open.id;
    await say(
      `No incident is open in this channel. Declare one with \`${context.command} declare &lt;summary&gt;\`.`,
    );
    return undefined;
  };
  const act = async (id: string, cmd: Parameters<typeof engine.handle>[2]) => {
    const result = await engine.handle(id, actor, cmd, { idempotencyKey: `cmd:${command.trigger_id}` });
    context.log('info', `${context.command} ${verb}`, {
      incident: id,
      user: command.user_id,
      outcome: result.ok ? 'accepted' : result.rejection.code,
    });
    if (!result.ok) await say(refusalText(ownText(result.rejection.message), result.rejection.code));
    return result.ok;
  };
  // What an incident holds (its summary, timeline, evidence) is for its responders, as every other verb is.
  const responderOnly = async (): Promise<boolean> => {
    if (actor.memberOf.includes('responders')) return true;
    await say(
      'Only responders may see this. Ask an incident responder, or an admin to add you to the responders list.',
    );
    return false;
  };
  switch (verb) {
    case 'declare':
    case 'drill': {
      if (open)
        return void (await say(
          `Incident ${open.id} is already open here (${inert(open.summary)}). Resolve or abort it first, or use another channel.`,
        ));
      if (verb === 'declare') {
        const id = engine.newIncidentId('incident', command.trigger_id);
        await act(id, {
          type: 'Declare',
          mode: 'incident',
          summary: rest,
          channel: command.channel_id,
          ...(engine.tree ? { tree: engine.tree } : {}),
        });
        return;
      }
      const runbook = engine.runbook(rest);
      const refused = engine.refusedRunbooks().get(rest);
      if (refused) return void (await say(refusedLines(new Map([[rest, refused]])).join('\n')));
      if (!runbook)
        return void (await say(
          `There is no runbook ${inlineCode([...rest].slice(0, 80).join(''))}. Runbooks: ${engine
            .runbooks()
            .map((r) => inlineCode(r.id))
            .join(', ')}.`,
        ));
      const refusal = drillRefusal(runbook.runbook, context.drillClusters ?? {});
      if (refusal) return void (await say(refusal));
      const id = engine.newIncidentId('drill', command.trigger_id);
      await act(id, {
        type: 'Declare',
        mode: 'drill',
        summary: runbook.runbook.title,
        channel: command.channel_id,
        runbook,
      });
      return;
    }
    case 'status':
      if (!(await responderOnly())) return;
      if (!open)
        return void (await say(
          `No incident is open in this channel. \`${context.command} declare &lt;summary&gt;\` starts one.`,
        ));
      await respond({
        response_type: 'ephemeral',
        text: `${open.id}: ${inert(open.summary)}`,
        blocks: incidentCard(open, {
          now: engine.now(),
          ...(context.drillClusters ? { drillClusters: context.drillClusters } : {}),
        }),
      });
      return;
    case 'runbooks':
      await say(runbooksText(context, await engine.drillRecords()));
      return;
    case 'backups':
      await say(entities(exposure(await engine.backupStates())));
      return;
    case 'note': {
      const id = await needOpen();
      if (id && (await act(id, { type: 'AddNote', text: rest }))) await say('📝 Noted in the timeline.');
      return;
    }
    case 'timeline': {
      if (!(await responderOnly())) return;
      const id = await needOpen();
      if (!id || !open) return;
      const markdown = timelineMarkdown(open, await engine.events(id));
      const card = await engine.cardOf(id);
      const file = {
        channel_id: command.channel_id,
        filename: `${id}-timeline.md`,
        content: markdown,
        title: `Timeline of ${id}`,
      };
      await context.client.files.uploadV2(card ? { ...file, thread_ts: card } : file);
      return;
    }
    case 'resolve': {
      const id = await needOpen();
      if (id) await act(id, { type: 'Resolve' });
      return;
    }
    case 'abort': {
      const id = await needOpen();
      if (id) await act(id, { type: 'Abort', reason: rest || 'aborted from Slack' });
      return;
    }
    default:
      await say(usage(context.command));
  }
}
