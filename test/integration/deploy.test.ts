import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AdmissionregistrationV1Api,
  ApiextensionsV1Api,
  AutoscalingV2Api,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  VersionApi,
} from '@kubernetes/client-node';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole, type IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding, type IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { kubernetesActions } from '../../src/actions/k8s/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import * as veleroObjects from '../../src/actions/velero/objects.js';
import { readConfigFile, readEnv } from '../../src/config.js';
import { validateParams } from '../../src/domain/params.js';
import { loadRunbooks } from '../../src/runbooks/load.js';
import { K8sEmulator } from '../../src/sandbox/k8s-emulator.js';
import { resourceList, volumeInfos } from '../../src/sandbox/velero/backup-files.js';
import * as k8s from '../../src/sandbox/k8s/objects.js';
import * as controlPlane from '../../src/sandbox/k8s/control-plane-objects.js';
import { actionRunner } from '../support/k8s/run-action.js';
import {
  dockerIgnores,
  execForm,
  keyValues,
  kustomizeTools,
  parseDockerfile,
  parseObjects,
  requestAttributes,
  unknownFields,
  type Dockerfile,
  type KubeObject,
  type Renderer,
  type Stage,
} from './deploy-support.js';
import { ACTION_FOLDERS, API_CALLS, HELPER_CALLS, RESTORE_PLAN_ROLE, type Grant } from './rbac-calls.js';
import { FRAMEWORK_METHODS, LISTENER_SCOPES, METHOD_SCOPES } from './slack-scopes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFile(path.join(ROOT, file), 'utf8');
const run = promisify(execFile);

const KUSTOMIZATIONS = {
  base: 'deploy/base',
  production: 'deploy/overlays/production',
  'socket-mode': 'deploy/overlays/socket-mode',
  'team-runbooks': 'deploy/overlays/team-runbooks',
  'target-cluster': 'deploy/target-cluster',
} as const;
type Kustomization = keyof typeof KUSTOMIZATIONS;
const NAMES = Object.keys(KUSTOMIZATIONS) as Kustomization[];
/** The ones that run the bot (target-cluster only gives it access). */
const BOTS = ['base', 'production', 'socket-mode', 'team-runbooks'] as const;
/** The runbooks folder a team mounts in place of the image's (deploy/overlays/team-runbooks). */
const TEAM_RUNBOOKS = 'deploy/overlays/team-runbooks/runbooks';

/** Roles in velero, kube-system (leader Leases) and kube-node-lease (node Leases). */
const ROLES = ['Role', 'RoleBinding', 'Role', 'RoleBinding', 'Role', 'RoleBinding'];
/** `lifeboat` (bound cluster-wide) and RESTORE_PLAN_ROLE (bound in the namespaces restored). */
const RBAC = ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRole', 'ClusterRoleBinding', ...ROLES];
const BOT = ['ConfigMap', 'Deployment', 'Service', 'NetworkPolicy', 'ServiceMonitor'];
const EXPECTED_KINDS: Record<Kustomization, string[]> = {
  base: [...RBAC, ...BOT, 'PodDisruptionBudget'],
  production: [...RBAC, ...BOT, 'PodDisruptionBudget'],
  // One replica: a PodDisruptionBudget would block every node drain.
  'socket-mode': [...RBAC, ...BOT],
  // Production, plus the ConfigMap of the team's runbooks.
  'team-runbooks': [...RBAC, ...BOT, 'ConfigMap', 'PodDisruptionBudget'],
  'target-cluster': [...RBAC, 'Secret'],
};

let renderers: readonly Renderer[];
const rendered = {} as Record<Kustomization, { text: string; objects: KubeObject[] }>;

beforeAll(() => {
  renderers = kustomizeTools();
  for (const name of NAMES) {
    const text = (renderers[0] as Renderer).render(path.join(ROOT, KUSTOMIZATIONS[name]));
    rendered[name] = { text, objects: parseObjects(text) };
  }
});

const ofKind = <T = KubeObject>(objects: readonly KubeObject[], kind: string): T[] =>
  objects.filter((o) => o.kind === kind) as T[];

