import { VersionApi } from '@kubernetes/client-node';
import type { KubeConfigSource } from './clients.js';
import { kubeAction } from './kube-action.js';
import { versionContract } from './version-contract.js';

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
