import { ApiextensionsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { z } from 'zod';
import { KubeError } from '../k8s/errors.js';
import type { Kube } from '../k8s/kube-action.js';
import { ResourceList } from './backup-choice.js';
import { download } from './download.js';
import { existingByKey } from './plan-lookup.js';
import { buildPlan, keysOf, VolumeInfo, type Live, type PlanQuery, type RestorePlan } from './plan.js';

async function live(kube: Kube, query: PlanQuery, resources: ResourceList): Promise<Live> {
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
    // Every kind is asked of discovery: one not served is named with its missing CRD by the plan.
    lookups: await existingByKey(kube, keysOf(resources, query.namespace), query.targetNamespace),
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
  return buildPlan(query, resources, volumes, await live(kube, query, resources));
}