function only<T = KubeObject>(objects: readonly KubeObject[], kind: string): T {
  const found = ofKind<T>(objects, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as T;
}

/** The bot's Deployment, pod spec and (only) container. */
function workload(name: Kustomization) {
  const deployment = only<IDeployment>(rendered[name].objects, 'Deployment');
  const pod = deployment.spec?.template.spec as IPodSpec;
  const container = pod.containers[0] as IContainer;
  return { deployment, pod, container };
}

const envOf = (container: IContainer, name: string) => container.env?.find((e) => e.name === name);
const matchesLabels = (selector: Record<string, string> | undefined, labels: Record<string, string> = {}) =>
  selector !== undefined && Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('kustomize renders every overlay', () => {
  it.each(NAMES)('%s renders with a real kustomize, to the expected objects', (name) => {
    const kinds = rendered[name].objects.map((o) => o.kind).sort();
    expect(kinds).toEqual([...EXPECTED_KINDS[name]].sort());
  });

  it('every kustomization renders as users type it: `kubectl kustomize DIR` and `kustomize build DIR`, no flags, the same objects', () => {
    // `kubectl apply -k DIR` renders with kubectl's kustomize; Argo CD and Flux run kustomize build.
    // Neither passes --load-restrictor, so nothing may reach outside a kustomization's folder.
    for (const renderer of renderers.slice(1))
      for (const name of NAMES)
        expect({
          name,
          tool: renderer.tool,
          text: renderer.render(path.join(ROOT, KUSTOMIZATIONS[name])),
        }).toEqual({ name, tool: renderer.tool, text: rendered[name].text });
  });

  it('deploy/ has no symlink, and no kustomization loads a file from outside its own folder', async () => {
    const entries = await readdir(path.join(ROOT, 'deploy'), { recursive: true });
    const links: string[] = [];
    for (const entry of entries)
      if ((await lstat(path.join(ROOT, 'deploy', entry))).isSymbolicLink()) links.push(`deploy/${entry}`);
    expect(links).toEqual([]);
    type Generator = { files?: string[] };
    type Kustomization = {
      configMapGenerator?: Generator[];
      secretGenerator?: Generator[];
      patches?: Array<{ path?: string }>;
    };
    for (const name of NAMES) {
      const doc = parse(await read(`${KUSTOMIZATIONS[name]}/kustomization.yaml`)) as Kustomization;
      const files = [
        ...[...(doc.configMapGenerator ?? []), ...(doc.secretGenerator ?? [])].flatMap((g) =>
          (g.files ?? []).map((f) => f.replace(/^[^=]*=/, '')),
        ),
        ...(doc.patches ?? []).flatMap((p) => (p.path ? [p.path] : [])),
      ];
      expect({
        name,
        outside: files.filter((f) => path.isAbsolute(f) || f.split('/').includes('..')),
      }).toEqual({
        name,
        outside: [],
      });
    }
  });

  it('the team overlay puts every file of its runbooks/ folder into the runbooks ConfigMap, unchanged', async () => {
    const files = (await readdir(path.join(ROOT, TEAM_RUNBOOKS))).filter((f) => /\.ya?ml$/.test(f)).sort();
    const configMap = ofKind<{ data: Record<string, string>; metadata: { name: string } }>(
      rendered['team-runbooks'].objects,
      'ConfigMap',
    ).find((c) => c.metadata.name.startsWith('lifeboat-runbooks-'));
    expect(Object.keys(configMap?.data ?? {}).sort()).toEqual(files);
    for (const file of files) expect(configMap?.data[file]).toBe(await read(`${TEAM_RUNBOOKS}/${file}`));
  });
});

type ModelClass = new (data: never) => { validate(): void };
const K8S_MODELS = 'kubernetes-models';
const MODELS: Record<string, { readonly model: ModelClass; readonly module: string }> = {
  'v1/Namespace': { model: Namespace, module: `${K8S_MODELS}/v1/Namespace` },
  'v1/ServiceAccount': { model: ServiceAccount, module: `${K8S_MODELS}/v1/ServiceAccount` },
  'v1/ConfigMap': { model: ConfigMap, module: `${K8S_MODELS}/v1/ConfigMap` },
  'v1/Secret': { model: Secret, module: `${K8S_MODELS}/v1/Secret` },
  'v1/Service': { model: Service, module: `${K8S_MODELS}/v1/Service` },
  'apps/v1/Deployment': { model: Deployment, module: `${K8S_MODELS}/apps/v1/Deployment` },
  'policy/v1/PodDisruptionBudget': {
    model: PodDisruptionBudget,
    module: `${K8S_MODELS}/policy/v1/PodDisruptionBudget`,
  },
  'networking.k8s.io/v1/NetworkPolicy': {
    model: NetworkPolicy,
    module: `${K8S_MODELS}/networking.k8s.io/v1/NetworkPolicy`,
  },
  'rbac.authorization.k8s.io/v1/ClusterRole': {
    model: ClusterRole,
    module: `${K8S_MODELS}/rbac.authorization.k8s.io/v1/ClusterRole`,
  },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': {
    model: ClusterRoleBinding,
    module: `${K8S_MODELS}/rbac.authorization.k8s.io/v1/ClusterRoleBinding`,
  },
  'rbac.authorization.k8s.io/v1/Role': {
    model: Role,
    module: `${K8S_MODELS}/rbac.authorization.k8s.io/v1/Role`,
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': {
    model: RoleBinding,
    module: `${K8S_MODELS}/rbac.authorization.k8s.io/v1/RoleBinding`,
  },
  // A CRD, validated with the Prometheus Operator's own models rather than skipped.
  'monitoring.coreos.com/v1/ServiceMonitor': {
    model: ServiceMonitor,
    module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
  },
};
const modelOf = (o: KubeObject) => MODELS[`${o.apiVersion}/${o.kind}`];

describe('every rendered object is valid Kubernetes', () => {
  it.each(NAMES)('%s: each object passes its kubernetes-models schema', (name) => {
    const problems = rendered[name].objects.flatMap((object) => {
      const entry = modelOf(object);
      if (!entry) return [`${object.apiVersion} ${object.kind}: no model in MODELS; add one`];
      try {
        new entry.model(object as never).validate();
        return [];
      } catch (error) {
        return [`${object.kind}/${object.metadata.name}: ${(error as Error).message}`];
      }
    });
    expect(problems).toEqual([]);
  });

  it('has no unknown (misspelt) field anywhere, which the schemas would let through', () => {
    const objects = NAMES.flatMap((name) =>
      rendered[name].objects.flatMap((object) => {
        const entry = modelOf(object);
        const label = `${name}: ${object.kind}/${object.metadata.name}`;
        return entry ? [{ object, label, model: { module: entry.module, type: `I${object.kind}` } }] : [];
      }),
    );
    expect(unknownFields(objects, import.meta.dirname)).toEqual([]);
  }, 60_000);
});

// ---- RBAC ---------------------------------------------------------------------------------------

const API_CLASSES = {
  CoreV1Api,
  AppsV1Api,
  CustomObjectsApi,
  VersionApi,
  ApiextensionsV1Api,
  CoordinationV1Api,
  AdmissionregistrationV1Api,
  DiscoveryV1Api,
  AutoscalingV2Api,
};

/** Method name → the client-node API class that has it. */
function apiMethods(): Map<string, string> {
  const methods = new Map<string, string>();
  for (const [name, api] of Object.entries(API_CLASSES))
    for (const method of Object.getOwnPropertyNames(api.prototype))
      if (method !== 'constructor' && !methods.has(method)) methods.set(method, name);
  return methods;
}

