import type { BackupWatch } from './config.js';
import { durationSeconds, formatSeconds } from './duration.js';

export type BackupStatus = 'fresh' | 'stale' | 'failing' | 'unknown';

/** One backup source as the watch last saw it. */
export type BackupState = {
  readonly source: string;
  readonly status: BackupStatus;
  readonly ageSeconds?: number;
  readonly rpoSeconds: number;
  readonly detail: string;
  readonly checkedAt: number;
};

export type BackupSource =
  | { readonly kind: 'etcd'; readonly name: string; readonly rpo: string }
  | { readonly kind: 'velero'; readonly name: string; readonly rpo: string }
  | { readonly kind: 'storage'; readonly name: string; readonly rpo: string };

export function sourcesOf(watch: BackupWatch): BackupSource[] {
  return [
    ...watch.etcd.map((e) => ({ kind: 'etcd' as const, name: `etcd/${e.name}`, rpo: e.rpo })),
    ...watch.velero.map((v) => ({
      kind: 'velero' as const,
      name: `velero/${v.cluster}/${v.schedule}`,
      rpo: v.rpo,
    })),
    ...watch.storageLocations.map((l) => ({
      kind: 'storage' as const,
      name: `storage/${l.cluster}/${l.name}`,
      rpo: l.maxValidationAge,
    })),
  ];
}

/** Judges one check: the age of the newest good backup against the RPO, or why there is none. */
export function assess(
  source: BackupSource,
  outcome: { passed: boolean; result: Readonly<Record<string, unknown>>; error?: string },
  now: number,
): BackupState {
  const rpoSeconds = durationSeconds(source.rpo);
  const base = { source: source.name, rpoSeconds, checkedAt: now };
  const time =
    typeof outcome.result.time === 'string'
      ? Date.parse(outcome.result.time)
      : typeof outcome.result.lastBackup === 'string'
        ? Date.parse(outcome.result.lastBackup)
        : NaN;
  if (source.kind === 'storage') {
    const age =
      typeof outcome.result.lastValidationAgeSeconds === 'number'
        ? outcome.result.lastValidationAgeSeconds
        : undefined;
    if (outcome.result.available !== true)
      return {
        ...base,
        status: 'failing',
        detail: `backup storage is ${typeof outcome.result.phase === 'string' ? outcome.result.phase : 'unreachable'}${outcome.error ? `: ${outcome.error}` : ''}`,
      };
    if (age === undefined || age > rpoSeconds)
      return {
        ...base,
        status: 'stale',
        ...(age !== undefined ? { ageSeconds: age } : {}),
        detail: `not validated for ${age === undefined ? 'ever' : formatSeconds(age)}`,
      };
    return {
      ...base,
      status: 'fresh',
      ageSeconds: age,
      detail: `Available, validated ${formatSeconds(age)} ago`,
    };
  }
  // The schedule itself cannot run (FailedValidation) or is paused: say why, whatever its last backup.
  if (
    source.kind === 'velero' &&
    (outcome.result.schedulePhase === 'FailedValidation' || outcome.result.paused === true)
  ) {
    return { ...base, status: 'failing', detail: outcome.error ?? 'the schedule cannot run' };
  }
  if (
    source.kind === 'velero' &&
    typeof outcome.result.phase === 'string' &&
    outcome.result.phase !== 'Completed'
  ) {
    return {
      ...base,
      status: 'failing',
      detail: `last backup ${outcome.result.phase}${typeof outcome.result.errors === 'number' && outcome.result.errors > 0 ? ` with ${outcome.result.errors} errors` : ''}`,
    };
  }
  if (Number.isNaN(time)) return { ...base, status: 'unknown', detail: outcome.error ?? 'no backup found' };
  const ageSeconds = Math.max(0, Math.round((now - time) / 1000));
  const status = ageSeconds > rpoSeconds ? 'stale' : 'fresh';
  return {
    ...base,
    status,
    ageSeconds,
    detail: `newest backup ${formatSeconds(ageSeconds)} old (RPO ${source.rpo})`,
  };
}

/** A message only when a source changes state: stale, failing, or recovered; never the same alert every tick. */
export function alertFor(previous: BackupState | undefined, current: BackupState): string | undefined {
  const before = previous?.status ?? 'fresh';
  if (before === current.status) return undefined;
  if (current.status === 'fresh')
    return previous ? `✅ Backups recovered: ${current.source} — ${current.detail}.` : undefined;
  const icon = current.status === 'failing' ? '🔥' : '⚠️';
  return `${icon} Backups ${current.status.toUpperCase()}: ${current.source} — ${current.detail}. A disaster now would lose more than the RPO allows; check the backup job and its credentials.`;
}

/** "If the cluster died now, you would lose N": the oldest newest-backup across the sources. */
export function exposure(states: readonly BackupState[]): string {
  if (states.length === 0) return 'No backup sources are watched: configure `backups:` in LIFEBOAT_CONFIG.';
  const lines = states.map(
    (s) =>
      `${s.status === 'fresh' ? '✅' : s.status === 'unknown' ? '❔' : '⚠️'} \`${s.source}\` — ${s.detail}`,
  );
  const ages = states.flatMap((s) =>
    s.ageSeconds !== undefined && s.source.startsWith('etcd/') ? [s.ageSeconds] : [],
  );
  const worst =
    ages.length > 0
      ? `If the cluster died now, you would lose about ${formatSeconds(Math.max(...ages))} of cluster state.`
      : 'No etcd snapshot age is known.';
  return `${worst}\n${lines.join('\n')}`;
}
