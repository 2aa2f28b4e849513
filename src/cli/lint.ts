import { readConfigFile } from '../config.js';
import type { LifeboatConfig } from '../domain/config.js';
import { drillClustersOf, drillRefusal } from '../domain/drill.js';
import { formatFinding, type Finding } from '../runbooks/finding.js';
import { loadRunbooks, type RunbookLibrary } from '../runbooks/load.js';
import { errorMessage } from '../errors.js';

/** `lifeboat lint`: 0 when clean (warnings allowed), 1 on any error, 2 when the folder cannot be read. */
export async function lintCommand(dir: string, format: string, configFile?: string): Promise<number> {
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`lifeboat lint: unknown --format "${format}"; use text or json\n`);
    return 2;
  }
  let library;
  try {
    library = await loadRunbooks(dir);
  } catch (error) {
    process.stderr.write(`lifeboat lint: cannot read ${dir}: ${errorMessage(error)}\n`);
    return 2;
  }
  let findings = library.findings;
  if (configFile) {
    try {
      findings = [...findings, ...scheduleFindings(library, configFile, await readConfigFile(configFile))];
    } catch (error) {
      process.stderr.write(`lifeboat lint: ${errorMessage(error)}\n`);
      return 2;
    }
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ ok: library.ok, errors, warnings, findings }, null, 2)}\n`);
  } else {
    for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
    const summary = `${library.runbooks.size + library.refused.size} runbooks, ${library.trees.size} decision trees: ${errors} errors, ${warnings} warnings`;
    process.stdout.write(`${errors > 0 ? '✗' : '✓'} ${summary}\n`);
  }
  return errors > 0 ? 1 : 0;
}

/** A scheduled drill that would be refused at its hour is better found now: a warning per schedule. */
function scheduleFindings(library: RunbookLibrary, file: string, config: LifeboatConfig): Finding[] {
  return config.drills.schedule.flatMap((schedule): Finding[] => {
    const runbook = library.runbooks.get(schedule.runbook)?.runbook;
    const refusal = runbook
      ? drillRefusal(runbook, drillClustersOf(config.drills))
      : `there is no runbook ${schedule.runbook} that loads`;
    return refusal
      ? [
          {
            file,
            line: 1,
            col: 1,
            severity: 'warning',
            message: `the scheduled drill of ${schedule.runbook} (${schedule.cron}) will not start: ${refusal}`,
            hint: 'map every cluster the runbook names under drills.clusters, or remove the schedule',
          },
        ]
      : [];
  });
}
