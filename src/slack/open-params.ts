import type { ChoiceList } from '../domain/choices.js';
import type { IncidentState } from '../domain/incident.js';
import type { ParamSpec } from '../domain/runbook.js';
import { paramsModal, paramsWithChoices, type ListedChoices } from './blocks/params-modal.js';
import type { SlackContext } from './context.js';
import { errorMessage } from '../errors.js';

/** Lists the values a param may take (its `choicesFrom` action), for an incident. */
export type ChoiceLister = (state: IncidentState, name: string, spec: ParamSpec) => Promise<ChoiceList>;

/**
 * Opens the params modal at once with what is known (the trigger expires 3 s after the click), then
 * lists the choices of params that have them and updates the modal in place with selects.
 */
export async function openParamsModal(
  context: SlackContext,
  triggerId: string,
  state: IncidentState,
): Promise<void> {
  const listing = context.listChoices ? paramsWithChoices(state) : [];
  const pending: ListedChoices = Object.fromEntries(listing.map(([name]) => [name, { status: 'listing' }]));
  const opened = await context.client.views.open({
    trigger_id: triggerId,
    view: paramsModal(state, pending),
  });
  const view = opened.view;
  if (listing.length === 0 || !view?.id || !context.listChoices) return;
  const lister = context.listChoices;
  const update = (listed: ListedChoices) =>
    context.client.views
      .update({
        view_id: view.id ?? '',
        ...(view.hash ? { hash: view.hash } : {}),
        view: paramsModal(state, listed),
      })
      // Closed or submitted meanwhile: the person no longer needs the choices.
      .catch((error: unknown) =>
        context.log('info', 'params modal not updated with choices', { error: errorMessage(error) }),
      );
  const queued = context.followUps.add(`modal:${view.id}`, async () => {
    const lists = await Promise.all(
      listing.map(async ([name, spec]): Promise<[string, ChoiceList]> => [
        name,
        await lister(state, name, spec).catch((error: unknown): ChoiceList => ({
          status: 'failed',
          error: errorMessage(error),
        })),
      ]),
    );
    await update(Object.fromEntries(lists));
  });
  if (!queued)
    await update(
      Object.fromEntries(listing.map(([name]) => [name, { status: 'failed', error: 'Lifeboat is busy' }])),
    );
}
