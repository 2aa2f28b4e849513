import { VersionApi } from '@kubernetes/client-node';
import { z } from 'zod';
import { ClusterName } from '../inputs.js';
import type { KubeConfigSource } from './clients.js';
import { actionContract } from '../contract.js';
import { kubeAction } from './kube-action.js';

export const versionContract = actionContract({
  name: 'k8s.version',
  summary: 'Read the Kubernetes version of a cluster',
  readOnly: true,
  timeout: '1m',
  input: z.strictObject({
    cluster: ClusterName.describe('cluster name from the config (primary, standby, …)'),
  }),
  result: { gitVersion: 'e.g. v1.31.2', minor: 'minor version, e.g. 31' },
});

/** `v1.31.2-eks-1` → `31`; the minor is what decides whether CRD schemas match. */
export const minorFromGitVersion = (gitVersion: string): string =>
  /^v?\d+\.(\d+)/.exec(gitVersion)?.[1] ?? '';

/** The cluster's Kubernetes version, to compare with the version a backup was taken on. */
export const version = (source: KubeConfigSource) =>
  kubeAction(source, versionContract, async (_input, kube) => {
    const info = await kube.call(
      { verb: 'get', resource: { plural: '/version', kind: '/version' } },
      (options) => kube.api(VersionApi).getCode(undefined, options),
    );
    // Some managed clusters say `31+`; compare as a plain number string.
    const minor = /\d+/.exec(info.minor)?.[0] ?? minorFromGitVersion(info.gitVersion);
    return { completed: true, result: { gitVersion: info.gitVersion, minor } };
  });
