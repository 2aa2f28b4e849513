import { formatSeconds } from '../../domain/duration.js';
import type { KubeConfigSource } from '../k8s/clients.js';
import { kubeAction, type Kube } from '../k8s/kube-action.js';
import { itemsOf, resourcesOf, type ResourceList } from './backup-choice.js';
import { completedAt, SCHEDULE_LABEL } from './latest-backup.js';
import { ageSeconds, Backup, BACKUPS, listVelero } from './objects.js';
import { listBackupsContract } from './list-backups-contract.js';

/** Slack offers at most 100 options in a select. */
const MAX_CHOICES = 100;

/** Each backup's contents take a DownloadRequest; a person waits on the modal, so only the newest are read. */
const READ_CONTENTS = 20;

/** DownloadRequests in flight at once. */
const AT_ONCE = 5;

/** Namespaces named in a description when no namespace was asked for. */
const NAMESPACES_SHOWN = 3;

/** Objects per namespace in a resource list (cluster-scoped entries have no namespace). */
function perNamespace(resources: ResourceList): [string, number][] {
  const counts = new Map<string, number>();
  for (const entries of Object.values(resources))
    for (const entry of entries) {
      const slash = entry.indexOf('/');
      if (slash > 0) counts.set(entry.slice(0, slash), (counts.get(entry.slice(0, slash)) ?? 0) + 1);
    }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

const objects = (n: number) => `${n} object${n === 1 ? '' : 's'}`;

/** What a backup holds, from its resource list: of the namespace asked for, or of its largest namespaces. */
function contents(resources: ResourceList | undefined, namespace: string | undefined): string {
  if (!resources) return 'contents unknown (no resource list in storage)';
  if (namespace) return `${objects(itemsOf(resources, namespace))} of ${namespace}`;
  const counts = perNamespace(resources);
  if (counts.length === 0) return 'no namespaced objects';
  const shown = counts.slice(0, NAMESPACES_SHOWN).map(([ns, n]) => `${objects(n)} of ${ns}`);
  const more = counts.length - NAMESPACES_SHOWN;
  return more > 0 ? `${shown.join(', ')} and ${more} more namespaces` : shown.join(', ');
}

async function resourceLists(
  kube: Kube,
  veleroNamespace: string,
  backups: readonly Backup[],
  signal: AbortSignal,
): Promise<(ResourceList | undefined)[]> {
  const lists: (ResourceList | undefined)[] = [];
  for (let i = 0; i < backups.length; i += AT_ONCE)
    lists.push(
      ...(await Promise.all(
        backups
          .slice(i, i + AT_ONCE)
          .map((b) => resourcesOf(kube, veleroNamespace, b.metadata.name, signal).catch(() => undefined)),
      )),
    );
  return lists;
}

/**
 * Completed backups, newest first, as choices for a param: with a namespace, only those whose
 * resource list holds its objects (as velero.latest-backup chooses); each says when it finished
 * and how many objects of the namespace (or of its largest namespaces) it holds.
 */
export const listBackups = (source: KubeConfigSource) =>
  kubeAction(source, listBackupsContract, async ({ schedule, namespace, veleroNamespace }, kube, context) => {
    const selector = schedule === undefined ? undefined : `${SCHEDULE_LABEL}=${schedule}`;
    const backups = await listVelero(kube, BACKUPS, veleroNamespace, Backup, selector);
    const completed = backups
      .filter((b) => b.status?.phase === 'Completed' && !Number.isNaN(completedAt(b)))
      .sort((a, b) => completedAt(b) - completedAt(a))
      .slice(0, READ_CONTENTS);
    const lists = await resourceLists(kube, veleroNamespace, completed, context.signal);
    const read = completed
      .map((backup, i) => ({ backup, resources: lists[i] }))
      .filter(
        ({ resources }) => !namespace || (resources !== undefined && itemsOf(resources, namespace) > 0),
      );
    const choices = read.slice(0, MAX_CHOICES).map(({ backup, resources }) => {
      // To the minute: "2h ago", not "2h5s ago".
      const age = formatSeconds(
        Math.round(ageSeconds(new Date(completedAt(backup)).toISOString()) / 60) * 60,
      );
      const count = backup.status?.warnings ?? 0;
      const warnings = count > 0 ? ` · ${count} warning${count === 1 ? '' : 's'}` : '';
      return {
        value: backup.metadata.name,
        label: backup.metadata.name,
        description: `${age} ago · ${contents(resources, namespace)}${warnings}`,
      };
    });
    return { completed: true, result: { choices, count: read.length } };
  });
