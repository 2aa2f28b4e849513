import type { Restore } from './objects.js';
import { grouped, ledgerOf, messagesOf, renderLedger, RestoredList, RestoreResults } from './results.js';
import { allowedBy } from './warning-match.js';

export type Verdict = { readonly result: Record<string, unknown>; readonly problem?: string };

/**
 * A Restore judged by what it did, not by its phase: `Completed` says nothing of warnings such as
 * "already exists" (velero#6818), of failed plugin operations or hooks. Each warning must match an
 * allowed pattern; any error, failed item operation or failed hook fails the step.
 */
export function judge(
  restore: Restore,
  rawResults: unknown,
  rawList: unknown,
  allowWarnings: readonly string[],
): Verdict {
  const status = restore.status ?? {};
  const phase = status.phase ?? 'New';
  const results = RestoreResults.safeParse(rawResults ?? {});
  const warnings = results.success ? messagesOf(results.data.warnings) : [];
  const errors = results.success ? messagesOf(results.data.errors) : [];
  const list = RestoredList.safeParse(rawList ?? {});
  const ledger = ledgerOf(list.success ? list.data : {}, warnings, errors);
  const allowed = allowedBy(allowWarnings);
  const unexpected = warnings.filter((w) => !allowed(w.text));
  const failedOperations = status.restoreItemOperationsFailed ?? 0;
  const failedHooks = status.hookStatus?.hooksFailed ?? 0;
  const why = [status.failureReason, ...(status.validationErrors ?? [])].filter(Boolean).join('; ');
  const problems = [
    phase !== 'Completed' && `Restore ${restore.metadata.name} ended ${phase}${why ? ` (${why})` : ''}`,
    errors.length > 0 &&
      `${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.map((e) => e.text).join(' | ')}`,
    (status.errors ?? 0) > 0 &&
      errors.length === 0 &&
      `${status.errors} errors (RestoreResults not available)`,
    unexpected.length > 0 &&
      `${unexpected.length} warning${unexpected.length === 1 ? '' : 's'} not allowed by allowWarnings: ${unexpected.map((w) => `${w.scope}: ${w.text}`).join(' | ')}`,
    failedOperations > 0 &&
      `${failedOperations} plugin item operation${failedOperations === 1 ? '' : 's'} failed (e.g. a volume data download)`,
    failedHooks > 0 && `${failedHooks} restore hook${failedHooks === 1 ? '' : 's'} failed`,
  ].filter((p): p is string => typeof p === 'string');
  const report = [
    `Restore ${restore.metadata.name}: ${phase}, ${status.progress?.itemsRestored ?? 0}/${status.progress?.totalItems ?? 0} items`,
    ...grouped('Errors', errors),
    ...grouped('Warnings', warnings),
    ...(unexpected.length < warnings.length
      ? [`${warnings.length - unexpected.length} warning(s) allowed by allowWarnings`]
      : []),
    ...renderLedger(ledger),
  ].join('\n');
  return {
    result: {
      restored: ledger.restored,
      skipped: ledger.skipped.length,
      failed: ledger.failed.length,
      unexpectedWarnings: unexpected.length,
      failedOperations,
      failedHooks,
      stdout: report,
    },
    ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
  };
}
