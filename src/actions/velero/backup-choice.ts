import { z } from 'zod';
import { KubeError } from '../k8s/errors.js';
import type { Kube } from '../k8s/kube-action.js';
import { download } from './download.js';
import { Backup, BACKUPS, getVelero, listVelero, SCHEDULE_LABEL } from './objects.js';

/** BackupResourceList: "group/version/Kind" → ["ns/name", …] (cluster-scoped: ["name"]), pkg/backup/request.go. */
export const ResourceList = z.record(z.string(), z.array(z.string()));
export type ResourceList = z.infer<typeof ResourceList>;

/** Looking further back than this many backups for one namespace is a sign something else is wrong. */
const MOST_CANDIDATES = 20;

export type Choice = {
  readonly backup: Backup;
  readonly resources: ResourceList | undefined;
  /** Objects of the namespace in the backup (the Namespace object itself not counted). */
  readonly items: number;
  /** Newer backups passed over, and why (taken after the deletion, no resource list). */
  readonly skipped: readonly string[];
};

/** When a backup finished, in ms; NaN when it has not. */
export const completedAt = (backup: Backup): number => Date.parse(backup.status?.completionTimestamp ?? '');

/** How many objects of `namespace` a resource list holds. */
export function itemsOf(resources: ResourceList, namespace: string): number {
  const prefix = `${namespace}/`;
  let count = 0;
  for (const entries of Object.values(resources))
    for (const entry of entries) if (entry.startsWith(prefix)) count += 1;
  return count;
}

export async function resourcesOf(kube: Kube, veleroNamespace: string, name: string, signal: AbortSignal) {
  const raw = await download(kube, veleroNamespace, 'BackupResourceList', name, signal);
  if (raw === undefined) return undefined;
  const parsed = ResourceList.safeParse(raw);
  if (!parsed.success)
    throw new KubeError(`the BackupResourceList of ${name} is not in Velero's format`, false);
  return parsed.data;
}

export type ChoiceQuery = {
  readonly veleroNamespace: string;
  readonly namespace?: string | undefined;
  readonly schedule?: string | undefined;
  /** The responder's pick: checked, not replaced. */
  readonly backup?: string | undefined;
};

/**
 * The backup that will be restored: the responder's pick, or the newest Completed backup (of the
 * schedule) whose resource list holds objects of the namespace — a backup taken after the deletion
 * "covers" the namespace by its spec and holds nothing of it.
 */
export async function chooseBackup(
  kube: Kube,
  query: ChoiceQuery,
  signal: AbortSignal,
): Promise<Choice | string> {
  const { veleroNamespace, namespace, schedule } = query;
  if (query.backup) {
    const picked = await getVelero(kube, BACKUPS, veleroNamespace, query.backup, Backup);
    if (picked.status?.phase !== 'Completed')
      return `backup ${query.backup} is ${picked.status?.phase ?? 'New'}, not Completed`;
    if (schedule && picked.metadata.labels?.[SCHEDULE_LABEL] !== schedule)
      return `backup ${query.backup} is not from schedule ${schedule}`;
    if (!namespace) return { backup: picked, resources: undefined, items: 0, skipped: [] };
    const resources = await resourcesOf(kube, veleroNamespace, query.backup, signal);
    if (!resources)
      return `backup ${query.backup} has no resource list in Velero's backup storage, so what it holds cannot be checked`;
    const items = itemsOf(resources, namespace);
    if (items === 0) return `backup ${query.backup} holds no objects of namespace ${namespace}`;
    return { backup: picked, resources, items, skipped: [] };
  }
  const selector = schedule === undefined ? undefined : `${SCHEDULE_LABEL}=${schedule}`;
  const completed = (await listVelero(kube, BACKUPS, veleroNamespace, Backup, selector))
    .filter((b) => b.status?.phase === 'Completed' && !Number.isNaN(completedAt(b)))
    .sort((a, b) => completedAt(b) - completedAt(a));
  const what = [schedule && ` of schedule ${schedule}`].filter(Boolean).join('');
  if (completed.length === 0) return `no completed backup${what}`;
  const [newest] = completed;
  if (!namespace && newest) return { backup: newest, resources: undefined, items: 0, skipped: [] };
  const skipped: string[] = [];
  for (const backup of completed.slice(0, MOST_CANDIDATES)) {
    const name = backup.metadata.name;
    const resources = await resourcesOf(kube, veleroNamespace, name, signal);
    if (!resources) {
      skipped.push(`${name}: no resource list in the backup storage`);
      continue;
    }
    const items = itemsOf(resources, namespace ?? '');
    if (items > 0) return { backup, resources, items, skipped };
    skipped.push(`${name}: holds no objects of namespace ${namespace} (taken after it was deleted?)`);
  }
  return `no completed backup${what} holds objects of namespace ${namespace} (${skipped.join('; ')})`;
}
