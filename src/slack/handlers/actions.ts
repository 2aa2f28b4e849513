import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Command, LoadedRunbookRef } from '../../domain/commands.js';
import { isMember } from '../../domain/verdict.js';
import { ACTION, decodeValue, type ButtonValue } from '../blocks/ids.js';
import { refusalText, type SlackContext } from '../context.js';
import { ownText } from '../blocks/text.js';
import { openParamsModal } from '../open-params.js';
import { RecentClicks } from '../recent-clicks.js';
import { OVERLOADED, unavailable } from './commands.js';
import { errorMessage } from '../../errors.js';

/** A double click or a Slack retry of the same click within this window is answered once. */
const DOUBLE_CLICK_MS = 3000;

/**
 * Buttons: ack at once, open a modal if one is due (its trigger lasts 3 s), then queue the engine
 * command behind the incident's earlier clicks, so acks of new requests get the event loop first.
 */
export function registerActions(app: App, context: SlackContext): void {
  const recent = new RecentClicks(DOUBLE_CLICK_MS);
  app.action<BlockAction<ButtonAction>>(/^lb\./, async ({ ack, body, action }) => {
    await ack();
    const user = body.user.id;
    const container = body.container as { channel_id?: string; message_ts?: string };
    const channel = body.channel?.id ?? container.channel_id ?? '';
    const key = `${container.message_ts ?? ''}:${action.action_id}:${action.value ?? ''}:${user}`;
    if (recent.repeat(key)) return;
    const tell = (text: string) =>
      context.client.chat.postEphemeral({ channel, user, text }).catch(() => undefined);
    const failed = async (error: unknown, incident?: string) => {
      recent.forget(key);
      context.log('error', 'button failed', {
        incident,
        action: action.action_id,
        error: errorMessage(error),
      });
      await tell(`⚠️ ${unavailable(error)}`);
    };
    const value = decodeValue(action.value ?? '');
    if (!value) {
      context.log('warn', 'unreadable button value', { action: action.action_id });
      return void (await tell('⚠️ This button is not one I can read; use the latest incident card.'));
    }
    let command: Command | undefined;
    try {
      const modal = await openModalIfDue(context, action.action_id, value, user, body.trigger_id);
      if (modal.done) return void (modal.refusal && (await tell(modal.refusal)));
      // Set parameters, pressed by an outsider, is the SetParams the engine refuses and writes down.
      command =
        action.action_id === ACTION.params
          ? { type: 'SetParams', params: {} }
          : commandFor(action.action_id, value, modal.runbook);
    } catch (error) {
      return void (await failed(error, value.i));
    }
    if (!command)
      return void context.log('warn', 'unknown button', { incident: value.i, action: action.action_id });
    const decided = command;
    const queued = context.followUps.add(channel || value.i, async (nextInLane) => {
      try {
        const refusal = await decide(context, value.i, user, decided, key);
        // The engine has decided: the incident's next click may go while this one's reply is sent.
        nextInLane();
        if (refusal) await tell(refusal);
      } catch (error) {
        nextInLane();
        await failed(error, value.i);
      }
    });
    if (!queued) {
      recent.forget(key);
      context.log('warn', 'click refused: follow-up queue full', { action: action.action_id });
      await tell(OVERLOADED);
    }
  });
}

/** What a click asks for, as an engine command; undefined when the click needs no command (it only opened a modal). */
function commandFor(actionId: string, value: ButtonValue, runbook?: LoadedRunbookRef): Command | undefined {
  const [, verb, suffix] = actionId.split('.');
  const step = value.s ?? '';
  switch (`lb.${verb ?? ''}`) {
    case ACTION.answer:
      return { type: 'Answer', node: value.n ?? '', option: value.o ?? -1, ...(runbook ? { runbook } : {}) };
    case ACTION.back:
      return { type: 'Back' };
    case ACTION.request:
      return suffix === 'run' || suffix === 'skip' || suffix === 'rollback' || suffix === 'override'
        ? { type: 'Request', step, gate: suffix }
        : undefined;
    case ACTION.approve:
      return value.g ? { type: 'Approve', step, gate: value.g, binding: value.b ?? '' } : undefined;
    case ACTION.deny:
      return value.g ? { type: 'Deny', step, gate: value.g, reason: 'denied in Slack' } : undefined;
    case ACTION.confirm:
      return { type: 'ConfirmManual', step, attempt: value.a ?? 0, note: '' };
    case ACTION.abort:
      return { type: 'Abort', reason: 'aborted from the incident card' };
    case ACTION.resolve:
      return { type: 'Resolve' };
    default:
      return undefined;
  }
}

/**
 * The params modal opens before the engine is asked: Slack's trigger id expires 3 s after the click.
 * `done` when the click only opened it; `runbook` when an answer leads to one.
 */
async function openModalIfDue(
  context: SlackContext,
  actionId: string,
  value: ButtonValue,
  user: string,
  triggerId: string,
): Promise<{ done: boolean; refusal?: string; runbook?: LoadedRunbookRef }> {
  const { engine } = context;
  const opensModal = actionId === ACTION.params || actionId.startsWith(`${ACTION.answer}.`);
  // No modal for someone the engine will refuse: their click goes to the engine, which writes the refusal down.
  if (opensModal && !isMember(await context.access.actor(user), ['responders'])) return { done: false };
  if (actionId === ACTION.params) {
    const state = await engine.state(value.i);
    if (!state) return { done: true, refusal: 'This incident no longer exists.' };
    if (state.runbook) await openParamsModal(context, triggerId, state);
    return { done: true };
  }
  if (!actionId.startsWith(`${ACTION.answer}.`) || value.o === undefined) return { done: false };
  // The tree never changes during an incident, so the copy last seen here says where an answer leads.
  const seen = engine.lastSeenState(value.i);
  const read = seen ? undefined : await engine.state(value.i);
  const leadsTo = (seen ?? read)?.tree?.nodes[value.n ?? '']?.options[value.o]?.runbook;
  const runbook = leadsTo ? engine.runbook(leadsTo) : undefined;
  if (!runbook) return { done: false };
  // Whether the question is still open needs the latest state; a read made just now is that.
  const state = read ?? (await engine.state(value.i));
  if (state && state.node === value.n)
    await openParamsModal(context, triggerId, { ...state, runbook: runbook.runbook, params: {} });
  return { done: false, runbook };
}

/** The engine's answer to a click: undefined when accepted, else the refusal to show the person. */
async function decide(
  context: SlackContext,
  incidentId: string,
  user: string,
  command: Command,
  key: string,
): Promise<string | undefined> {
  const actor = await context.access.actor(user);
  const result = await context.engine.handle(incidentId, actor, command, { idempotencyKey: key });
  const step = 'step' in command ? command.step : undefined;
  context.log('info', `button ${command.type}`, {
    incident: incidentId,
    ...(step ? { step } : {}),
    user,
    outcome: result.ok ? 'accepted' : result.rejection.code,
  });
  if (result.ok) return undefined;
  const askWho = result.rejection.code === 'not-an-approver' || result.rejection.code === 'self-approval';
  const hint = askWho ? ` Ask an approver: ${context.access.approvers()}.` : '';
  return refusalText(`${ownText(result.rejection.message)}${hint}`, result.rejection.code);
}
