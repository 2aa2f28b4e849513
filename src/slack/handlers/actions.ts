import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Command } from '../../domain/commands.js';
import { isMember } from '../../domain/verdict.js';
import { ACTION, decodeValue, type ButtonValue } from '../blocks/ids.js';
import { paramsModal } from '../blocks/params-modal.js';
import { refusalText, type SlackContext } from '../context.js';
import { unavailable } from './commands.js';

/** Buttons: ack at once, open a modal first if one is due (its trigger lasts 3 s), then hand the command to the engine. */
export function registerActions(app: App, context: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(/^lb\./, async ({ ack, body, action }) => {
    await ack();
    const user = body.user.id;
    const container = body.container as { channel_id?: string; message_ts?: string };
    const channel = body.channel?.id ?? container.channel_id ?? '';
    const tell = (text: string) =>
      context.client.chat.postEphemeral({ channel, user, text }).catch(() => undefined);
    const value = decodeValue(action.value ?? '');
    if (!value) {
      context.log('warn', 'unreadable button value', { action: action.action_id });
      return void (await tell('⚠️ This button is not one I can read; use the latest incident card.'));
    }
    try {
      const refusal = await click(
        context,
        action.action_id,
        value,
        user,
        body.trigger_id,
        `${container.message_ts ?? ''}:${action.action_id}:${action.value ?? ''}:${user}`,
      );
      if (refusal) await tell(refusal);
    } catch (error) {
      context.log('error', 'button failed', {
        incident: value.i,
        ...(value.s ? { step: value.s } : {}),
        action: action.action_id,
        error: (error as Error).message,
      });
      await tell(`⚠️ ${unavailable(error)}`);
    }
  });
}

/** What a click asks for, as an engine command; undefined when the click needs no command (it only opened a modal). */
function commandFor(actionId: string, value: ButtonValue): Command | undefined {
  const [, verb, suffix] = actionId.split('.');
  const step = value.s ?? '';
  switch (`lb.${verb ?? ''}`) {
    case ACTION.answer:
      return { type: 'Answer', node: value.n ?? '', option: value.o ?? -1 };
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

async function click(
  context: SlackContext,
  actionId: string,
  value: ButtonValue,
  user: string,
  triggerId: string,
  key: string,
): Promise<string | undefined> {
  const { engine } = context;
  const actor = await context.access.actor(user);
  // No modal for someone the engine will refuse: their click goes to the engine, which writes the refusal down.
  const opensModal =
    isMember(actor, ['responders']) &&
    (actionId === ACTION.params || actionId.startsWith(`${ACTION.answer}.`));
  // One read serves both the modal and the runbook an answer leads to.
  const state = opensModal ? await engine.state(value.i) : undefined;
  const option =
    state?.node === value.n && value.o !== undefined
      ? state?.tree?.nodes[state.node ?? '']?.options[value.o]
      : undefined;
  const runbook = option?.runbook ? engine.runbook(option.runbook) : undefined;
  if (opensModal) {
    // The modal opens before the engine is asked: Slack's trigger id expires 3 s after the click.
    if (state && actionId === ACTION.params && state.runbook)
      await context.client.views.open({ trigger_id: triggerId, view: paramsModal(state) });
    if (state && runbook)
      await context.client.views.open({
        trigger_id: triggerId,
        view: paramsModal({ ...state, runbook: runbook.runbook, params: {} }),
      });
    if (actionId === ACTION.params) return state ? undefined : 'This incident no longer exists.';
  }
  // Set parameters, pressed by an outsider, is the SetParams the engine refuses them.
  const command =
    actionId === ACTION.params ? { type: 'SetParams' as const, params: {} } : commandFor(actionId, value);
  if (!command) {
    context.log('warn', 'unknown button', { incident: value.i, action: actionId });
    return undefined;
  }
  const result = await engine.handle(
    value.i,
    actor,
    command.type === 'Answer' && runbook ? { ...command, runbook } : command,
    key,
  );
  context.log('info', `button ${command.type}`, {
    incident: value.i,
    ...(value.s ? { step: value.s } : {}),
    action: actionId,
    user,
    outcome: result.ok ? 'accepted' : result.rejection.code,
  });
  if (result.ok) return undefined;
  const askWho = result.rejection.code === 'not-an-approver' || result.rejection.code === 'self-approval';
  const hint = askWho ? ` Ask an approver: ${context.access.approvers()}.` : '';
  return refusalText(`${result.rejection.message}${hint}`, result.rejection.code);
}
