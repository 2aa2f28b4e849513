import { ApiextensionsV1Api, AppsV1Api, CoreV1Api, type ConfigurationOptions } from '@kubernetes/client-node';
import { z } from 'zod';
import { KubeError } from '../k8s/errors.js';
import type { Kube } from '../k8s/kube-action.js';
import { ResourceList } from './backup-choice.js';
import { download } from './download.js';
import { buildPlan, VolumeInfo, type Live, type PlanQuery, type RestorePlan } from './plan.js';

type Listed = { items: { metadata?: { name?: string } }[] };

/** The kinds Lifeboat can check for existence in the target namespace; others are reported by count only. */
async function existingIn(kube: Kube, namespace: string): Promise<Set<string>> {
  const [apps, core] = [kube.api(AppsV1Api), kube.api(CoreV1Api)];
  const lists: [string, string, string, (o: ConfigurationOptions) => Promise<Listed>][] = [
    ['Deployment', 'deployments', 'apps', (o) => apps.listNamespacedDeployment({ namespace }, o)],
    ['StatefulSet', 'statefulsets', 'apps', (o) => apps.listNamespacedStatefulSet({ namespace }, o)],
    [
      'PersistentVolumeClaim',
      'persistentvolumeclaims',
      '',
      (o) => core.listNamespacedPersistentVolumeClaim({ namespace }, o),
    ],
  ];
  const existing = new Set<string>();
  for (const [kind, plural, group, list] of lists) {
    const listed = await kube.call(
      { verb: 'list', resource: { plural, kind, ...(group ? { group } : {}) }, namespace },
      list,
    );
    for (const item of listed.items) existing.add(`${kind} ${namespace}/${item.metadata?.name ?? ''}`);
  }
  return existing;
}

async function live(kube: Kube, targetNamespace: string): Promise<Live> {
  const crds = await kube.call(
    {
      verb: 'list',
      resource: {
        plural: 'customresourcedefinitions',
        group: 'apiextensions.k8s.io',
        kind: 'CustomResourceDefinition',
      },
    },
    (o) => kube.api(ApiextensionsV1Api).listCustomResourceDefinition({}, o),
  );
  const pvs = await kube.call(
    { verb: 'list', resource: { plural: 'persistentvolumes', kind: 'PersistentVolume' } },
    (o) => kube.api(CoreV1Api).listPersistentVolume({}, o),
  );
  return {
    existing: await existingIn(kube, targetNamespace),
    crds: new Set(crds.items.map((crd) => `${crd.spec.group}/${crd.spec.names.kind}`)),
    persistentVolumes: pvs.items.map((pv) => ({
      name: pv.metadata?.name ?? '',
      phase: pv.status?.phase ?? '',
      reclaimPolicy: pv.spec?.persistentVolumeReclaimPolicy ?? '',
      claim: pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '',
    })),
  };
}

/** Reads the backup's resource list and volume infos and the target's state, and builds the plan. */
export async function planFor(
  kube: Kube,
  veleroNamespace: string,
  query: PlanQuery,
  signal: AbortSignal,
): Promise<RestorePlan> {
  const rawResources = await download(kube, veleroNamespace, 'BackupResourceList', query.backup, signal);
  if (rawResources === undefined)
    throw new KubeError(
      `backup ${query.backup} has no resource list in Velero's backup storage: no plan can be made`,
      false,
    );
  const resources = ResourceList.parse(rawResources);
  const rawVolumes = await download(kube, veleroNamespace, 'BackupVolumeInfos', query.backup, signal);
  // Backups made before Velero 1.13 have no BackupVolumeInfos: then no volume can be proven to hold data.
  const volumes = z.array(VolumeInfo).parse(rawVolumes ?? []);
  return buildPlan(query, resources, volumes, await live(kube, query.targetNamespace));
}
