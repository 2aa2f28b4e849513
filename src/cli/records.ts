import { replay } from '../domain/incident.js';
import { readinessOf, readinessTable } from '../domain/readiness.js';
import { drillReport, reportMarkdown } from '../domain/report.js';
import { loadRunbooks } from '../runbooks/load.js';
import { timelineMarkdown } from '../slack/blocks/timeline.js';
import { openStore } from './state.js';
import { errorMessage } from '../errors.js';

/** Opens the bot's store for one command; a store that cannot be reached is one line, not a stack trace. */
async function withStore(work: (store: ReturnType<typeof openStore>) => Promise<number>): Promise<number> {
  let store;
  try {
    store = openStore();
    return await work(store);
  } catch (error) {
    return fail(errorMessage(error));
  } finally {
    await store?.close();
  }
}

/** `lifeboat timeline <id>`: the timeline as Markdown, for the postmortem. */
export async function timelineCommand(id: string): Promise<number> {
  return withStore(async (store) => {
    const events = (await store.read(id)).events;
    const state = replay(id, events);
    if (!state) return fail(`no incident ${id}`);
    process.stdout.write(timelineMarkdown(state, events));
    return 0;
  });
}

/** `lifeboat report <id>`: the drill (or incident) report as Markdown. */
export async function reportCommand(id: string): Promise<number> {
  return withStore(async (store) => {
    const events = (await store.read(id)).events;
    const state = replay(id, events);
    const report = state ? drillReport(state, events) : undefined;
    if (!state || !report) return fail(`no incident ${id} with a runbook`);
    process.stdout.write(reportMarkdown(report, state.runbook?.title ?? state.summary));
    return 0;
  });
}

/** `lifeboat readiness`: every runbook's last successful drill; exit 1 when one is overdue (for the runbook repo's CI). */
export async function readinessCommand(dir: string, format: string): Promise<number> {
  const library = await loadRunbooks(dir);
  return withStore(async (store) => {
    const rows = readinessOf(
      [...library.runbooks.values()].map((r) => ({ id: r.runbook.id, title: r.runbook.title })),
      await store.drillRecords(),
      Date.now(),
    );
    process.stdout.write(
      format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : `${readinessTable(rows)}\n`,
    );
    return rows.some((r) => r.overdue) ? 1 : 0;
  });
}

function fail(message: string): number {
  process.stderr.write(`lifeboat: ${message}\n`);
  return 1;
}
