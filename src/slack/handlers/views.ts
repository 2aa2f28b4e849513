import type { App } from '@slack/bolt';
import { validateParams } from '../../domain/params.js';
import { PARAMS_MODAL } from '../blocks/ids.js';
import { submittedParams } from '../blocks/params-modal.js';
import type { SlackContext } from '../context.js';
import { ownText } from '../blocks/text.js';

/** The modal opens as the answer is recorded; a very quick submit waits briefly (well inside Slack's 3 s) for it. */
async function withRunbook(context: SlackContext, incidentId: string) {
  // By the clock, not by counting polls: under load each read is slow, and Slack's 3 s do not wait.
  const until = Date.now() + 1500;
  for (;;) {
    const state = await context.engine.state(incidentId);
    if (state?.runbook || state?.status !== 'triage' || Date.now() >= until) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The parameters modal: every value is checked before the modal closes, and errors sit next to their field. */
export function registerViews(app: App, context: SlackContext): void {
  app.view(PARAMS_MODAL, async ({ ack, view, body }) => {
    let incidentId = '';
    try {
      incidentId = (JSON.parse(view.private_metadata) as { i?: string }).i ?? '';
    } catch {
      // Left empty: answered below as an unknown incident.
    }
    const state = incidentId ? await withRunbook(context, incidentId) : undefined;
    const runbook = state?.runbook;
    const values = submittedParams(view.state.values);
    if (!state || !runbook) {
      await ack({
        response_action: 'errors',
        errors: {
          [Object.keys(view.state.values)[0] ?? 'value']:
            'This incident has moved on; close this and use the latest card.',
        },
      });
      return;
    }
    const checked = validateParams(runbook.params ?? {}, values);
    if ('errors' in checked) {
      const errors: Record<string, string> = {};
      for (const { param, why } of checked.errors) {
        errors[
          Object.hasOwn(runbook.params ?? {}, param) ? param : (Object.keys(runbook.params ?? {})[0] ?? param)
        ] = why.slice(0, 150);
      }
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const actor = await context.access.actor(body.user.id);
    const result = await context.engine.handle(
      incidentId,
      actor,
      { type: 'SetParams', params: values },
      { idempotencyKey: `view:${view.id}:${view.hash}` },
    );
    context.log('info', 'parameters submitted', {
      incident: incidentId,
      user: body.user.id,
      outcome: result.ok ? 'accepted' : result.rejection.code,
    });
    if (!result.ok) {
      await context.client.chat
        .postEphemeral({
          channel: state.channel,
          user: body.user.id,
          text: `⚠️ ${ownText(result.rejection.message)}`,
        })
        .catch(() => undefined);
    }
  });
}
