/**
 * deploy/etcd-backup, the hourly `lifeboat backup etcd` CronJob of one cluster, validated as
 * deploy.test.ts validates the bot's kustomizations: rendered by Debian's real kubectl and
 * kustomize, each object against its kubernetes-models schema, the RBAC against the one API call
 * the job makes, and the pod against least privilege.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { CronJob, type ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import { ClusterRole, type IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import {
  ClusterRoleBinding,
  type IClusterRoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readConfigFile } from '../../src/config.js';
import {
  kustomizeTools,
  parseObjects,
  unknownFields,
  type KubeObject,
  type Renderer,
} from './deploy-support.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIR = path.join(ROOT, 'deploy/etcd-backup');
const MODELS: Record<string, { model: new (data: never) => { validate(): void }; module: string }> = {
  Namespace: { model: Namespace, module: 'kubernetes-models/v1/Namespace' },
  ServiceAccount: { model: ServiceAccount, module: 'kubernetes-models/v1/ServiceAccount' },
  ConfigMap: { model: ConfigMap, module: 'kubernetes-models/v1/ConfigMap' },
  ClusterRole: { model: ClusterRole, module: 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole' },
  ClusterRoleBinding: {
    model: ClusterRoleBinding,
    module: 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  },
  CronJob: { model: CronJob, module: 'kubernetes-models/batch/v1/CronJob' },
};

let renderers: readonly Renderer[];
let text = '';
let objects: KubeObject[] = [];
const only = <T>(kind: string): T => {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as unknown as T;
};

beforeAll(() => {
  renderers = kustomizeTools();
  text = (renderers[0] as Renderer).render(DIR);
  objects = parseObjects(text);
});

describe('deploy/etcd-backup', () => {
  it('renders the same objects with `kubectl kustomize` and `kustomize build`, each valid and without unknown fields', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'CronJob', 'Namespace', 'ServiceAccount'].sort(),
    );
    for (const renderer of renderers.slice(1)) expect(renderer.render(DIR)).toBe(text);
    const problems = objects.flatMap((object) => {
      const entry = MODELS[object.kind];
      if (!entry) return [`${object.kind}: no model`];
      try {
        new entry.model(object as never).validate();
        return [];
      } catch (error) {
        return [`${object.kind}/${object.metadata.name}: ${(error as Error).message}`];
      }
    });
    expect(problems).toEqual([]);
    const typed = objects.map((object) => ({
      object,
      label: `etcd-backup: ${object.kind}/${object.metadata.name}`,
      model: { module: MODELS[object.kind]?.module ?? '', type: `I${object.kind}` },
    }));
    expect(unknownFields(typed, import.meta.dirname)).toEqual([]);
  }, 60_000);

  it('grants its own ServiceAccount exactly `get` on the kube-system namespace, by name, and nothing else', async () => {
    const role = only<IClusterRole>('ClusterRole');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['namespaces'], resourceNames: ['kube-system'], verbs: ['get'] },
    ]);
    const binding = only<IClusterRoleBinding>('ClusterRoleBinding');
    expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: role.metadata?.name });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'lifeboat-etcd-backup', namespace: 'lifeboat-backup' },
    ]);
    // The one API call of the job, in its source: get namespace kube-system.
    const source = await readFile(path.join(ROOT, 'src/cli/backup-identity.ts'), 'utf8');
    expect([...source.matchAll(/CoreV1Api\)\.(\w+)\(/g)].map((m) => m[1])).toEqual(['readNamespace']);
    expect(source).toContain("readNamespace({ name: 'kube-system' }");
  });

  it('runs `lifeboat backup etcd` hourly, one at a time, on a control-plane node, with least privilege', () => {
    const cron = only<ICronJob>('CronJob');
    expect(cron.spec?.schedule).toBe('0 * * * *');
    expect(cron.spec?.concurrencyPolicy).toBe('Forbid');
    const pod = cron.spec?.jobTemplate.spec?.template.spec;
    const container = pod?.containers[0];
    expect(pod?.serviceAccountName).toBe('lifeboat-etcd-backup');
    expect(container?.image).toBe('registry.example.com/sre/lifeboat:0.1.0');
    expect(container?.args?.slice(0, 4)).toEqual(['backup', 'etcd', '--cluster', '$(CLUSTER)']);
    expect([pod?.hostNetwork, pod?.hostPID, pod?.hostIPC].filter(Boolean)).toEqual([]);
    // The only node path: the etcd certificates, read-only.
    const hostPaths = (pod?.volumes ?? []).filter((v) => v.hostPath);
    expect(hostPaths.map((v) => v.hostPath?.path)).toEqual(['/etc/kubernetes/pki/etcd']);
    expect(container?.volumeMounts?.find((m) => m.name === hostPaths[0]?.name)?.readOnly).toBe(true);
    expect(container?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container?.securityContext?.capabilities?.add).toBeUndefined();
    expect(container?.securityContext?.privileged).toBeUndefined();
  });

  it("its config is a valid LIFEBOAT_CONFIG whose cluster and backups.etcd entry are the CronJob's cluster", async () => {
    const configMap = only<{ data: Record<string, string> }>('ConfigMap');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-etcd-backup-config-'));
    try {
      const file = path.join(dir, 'lifeboat.yaml');
      await writeFile(file, configMap.data['lifeboat.yaml'] ?? '');
      const config = await readConfigFile(file);
      const cluster = configMap.data.cluster ?? '';
      expect(config.clusters[cluster]?.etcd?.cert).toBe('/etc/kubernetes/pki/etcd/healthcheck-client.crt');
      expect(config.backups.etcd.map((e) => e.name)).toContain(cluster);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
