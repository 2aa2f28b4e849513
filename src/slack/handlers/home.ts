import type { App } from '@slack/bolt';
import type { IncidentState } from '../../domain/incident.js';
import { homeView } from '../blocks/home.js';
import { refusedLines } from '../blocks/readiness.js';
import type { SlackContext } from '../context.js';
import { errorMessage } from '../../errors.js';

/** More open incidents than this is a bad day already; the tab shows the first ones and stays quick. */
const MOST_OPEN = 40;

/** The App Home tab, built afresh each time someone opens it: open incidents and runbook readiness. */
export function registerHome(app: App, context: SlackContext): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    try {
      const { engine } = context;
      // Open incidents' summaries are for responders; anyone else sees readiness only.
      const responder = (await context.access.actor(event.user)).memberOf.includes('responders');
      const ids = responder ? (await engine.openIncidents()).slice(0, MOST_OPEN) : [];
      const open = (await Promise.all(ids.map((id) => engine.state(id)))).filter(
        (state): state is IncidentState => state !== undefined,
      );
      const view = homeView({
        runbooks: engine.runbooks(),
        refused: refusedLines(engine.refusedRunbooks()),
        drills: await engine.drillRecords(),
        open,
        now: engine.now(),
        command: context.command,
      });
      await context.client.views.publish({ user_id: event.user, view });
    } catch (error) {
      context.log('warn', 'the Home tab could not be published', {
        user: event.user,
        error: errorMessage(error),
      });
    }
  });
}
