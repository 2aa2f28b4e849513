import { formatFinding } from '../runbooks/finding.js';
import { loadRunbooks } from '../runbooks/load.js';

/** `lifeboat lint`: 0 when clean (warnings allowed), 1 on any error, 2 when the folder cannot be read. */
export async function lintCommand(dir: string, format: string): Promise<number> {
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`lifeboat lint: unknown --format "${format}"; use text or json\n`);
    return 2;
  }
  let library;
  try {
    library = await loadRunbooks(dir);
  } catch (error) {
    process.stderr.write(`lifeboat lint: cannot read ${dir}: ${(error as Error).message}\n`);
    return 2;
  }
  const { findings } = library;
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ ok: library.ok, errors, warnings, findings }, null, 2)}\n`);
  } else {
    for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
    const summary = `${library.runbooks.size} runbooks, ${library.trees.size} decision trees: ${errors} errors, ${warnings} warnings`;
    process.stdout.write(`${errors > 0 ? '✗' : '✓'} ${summary}\n`);
  }
  return errors > 0 ? 1 : 0;
}
