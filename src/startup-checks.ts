import { drillClustersOf, drillRefusal } from './domain/drill.js';
import type { LifeboatConfig } from './domain/config.js';
import type { Log } from './log.js';
import type { RunbookLibrary } from './runbooks/load.js';
import type { Health } from './slack/front-server.js';

/** Says at start what lint found in the runbooks and which scheduled drills will never start. */
export function logStartupFindings(library: RunbookLibrary, config: LifeboatConfig, log: Log): void {
  for (const finding of library.findings)
    log(finding.severity === 'error' ? 'error' : 'warn', `runbook ${finding.severity}: ${finding.message}`, {
      file: finding.file,
      line: finding.line,
    });
  for (const schedule of config.drills.schedule) {
    const loaded = library.runbooks.get(schedule.runbook);
    const refusal = loaded
      ? drillRefusal(loaded.runbook, drillClustersOf(config.drills))
      : `runbook ${schedule.runbook} is not loaded`;
    if (refusal) log('warn', `scheduled drill of ${schedule.runbook} will not start: ${refusal}`);
  }
}

/** /readyz: the store answers and at least one runbook is loaded (naming those lint refused). */
export async function readiness(
  storeAnswers: () => Promise<boolean>,
  library: RunbookLibrary,
): Promise<Health> {
  const storeOk = await storeAnswers();
  const runbooksOk = library.runbooks.size > 0;
  return {
    ok: storeOk && runbooksOk,
    checks: {
      store: storeOk ? 'ok' : 'state store unreachable',
      runbooks: `${runbooksOk ? `${library.runbooks.size} loaded` : 'no runbooks loaded'}${library.refused.size > 0 ? `; not loaded (lint errors): ${[...library.refused.keys()].join(', ')}` : ''}`,
    },
  };
}