/** The API calls a source file makes, named the way rbac-calls.ts names them. */
function callsIn(source: string, methods: ReadonlyMap<string, string>): string[] {
  const calls = new Set<string>();
  for (const match of source.matchAll(/\.\s*(\w+)\s*\(/g)) {
    const method = match[1] ?? '';
    const api = methods.get(method);
    if (!api) continue;
    const after = source.slice(match.index, match.index + 400);
    const plural = method.endsWith('CustomObject') ? /plural:\s*'(\w+)'/.exec(after)?.[1] : undefined;
    calls.add(`${api}.${method}${plural ? `(${plural})` : ''}`);
  }
  for (const match of source.matchAll(/\b(getVelero|listVelero)\(\s*kube,\s*([A-Z_]+)/g))
    calls.add(`${match[1]}(${match[2]})`);
  if (source.includes('new Watch('))
    calls.add(`new Watch(${/\/namespaces\/\$\{[^}]+\}\/(\w+)`/.exec(source)?.[1] ?? '?'})`);
  for (const match of source.matchAll(/\$\{server\}(\/\w+)/g)) calls.add(`GET ${match[1]}`);
  // A GET the generated clients have no method for (discovery, metadata-only lists), by its verb.
  for (const match of source.matchAll(/\bgetJson\(\s*kube,\s*\{\s*verb:\s*'(\w+)'/g))
    calls.add(`getJson(${match[1]})`);
  return [...calls].sort();
}

const grantKey = (grant: Grant): string =>
  'url' in grant
    ? `url ${grant.url} ${grant.verb}`
    : `${grant.group || 'core'} ${grant.resource} ${grant.verb} ${grant.where}`;
const NEEDED = [...new Set(API_CALLS.map((call) => grantKey(call.grant)))].sort();

/** Runs every k8s.* and velero.* action against the API emulator; returns the requests it saw. */
async function requestsOfEveryAction(): Promise<{ requests: string[]; actions: string[] }> {
  const api = await K8sEmulator.create({ tickMs: 20 });
  try {
    api.seed('nodes', k8s.node('node-1'));
    api.seed('namespaces', k8s.namespace('shop'));
    api.seed('deployments', k8s.deployment('shop', 'web', { labels: { tier: 'web' } }));
    api.seed('statefulsets', k8s.statefulSet('shop', 'db', { labels: { tier: 'db' } }));
    api.seed('horizontalpodautoscalers', {
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 4,
      },
    });
    api.seed('daemonsets', k8s.daemonSet('shop', 'agent', 1));
    api.seed('persistentvolumeclaims', k8s.pvc('shop', 'data'));
    api.seed('backups', k8s.backup('daily-20260301010000', { schedule: 'daily' }));
    api.seed('schedules', k8s.schedule('daily', { lastBackupHoursAgo: 1 }));
    api.seed('backupstoragelocations', k8s.storageLocation('default', 'Available', 0.1));
    api.seed('volumesnapshotlocations', k8s.snapshotLocation('default', 'aws', 'eu-west-1'));
    api.seed(
      'leases',
      controlPlane.leaderLease('kube-controller-manager', 'cp-1', new Date()),
      controlPlane.leaderLease('kube-scheduler', 'cp-1', new Date()),
      controlPlane.nodeLease('node-1', new Date()),
    );
    api.seed(
      'validatingwebhookconfigurations',
      controlPlane.webhookConfiguration('policy', [
        { name: 'p.example.com', service: { namespace: 'policy', name: 'hook' } },
      ]),
    );
    api.seed(
      'endpointslices',
      controlPlane.endpointSlice('policy', 'hook', [{ ip: '10.0.0.5', ready: true }]),
    );
    const shop = {
      shop: {
        deployments: ['web'],
        configMaps: ['settings'],
        secrets: ['db-password'],
        services: ['web'],
        custom: { 'v1/ServiceAccount': ['web'] },
        pvcs: { data: 'CSISnapshot' as const },
      },
    };
    api.backupFiles('daily-20260301010000', { resources: resourceList(shop), volumes: volumeInfos(shop) });
    // A second of InProgress: long enough that the follower always gets to its watch.
    api.restorePlan = { ticks: 50, totalItems: 10, outcome: 'Completed', warnings: 0, errors: 0 };
    const registry = kubernetesActions((target) => api.kubeConfig(target));
    const runAction = actionRunner(createRegistry(registry), { primary: { context: 'prod' } });
    const calls: Array<[string, Record<string, unknown>]> = [
      ['k8s.apiserver-ready', {}],
      ['k8s.version', {}],
      ['k8s.nodes-ready', {}],
      ['k8s.namespace-exists', { name: 'shop' }],
      ['k8s.workloads-ready', { namespace: 'shop' }],
      ['k8s.scale', { namespace: 'shop', name: 'web', replicas: 2 }],
      ['k8s.scale', { namespace: 'shop', kind: 'StatefulSet', name: 'db', replicas: 2 }],
      ['k8s.scale', { namespace: 'shop', selector: 'tier=web', replicas: 1 }],
      ['k8s.scale', { namespace: 'shop', kind: 'StatefulSet', selector: 'tier=db', replicas: 1 }],
      ['velero.latest-backup', {}],
      ['velero.list-backups', {}],
      ['velero.schedule-status', { schedule: 'daily' }],
      ['velero.bsl-available', {}],
      ['velero.latest-backup', { namespace: 'shop', backup: 'daily-20260301010000' }],
      ['velero.snapshot-location', {}],
      ['velero.snapshot-location', { name: 'default' }],
      ['velero.snapshot-location', { backup: 'daily-20260301010000' }],
      ['velero.restore-plan', { backup: 'daily-20260301010000', namespace: 'shop' }],
      ['velero.restore', { backup: 'daily-20260301010000', namespaces: ['shop'] }],
      ['k8s.leases-renewed', { after: '2020-01-01T00:00:00Z' }],
      ['k8s.node-heartbeats', { after: '2020-01-01T00:00:00Z' }],
      ['k8s.webhooks-health', {}],
    ];
    for (const [action, input] of calls) {
      const outcome = await runAction(action, { cluster: 'primary', ...input }, { timeout: '20s' });
      expect({ action, error: outcome.error }).toEqual({ action, error: undefined });
    }
    expect(Object.keys(registry).sort()).toEqual([...new Set(calls.map(([action]) => action))].sort());
    return { requests: [...api.requests], actions: calls.map(([action]) => action) };
  } finally {
    await api.close();
  }
}

type Binding = KubeObject & Pick<IRoleBinding, 'roleRef' | 'subjects'>;

/** What the rendered RBAC lets Lifeboat's ServiceAccount do, in the keys of `grantKey`. */
function grantedIn(objects: readonly KubeObject[]): string[] {
  const granted = new Set<string>();
  const bindings = [
    ...ofKind<Binding>(objects, 'ClusterRoleBinding'),
    ...ofKind<Binding>(objects, 'RoleBinding'),
  ].filter((binding) =>
    binding.subjects?.some(
      (s) => s.kind === 'ServiceAccount' && s.name === 'lifeboat' && s.namespace === 'lifeboat',
    ),
  );
  // Its rules hold in each namespace a RoleBinding puts them in: the namespaces runbooks restore.
  for (const role of ofKind<IClusterRole & KubeObject>(objects, 'ClusterRole'))
    if (role.metadata.name === RESTORE_PLAN_ROLE)
      for (const rule of role.rules ?? [])
        for (const verb of rule.verbs)
          for (const group of rule.apiGroups ?? [])
            for (const resource of rule.resources ?? [])
              granted.add(`${group || 'core'} ${resource} ${verb} restored-namespaces`);
  for (const binding of bindings) {
    const cluster = binding.kind === 'ClusterRoleBinding';
    const role = objects.find(
      (o) =>
        o.kind === binding.roleRef.kind &&
        o.metadata.name === binding.roleRef.name &&
        (o.kind === 'ClusterRole' || o.metadata.namespace === binding.metadata.namespace),
    ) as (IClusterRole & KubeObject) | undefined;
    if (!role) throw new Error(`${binding.kind} ${binding.metadata.name} binds a role that is not rendered`);
    const namespace = binding.metadata.namespace ?? '';
    const where = cluster
      ? 'cluster-wide'
      : namespace === 'velero'
        ? 'velero-namespace'
        : `namespace-${namespace}`;
    for (const rule of role.rules ?? [])
      for (const verb of rule.verbs) {
        // nonResourceURLs only work through a ClusterRoleBinding.
        for (const url of rule.nonResourceURLs ?? [])
          granted.add(`url ${url} ${verb}${cluster ? '' : ' (inert)'}`);
        for (const group of rule.apiGroups ?? [])
          for (const resource of rule.resources ?? [])
            granted.add(
              `${group || 'core'} ${resource} ${verb} ${where}${rule.resourceNames ? ' (some names)' : ''}`,
            );
      }
  }
  return [...granted].sort();
}

describe('RBAC grants exactly the API calls the actions make', () => {
  let observed: Awaited<ReturnType<typeof requestsOfEveryAction>>;
  beforeAll(async () => {
    observed = await requestsOfEveryAction();
  }, 60_000);

  it('the table (rbac-calls.ts) names every API call in the action sources, file by file', async () => {
    const methods = apiMethods();
    const files = (
      await Promise.all(
        ACTION_FOLDERS.map(async (folder) =>
          (await readdir(path.join(ROOT, folder)))
            .filter((f) => f.endsWith('.ts'))
            .map((f) => `${folder}/${f}`),
        ),
      )
    ).flat();
    const tabled = [...API_CALLS, ...HELPER_CALLS];
    for (const file of files) {
      const expected = [...new Set(tabled.filter((c) => c.file === file).map((c) => c.call))].sort();
      expect({ file, calls: callsIn(await read(file), methods) }).toEqual({ file, calls: expected });
    }
    expect(tabled.filter((c) => !files.includes(c.file))).toEqual([]);
  });

  it('the Velero resources the table names are the ones the sources ask for', () => {
    for (const call of API_CALLS) {
      const constant = /^(?:get|list)Velero\((\w+)\)$/.exec(call.call)?.[1];
      if (!constant || 'url' in call.grant) continue;
      const resource = (veleroObjects as unknown as Record<string, { plural: string }>)[constant];
      expect({ call: call.call, plural: resource?.plural }).toEqual({
        call: call.call,
        plural: call.grant.resource,
      });
    }
  });

  it('the actions send exactly the requests the table grants, to a real client and the API emulator', () => {
    const restored = new Set(
      API_CALLS.flatMap((call) =>
        'where' in call.grant && call.grant.where === 'restored-namespaces'
          ? [`${call.grant.group} ${call.grant.resource}`]
          : [],
      ),
    );
    const seen = observed.requests.map((line) => {
      // Discovery: non-resource URLs, as the RBAC authorizer sees them.
      const discovery = /^GET \/(api\/v1|apis\/[^/?]+\/[^/?]+)$/.exec(line);
      if (discovery) return `url ${discovery[1] === 'api/v1' ? '/api/v1' : '/apis/*'} get`;
      const request = requestAttributes(line);
      if (request.kind === 'url') return `url ${request.url} ${request.verb}`;
      const where =
        request.group === 'velero.io' && request.namespace === 'velero'
          ? 'velero-namespace'
          : request.resource === 'leases'
            ? `namespace-${request.namespace ?? ''}`
            : request.namespace !== undefined && restored.has(`${request.group} ${request.resource}`)
              ? 'restored-namespaces'
              : 'cluster-wide';
      return `${request.group || 'core'} ${request.resource} ${request.verb} ${where}`;
    });
    expect([...new Set(seen)].sort()).toEqual(NEEDED);
    expect([...new Set(API_CALLS.flatMap((call) => call.actions))].sort()).toEqual(
      [...new Set(observed.actions)].sort(),
    );
  });

  it.each(NAMES)('%s: every call the actions make is allowed', (name) => {
    const granted = grantedIn(rendered[name].objects);
    expect(NEEDED.filter((need) => !granted.includes(need))).toEqual([]);
  });

  it.each(NAMES)('%s: the restore plan’s role is bound in namespaces only, never cluster-wide', (name) => {
    const bindings = ofKind<Binding>(rendered[name].objects, 'ClusterRoleBinding');
    expect(bindings.filter((b) => b.roleRef.name === RESTORE_PLAN_ROLE)).toEqual([]);
    expect(
      rendered[name].objects.filter((o) => o.metadata.name === RESTORE_PLAN_ROLE).map((o) => o.kind),
    ).toEqual(['ClusterRole']);
  });

  it.each(NAMES)('%s: no rule grants anything the actions do not need', (name) => {
    expect(grantedIn(rendered[name].objects).filter((grant) => !NEEDED.includes(grant))).toEqual([]);
  });
});

// ---- the pod ------------------------------------------------------------------------------------

const SLACK_SECRET = 'lifeboat-slack';

describe('the bot runs unprivileged, with its secrets by reference', () => {
  it.each(BOTS)(
    '%s: no container runs as root, escalates, writes its root filesystem or keeps a capability',
    (name) => {
      const { pod } = workload(name);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect([pod.hostNetwork, pod.hostPID, pod.hostIPC].filter(Boolean)).toEqual([]);
      expect((pod.volumes ?? []).filter((v) => v.hostPath)).toEqual([]);
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        const context = container.securityContext ?? {};
        expect(context).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(context.privileged ?? false).toBe(false);
        expect(context.capabilities?.add ?? []).toEqual([]);
        const uid = context.runAsUser ?? pod.securityContext?.runAsUser;
        expect(uid).toEqual(expect.any(Number));
        expect(uid).not.toBe(0);
      }
    },
  );

  it.each(BOTS)('%s: writes only to an emptyDir on /tmp; every other mount is read-only', (name) => {
    const { pod, container } = workload(name);
    const mounts = container.volumeMounts ?? [];
    const writable = mounts.filter((m) => !m.readOnly);
    expect(writable.map((m) => m.mountPath)).toEqual(['/tmp']);
    expect(pod.volumes?.find((v) => v.name === writable[0]?.name)?.emptyDir).toBeDefined();
    expect(envOf(container, 'LIFEBOAT_WORKDIR')?.value).toMatch(/^\/tmp\//);
  });

  it.each(BOTS)('%s: Slack and Redis credentials come from Secrets, never literal values', (name) => {
    const { container } = workload(name);
    const ref = (variable: string) => envOf(container, variable)?.valueFrom?.secretKeyRef;
    expect(ref('SLACK_BOT_TOKEN')).toEqual({ name: SLACK_SECRET, key: 'SLACK_BOT_TOKEN' });
    expect(ref('SLACK_SIGNING_SECRET')).toEqual({ name: SLACK_SECRET, key: 'SLACK_SIGNING_SECRET' });
    expect(ref('REDIS_URL')).toEqual({ name: 'lifeboat-redis', key: 'REDIS_URL' });
    if (name === 'socket-mode')
      expect(ref('SLACK_APP_TOKEN')).toEqual({ name: SLACK_SECRET, key: 'SLACK_APP_TOKEN' });
    else expect(envOf(container, 'SLACK_APP_TOKEN')).toBeUndefined();
    const literalSecrets = (container.env ?? []).filter(
      (e) => /TOKEN|SECRET|PASSWORD|REDIS_URL/.test(e.name) && e.value,
    );
    expect(literalSecrets).toEqual([]);
  });

  it.each(BOTS)('%s: the environment it sets is one Lifeboat accepts at start', (name) => {
    const { container } = workload(name);
    const fake: Record<string, string> = {
      SLACK_BOT_TOKEN: 'xoxb-from-the-secret',
      SLACK_SIGNING_SECRET: 'signing-secret-from-the-secret',
      SLACK_APP_TOKEN: 'xapp-from-the-secret',
      REDIS_URL: 'rediss://redis.dr.example.com:6379',
    };
    const env: Record<string, string> = {};
    for (const variable of container.env ?? []) {
      if (variable.value !== undefined) env[variable.name] = variable.value;
      else if (variable.valueFrom?.secretKeyRef) env[variable.name] = fake[variable.name] ?? 'x';
    }
    const parsed = readEnv(env);
    expect(parsed.PORT).toBe(container.ports?.find((p) => p.name === 'http')?.containerPort);
    expect(parsed.SLACK_APP_TOKEN !== undefined).toBe(name === 'socket-mode');
    expect(envOf(container, 'LIFEBOAT_REPLICA')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
  });

  it.each(BOTS)('%s: config, runbooks and kubeconfig are mounted where the environment points', (name) => {
    const { pod, container } = workload(name);
    const mountOf = (file: string) =>
      (container.volumeMounts ?? []).find((m) => file.startsWith(`${m.mountPath}/`) || file === m.mountPath);
    const volumeOf = (file: string) => pod.volumes?.find((v) => v.name === mountOf(file)?.name);
    const config = envOf(container, 'LIFEBOAT_CONFIG')?.value ?? '';
    expect(volumeOf(config)?.configMap?.name).toMatch(/^lifeboat-config-/);
    // The image's runbooks, unless the team overlay mounts its own over where LIFEBOAT_RUNBOOKS points.
    const runbooks = volumeOf(envOf(container, 'LIFEBOAT_RUNBOOKS')?.value ?? '');
    if (name === 'team-runbooks') expect(runbooks?.configMap?.name).toMatch(/^lifeboat-runbooks-/);
    else
      expect({ runbooks, value: envOf(container, 'LIFEBOAT_RUNBOOKS')?.value }).toEqual({
        runbooks: undefined,
        value: '/app/runbooks',
      });
    const kubeconfig = envOf(container, 'KUBECONFIG')?.value ?? '';
    expect(kubeconfig.startsWith('/etc/lifeboat/kubeconfig/')).toBe(true);
    expect(volumeOf(kubeconfig)?.secret?.secretName).toBe('lifeboat-kubeconfig');
    // `shell` steps see only PATH and HOME: kubectl there reads $HOME/.kube/config.
    expect(volumeOf('/home/lifeboat/.kube/config')?.secret?.secretName).toBe('lifeboat-kubeconfig');
    const configMap = ofKind<{ metadata: { name: string }; data: Record<string, string> }>(
      rendered[name].objects,
      'ConfigMap',
    ).find((c) => c.metadata.name === volumeOf(config)?.configMap?.name);
    expect(Object.keys(configMap?.data ?? {})).toContain(path.basename(config));
  });

  it.each(BOTS)('%s: probes, Service, PDB, NetworkPolicy and ServiceMonitor fit the pod', (name) => {
    const { objects } = rendered[name];
    const { deployment, container } = workload(name);
    const labels = deployment.spec?.template.metadata?.labels;
    expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    const service = only<IService & KubeObject>(objects, 'Service');
    expect(matchesLabels(service.spec?.selector, labels)).toBe(true);
    expect(service.spec?.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    const budgets = ofKind<{
      spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } };
    }>(objects, 'PodDisruptionBudget');
    if (name === 'socket-mode') expect(budgets).toEqual([]);
    else {
      expect(budgets.map((b) => b.spec.minAvailable)).toEqual([1]);
      expect(matchesLabels(budgets[0]?.spec.selector.matchLabels, labels)).toBe(true);
    }
    const policy = only<INetworkPolicy & KubeObject>(objects, 'NetworkPolicy');
    expect(matchesLabels(policy.spec?.podSelector?.matchLabels, labels)).toBe(true);
    expect(policy.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    const ports = (rules: Array<{ ports?: Array<{ port?: number | string; protocol?: string }> }> = []) =>
      rules.flatMap((r) => (r.ports ?? []).map((p) => `${p.port}/${p.protocol}`)).sort();
    expect(ports(policy.spec?.ingress)).toEqual(['3000/TCP']);
    expect(ports(policy.spec?.egress)).toEqual([
      '2379/TCP',
      '443/TCP',
      '53/TCP',
      '53/UDP',
      '6379/TCP',
      '6443/TCP',
    ]);
    const monitor = only<{
      spec: {
        selector: { matchLabels: Record<string, string> };
        endpoints: Array<{ port: string; path: string }>;
      };
    }>(objects, 'ServiceMonitor');
    expect(matchesLabels(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
  });

  it('runs 2 replicas in base, 3 in production, 1 in Socket Mode; production pins its image and has more room', () => {
    expect(BOTS.map((name) => workload(name).deployment.spec?.replicas)).toEqual([2, 3, 1, 3]);
    const image = workload('production').container.image ?? '';
    expect(image).toMatch(/^[\w.-]+(?:\/[\w.-]+)+(?::[\w.-]+|@sha256:[0-9a-f]{64})$/);
    expect(image).not.toMatch(/:latest$/);
    const memory = (name: Kustomization) => workload(name).container.resources?.limits?.memory;
    expect([memory('base'), memory('production')]).toEqual(['512Mi', '1Gi']);
  });
});

describe('the config and runbooks the ConfigMaps carry', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-configmaps-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const dataOf = (name: Kustomization, prefix: string) =>
    ofKind<{ metadata: { name: string }; data: Record<string, string> }>(
      rendered[name].objects,
      'ConfigMap',
    ).find((c) => c.metadata.name.startsWith(prefix))?.data ?? {};

  /** A ConfigMap volume as the kubelet lays it out: files in a timestamped folder, reached through `..data`. */
  async function mountConfigMap(data: Record<string, string>, at: string): Promise<string> {
    const real = '..2026_11_26_03_00_00.000000001';
    await mkdir(path.join(at, real), { recursive: true });
    for (const [key, value] of Object.entries(data)) await writeFile(path.join(at, real, key), value);
    await symlink(real, path.join(at, '..data'));
    for (const key of Object.keys(data)) await symlink(path.join('..data', key), path.join(at, key));
    return at;
  }

  it("the team overlay's mounted runbooks ConfigMap loads every runbook of its folder once, without errors", async () => {
    const folder = await loadRunbooks(path.join(ROOT, TEAM_RUNBOOKS));
    const mounted = await loadRunbooks(
      await mountConfigMap(dataOf('team-runbooks', 'lifeboat-runbooks-'), path.join(dir, 'runbooks')),
    );
    expect([folder.runbooks.size, folder.trees.size]).toEqual([1, 1]);
    expect(mounted.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect([...mounted.runbooks.keys()].sort()).toEqual([...folder.runbooks.keys()].sort());
    expect([...mounted.trees.keys()]).toEqual([...folder.trees.keys()]);
  });

  it('the sample lifeboat.yaml is valid, and names the clusters and runbooks that exist', async () => {
    const folder = await mountConfigMap(dataOf('base', 'lifeboat-config-'), path.join(dir, 'config'));
    const config = await readConfigFile(path.join(folder, 'lifeboat.yaml'));
    const library = await loadRunbooks(path.join(ROOT, 'runbooks'));
    for (const drill of config.drills.schedule) {
      const runbook = library.runbooks.get(drill.runbook)?.runbook;
      // A scheduled drill has nobody to type its parameters: the config must give them all.
      expect({
        drill: drill.runbook,
        check: runbook && validateParams(runbook.params ?? {}, drill.params),
      }).toEqual({
        drill: drill.runbook,
        check: { values: expect.any(Object) },
      });
    }
    const watched = [...config.backups.velero, ...config.backups.storageLocations].map((b) => b.cluster);
    for (const cluster of [config.drills.cluster, ...watched])
      expect(Object.keys(config.clusters)).toContain(cluster);
    const named = new Set<string>();
    for (const file of await readdir(path.join(ROOT, 'runbooks')))
      for (const match of (await read(`runbooks/${file}`)).matchAll(/\bcluster(?::\s*|\.)([a-z][\w-]*)/g))
        named.add(match[1] ?? '');
    expect([...named].filter((cluster) => !(cluster in config.clusters))).toEqual([]);
    // etcd client certificates come from the optional Secret mounted at /etc/lifeboat/etcd.
    const files = Object.values(config.clusters).flatMap((c) => [c.etcd?.cacert, c.etcd?.cert, c.etcd?.key]);
    expect(files.filter((f) => f !== undefined && !f.startsWith('/etc/lifeboat/etcd/'))).toEqual([]);
  });
});

// ---- Dockerfile ---------------------------------------------------------------------------------

type PackageJson = { license: string; bin: Record<string, string>; scripts: Record<string, string> };

/**
 * Debian packages the image installs (trixie's), and the programs on PATH they bring: checked
 * against the same packages from sid that .ci/run unpacks (LIFEBOAT_ETCD35_BIN, LIFEBOAT_KUBECTL).
 */
const PACKAGE_PROGRAMS: Record<string, string[]> = {
  'ca-certificates': [],
  'etcd-client': ['etcdctl'],
  'etcd-server': ['etcdutl'],
  kubectl: ['kubectl'],
};

/** The prefixes .ci/run unpacked Debian packages into, with the `name=version` list it wrote there. */
async function unpackedDebianPackages(): Promise<Array<{ prefix: string; packages: string[] }>> {
  const home = os.homedir();
  const bins = [
    process.env.LIFEBOAT_ETCD35_BIN || path.join(home, '.local/lifeboat-etcd35/usr/bin'),
    path.dirname(
      process.env.LIFEBOAT_KUBECTL || path.join(home, '.local/lifeboat-kube-tools/usr/bin/kubectl'),
    ),
  ];
  return Promise.all(
    bins.map(async (bin) => {
      const prefix = path.resolve(bin, '../..');
      const list = await readFile(path.join(prefix, 'debian-packages-sid.txt'), 'utf8').catch(() => {
        throw new Error(`no Debian packages unpacked in ${prefix}: run bash .ci/run`);
      });
      return {
        prefix,
        packages: list
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split('=')[0] ?? ''),
      };
    }),
  );
}

describe('the Dockerfile', () => {
  let text: string;
  let dockerfile: Dockerfile;
  let final: Stage;
  let pkg: PackageJson;
  beforeAll(async () => {
    text = await read('Dockerfile');
    dockerfile = parseDockerfile(text);
    final = dockerfile.stages.at(-1) as Stage;
    pkg = JSON.parse(await read('package.json')) as PackageJson;
  });
  const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
  const last = (stage: Stage, keyword: string) => all(stage, keyword).at(-1)?.args;

  it('builds in one stage and runs in another, both on the Node major of .nvmrc, slim', async () => {
    const major = (await read('.nvmrc')).trim();
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    // Trixie: its etcd packages are 3.5, with etcdutl (bookworm's are 3.4, without).
    for (const stage of dockerfile.stages) expect(stage.image).toBe(`node:${major}-trixie-slim`);
  });

  it('runs as the non-root uid the manifests expect', () => {
    const user = last(final, 'USER') ?? 'root';
    const [uid = '', gid] = user.split(':');
    expect(['root', '0']).not.toContain(uid);
    const { pod } = workload('base');
    expect([Number(uid), Number(gid)]).toEqual([
      pod.securityContext?.runAsUser,
      pod.securityContext?.runAsGroup,
    ]);
  });

  it('starts `lifeboat serve` in exec form, from the bin package.json declares, with node flags node takes', async () => {
    const [node, ...args] = execForm(last(final, 'ENTRYPOINT') ?? '') ?? [];
    const flags = args.slice(0, -1);
    expect(node).toBe('node');
    expect(args.at(-1)).toBe(pkg.bin.lifeboat);
    expect(flags).toEqual(flags.filter((flag) => flag.startsWith('--')));
    expect(execForm(last(final, 'CMD') ?? '')).toEqual(['serve']);
    // A flag this node does not know would stop the container at its first start.
    const help = await run(process.execPath, [...flags, path.join(ROOT, pkg.bin.lifeboat ?? ''), '--help']);
    expect(help.stdout).toMatch(/^\s+serve\b/m);
  });

  it('runs npm scripts that exist, in order, without lifecycle scripts that need what is not there yet', () => {
    const runs = (stage: Stage) => all(stage, 'RUN').map((i) => i.args);
    for (const command of dockerfile.stages.flatMap(runs))
      for (const match of command.matchAll(/npm run (\S+)/g))
        expect(Object.keys(pkg.scripts)).toContain(match[1]);
    const npmCi = dockerfile.stages.flatMap(runs).filter((c) => c.includes('npm ci'));
    // `prepare` compiles with a dev dependency, before the sources are copied in.
    if (pkg.scripts.prepare) for (const command of npmCi) expect(command).toContain('--ignore-scripts');
    const [build] = dockerfile.stages;
    const buildRuns = runs(build as Stage);
    expect(buildRuns.findIndex((c) => c.includes('npm ci'))).toBeLessThan(
      buildRuns.findIndex((c) => c.includes('npm run build')),
    );
    expect(runs(final).filter((c) => c.includes('npm ci'))).toEqual([expect.stringContaining('--omit=dev')]);
  });

  it('copies only what exists and .dockerignore lets through; the build output lands where ENTRYPOINT looks', async () => {
    const ignored = dockerIgnores(await read('.dockerignore'));
    const filesUnder = async (source: string): Promise<string[]> => {
      const entries = await readdir(path.join(ROOT, source), { withFileTypes: true, recursive: true }).catch(
        () => undefined,
      );
      if (!entries) return [source];
      return entries
        .filter((e) => e.isFile())
        .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
    };
    for (const stage of dockerfile.stages)
      for (const copy of all(stage, 'COPY').filter((c) => !c.args.startsWith('--from'))) {
        const sources = copy.args.split(/\s+/).slice(0, -1);
        for (const source of sources) {
          const files = await filesUnder(source);
          expect(files.length).toBeGreaterThan(0);
          expect(files.filter((file) => ignored(file))).toEqual([]);
        }
      }
    const fromBuild =
      all(final, 'COPY')
        .find((c) => c.args.startsWith('--from=build'))
        ?.args.split(/\s+/) ?? [];
    const buildConfig = JSON.parse(await read('tsconfig.build.json')) as {
      compilerOptions: { outDir: string };
    };
    const build = dockerfile.stages[0] as Stage;
    expect(fromBuild[1]).toBe(
      path.posix.join(last(build, 'WORKDIR') ?? '/', buildConfig.compilerOptions.outDir),
    );
    expect(
      path.posix.join(last(final, 'WORKDIR') ?? '/', fromBuild[2] ?? '', '..', pkg.bin.lifeboat ?? ''),
    ).toBe(path.posix.join(last(final, 'WORKDIR') ?? '/', pkg.bin.lifeboat ?? ''));
    expect(ignored('node_modules/x/index.js') && ignored('.git/config') && ignored('dist/main.js')).toBe(
      true,
    );
  });

  it('sets an environment that agrees with the Deployment, and OCI labels', () => {
    const env = new Map(all(final, 'ENV').flatMap((i) => [...keyValues(i.args)]));
    const { container } = workload('base');
    expect(env.get('LIFEBOAT_WORKDIR')).toMatch(/^\/tmp\//);
    expect(env.get('LIFEBOAT_RUNBOOKS')).toBe(envOf(container, 'LIFEBOAT_RUNBOOKS')?.value);
    // The image ships the runbooks where LIFEBOAT_RUNBOOKS points: what base and production run.
    const [, into = ''] =
      all(final, 'COPY')
        .find((c) => c.args.split(/\s+/)[0] === 'runbooks')
        ?.args.split(/\s+/) ?? [];
    expect(path.posix.resolve(last(final, 'WORKDIR') ?? '/', into)).toBe(env.get('LIFEBOAT_RUNBOOKS'));
    expect(env.get('PORT')).toBe(String(container.ports?.[0]?.containerPort));
    expect(container.volumeMounts?.map((m) => m.mountPath)).toContain(`${env.get('HOME')}/.kube`);
    const labels = new Map(all(final, 'LABEL').flatMap((i) => [...keyValues(i.args)]));
    for (const key of ['title', 'description', 'source', 'version', 'revision', 'created', 'licenses'])
      expect(labels.has(`org.opencontainers.image.${key}`)).toBe(true);
    expect(labels.get('org.opencontainers.image.licenses')).toBe(pkg.license);
  });

  it('puts on PATH what the runbooks and etcd actions run, and names what it cannot', async () => {
    const installed = all(final, 'RUN')
      .flatMap((i) => /apt-get install\s+((?:\S+\s*)+?)(?:&&|$)/.exec(i.args)?.[1]?.split(/\s+/) ?? [])
      .filter((word) => word !== '' && !word.startsWith('-'));
    expect(installed.sort()).toEqual(Object.keys(PACKAGE_PROGRAMS).sort());
    const provided = installed.flatMap((name) => PACKAGE_PROGRAMS[name] ?? []);
    const missing = [
      ...(/# Missing, and why:\n((?:#\s{3}.*\n)+)/.exec(text)?.[1] ?? '').matchAll(/^#\s{3}(\w+)\s+-/gm),
    ].map((m) => m[1]);
    const needed = new Set(['etcdctl', 'etcdutl', 'velero']);
    for (const file of await readdir(path.join(ROOT, 'runbooks'))) {
      const doc = parse(await read(`runbooks/${file}`)) as { prerequisites?: { tools?: string[] } } | null;
      for (const tool of doc?.prerequisites?.tools ?? []) needed.add(tool);
      for (const match of (await read(`runbooks/${file}`)).matchAll(/command:\s*\[\s*"?([\w.-]+)/g))
        needed.add(match[1] ?? '');
    }
    expect([...needed].filter((tool) => !provided.includes(tool) && !missing.includes(tool))).toEqual([]);
    expect(missing.sort()).toEqual(['velero']);
    const unpacked = await unpackedDebianPackages();
    for (const [name, programs] of Object.entries(PACKAGE_PROGRAMS).filter(([, p]) => p.length > 0)) {
      const where = unpacked.find((u) => u.packages.includes(name));
      expect({ name, unpacked: where !== undefined }).toEqual({ name, unpacked: true });
      for (const program of programs) {
        const file = path.join(where?.prefix ?? '', 'usr/bin', program);
        expect({
          name,
          program,
          runs: await run(file, ['--help']).then(
            () => true,
            () => false,
          ),
        }).toEqual({
          name,
          program,
          runs: true,
        });
      }
    }
  });

  describe('HEALTHCHECK', () => {
    const servers: http.Server[] = [];
    afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

    async function serve(status: number | undefined): Promise<number> {
      const server = http.createServer((req, res) => {
        res.writeHead(req.url === '/healthz' ? (status ?? 200) : 404).end('ok\n');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      if (status === undefined) await new Promise((resolve) => server.close(resolve));
      else servers.push(server);
      return port;
    }

    async function exitCode(argv: string[], port: number): Promise<number> {
      const [program, ...args] = argv;
      expect(program).toBe('node');
      return run(process.execPath, args, {
        env: { ...process.env, PORT: String(port) },
        timeout: 10_000,
      }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    }

    it('asks /healthz with node (no curl in the image): 0 when it answers 200, 1 on 503 or when nothing listens', async () => {
      const healthcheck = /^((?:--\S+\s+)*)CMD\s+(.+)$/.exec(last(final, 'HEALTHCHECK') ?? '');
      const argv = execForm(healthcheck?.[2] ?? '') ?? [];
      expect(argv.join(' ')).toContain('/healthz');
      expect(await exitCode(argv, await serve(200))).toBe(0);
      expect(await exitCode(argv, await serve(503))).toBe(1);
      expect(await exitCode(argv, await serve(undefined))).toBe(1);
    });
  });
});

// ---- Slack app manifest -------------------------------------------------------------------------

type Manifest = {
  features: {
    slash_commands: Array<{ command: string; url: string; should_escape?: boolean }>;
    app_home?: { home_tab_enabled?: boolean };
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
    event_subscriptions?: { request_url: string; bot_events?: string[] };
  };
};

async function sourcesOf(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => readFile(path.join(e.parentPath, e.name), 'utf8')),
  );
}

describe('slack-app-manifest.yaml', () => {
  let manifest: Manifest;
  let sources: string[];
  beforeAll(async () => {
    manifest = parse(await read('slack-app-manifest.yaml')) as Manifest;
    sources = await sourcesOf('src');
  });
  const URL = 'https://lifeboat.example.com/slack/events';

  it('has the /dr command, interactivity and the events src/ listens to on POST /slack/events, HTTP mode', () => {
    const { LIFEBOAT_COMMAND } = readEnv({
      SLACK_BOT_TOKEN: 'xoxb-x',
      SLACK_SIGNING_SECRET: 'signing-secret',
    });
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: LIFEBOAT_COMMAND, url: URL }),
    ]);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: URL });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    // Exactly the Events API events a listener in src/ handles: none left unsubscribed, none extra.
    const events = sources.flatMap((s) =>
      [...s.matchAll(/\bapp\s*\.\s*event\s*(?:<[^(]*>)?\s*\(\s*'([a-z_]+)'/g)].map((m) => m[1] ?? ''),
    );
    expect(sources.some((s) => /\bapp\s*\.\s*message\s*\(/.test(s))).toBe(false);
    expect(events).toContain('app_home_opened');
    expect([...(manifest.settings.event_subscriptions?.bot_events ?? [])].sort()).toEqual(
      [...new Set(events)].sort(),
    );
    expect(manifest.settings.event_subscriptions?.request_url).toBe(URL);
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('asks for exactly the bot scopes the Web API methods and listeners in src/ need', () => {
    const methods = new Set<string>(FRAMEWORK_METHODS);
    const listeners = new Set<string>();
    for (const source of sources) {
      for (const match of source.matchAll(/\bclient\s*\.\s*([a-z]+(?:\s*\.\s*[a-zA-Z0-9]+)+)\s*\(/g))
        methods.add((match[1] ?? '').replace(/\s+/g, ''));
      for (const match of source.matchAll(/\bapp\s*\.\s*(\w+)\s*(?:<[^(]*>)?\s*\(/g))
        listeners.add(match[1] ?? '');
    }
    expect(methods).toContain('chat.postMessage');
    expect([...methods].filter((m) => !(m in METHOD_SCOPES))).toEqual([]);
    expect([...listeners].filter((l) => !(l in LISTENER_SCOPES) && l !== 'start' && l !== 'stop')).toEqual(
      [],
    );
    const needed = new Set([
      ...[...methods].flatMap((m) => [
        ...(METHOD_SCOPES[m]?.required ?? []),
        ...Object.keys(METHOD_SCOPES[m]?.chosen ?? {}),
      ]),
      ...[...listeners].flatMap((l) => LISTENER_SCOPES[l] ?? []),
    ]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });
});
