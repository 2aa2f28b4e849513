import { describe, expect, it } from '@jest/globals';
import { buildPlan, dataSource } from '../../src/actions/velero/plan.js';
import { planDigest, planProblems } from '../../src/actions/velero/plan-words.js';
import { allowedBy, unsafePattern } from '../../src/actions/velero/warning-match.js';
import { resourceList, volumeInfos, type NamespaceContents } from '../../src/sandbox/velero/backup-files.js';

const contents: Record<string, NamespaceContents> = {
  shop: {
    deployments: ['web'],
    pvcs: { a: 'NativeSnapshot', b: 'CSIDataMover', c: 'PodVolumeBackup', d: 'none' },
  },
};
const live = { existing: new Set<string>(), crds: new Set<string>(), persistentVolumes: [] };
const query = {
  backup: 'b1',
  namespace: 'shop',
  targetNamespace: 'shop',
  existingResourcePolicy: 'none' as const,
};

describe('the restore plan, from Velero’s files', () => {
  it('names where each PVC’s data comes from, as BackupVolumeInfos records it', () => {
    const plan = buildPlan(query, resourceList(contents), volumeInfos(contents), live);
    expect(plan.pvcs).toEqual([
      { name: 'shop/a', source: 'native snapshot' },
      { name: 'shop/b', source: 'CSI data upload' },
      { name: 'shop/c', source: 'file-system backup' },
      { name: 'shop/d', source: 'none' },
    ]);
    expect(planProblems(plan, false)).toEqual([
      'shop/d would come back empty (no snapshot or file-system backup of its data in b1)',
    ]);
    expect(planProblems(plan, true)).toEqual([]);
    // A volume whose backup failed has no data either; so has one with no entry (a pre-1.13 backup).
    expect(dataSource({ backupMethod: 'CSISnapshot', result: 'failed' })).toBe('none');
    expect(dataSource(undefined)).toBe('none');
  });

  it('gives the same digest for the same plan whatever the key order, another for a mapped namespace', () => {
    const a = buildPlan(query, resourceList(contents), volumeInfos(contents), live);
    const reordered = Object.fromEntries(Object.entries(resourceList(contents)).reverse());
    expect(planDigest(buildPlan(query, reordered, volumeInfos(contents), live))).toBe(planDigest(a));
    expect(
      planDigest(
        buildPlan(
          { ...query, targetNamespace: 'shop-2' },
          resourceList(contents),
          volumeInfos(contents),
          live,
        ),
      ),
    ).not.toBe(planDigest(a));
  });
});

describe('allowWarnings patterns', () => {
  it('refuses patterns that backtrack exponentially and backreferences; accepts plain ones', () => {
    expect(unsafePattern('(a+)+$')).toMatch(/quantified group holding a quantifier/);
    expect(unsafePattern('(x*)*')).toMatch(/quantified group/);
    expect(unsafePattern('(.*){2,}')).toMatch(/quantified group/);
    expect(unsafePattern('(a)\\1')).toBe('backreferences are not supported');
    expect(unsafePattern('[')).toMatch(/Invalid regular expression/);
    expect(unsafePattern('ConfigMap "(settings|flags)" already exists')).toBeUndefined();
    expect(unsafePattern('already exists.*different')).toBeUndefined();
    const allowed = allowedBy(['ConfigMap "settings" already exists']);
    expect(allowed('could not restore, ConfigMap "settings" already exists. Warning: …')).toBe(true);
    expect(allowed('could not restore, Secret "settings" already exists. Warning: …')).toBe(false);
  });
});
