import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { backup, schedule, snapshotLocation, storageLocation } from '../../src/sandbox/k8s/objects.js';
import { admit, invalidStatus, type VeleroPlural } from '../../src/sandbox/velero/crd.js';

const FIXTURES = path.resolve('test/fixtures/velero');
const PLURALS: Record<string, VeleroPlural> = {
  Backup: 'backups',
  Restore: 'restores',
  Schedule: 'schedules',
  BackupStorageLocation: 'backupstoragelocations',
  VolumeSnapshotLocation: 'volumesnapshotlocations',
  DownloadRequest: 'downloadrequests',
};

describe('Velero fixtures against the real CRDs (../shared/reference/velero)', () => {
  it('every fixture file and every object builder passes the CRD schema', async () => {
    const files = (await readdir(FIXTURES)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    const objects: [string, Record<string, unknown>][] = [];
    for (const file of files) {
      const object = JSON.parse(await readFile(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
      if (typeof object.kind === 'string' && object.kind in PLURALS) objects.push([file, object]);
    }
    const built: [VeleroPlural, unknown][] = [
      ['backups', backup('b', { schedule: 'daily', included: ['shop'], warnings: 2, errors: 1 })],
      ['backups', backup('c', { phase: 'InProgress', excluded: ['kube-system'] })],
      ['schedules', schedule('daily', { lastBackupHoursAgo: 1, lastSkippedHoursAgo: 3 })],
      ['schedules', schedule('bad', { cron: 'every-day', validationErrors: ['invalid schedule: x'] })],
      ['backupstoragelocations', storageLocation('default', 'Available', 1, 'ok')],
      ['volumesnapshotlocations', snapshotLocation('default', 'aws', 'eu-west-1')],
    ];
    const errors = [
      ...objects.map(
        ([file, object]) => [file, admit(PLURALS[String(object.kind)]!, object).errors] as const,
      ),
      ...built.map(
        ([plural, object], i) =>
          [`builder ${i} (${plural})`, admit(plural, object as Record<string, unknown>).errors] as const,
      ),
    ].filter(([, list]) => list.length > 0);
    expect(errors).toEqual([]);
  });

  it('refuses what the API server refuses, in its words', () => {
    const bad = {
      metadata: { name: 'Restore_1' },
      spec: { backupName: 'b', restorePVs: 'yes', existingResourcePolicy: 'overwrite' },
    };
    const { errors } = admit('restores', bad);
    expect(errors).toEqual([
      expect.stringMatching(/^metadata\.name: Invalid value: "Restore_1": a lowercase RFC 1123 subdomain/),
      'spec.restorePVs: Invalid value: "string": spec.restorePVs in body must be of type boolean: "string"',
    ]);
    // The CRD has no enum for existingResourcePolicy: the restore controller refuses it later (FailedValidation).
    expect(
      admit('restores', { metadata: { name: 'r' }, spec: { existingResourcePolicy: 'overwrite' } }).errors,
    ).toEqual([]);
    const status = invalidStatus('restores', 'Restore_1', errors);
    expect(status).toMatchObject({ kind: 'Status', code: 422, reason: 'Invalid' });
    expect(status.message).toMatch(/^Restore\.velero\.io "Restore_1" is invalid: \[metadata\.name: /);
  });

  it('prunes fields the schema does not know, as the API server does', () => {
    const { object, errors } = admit('restores', {
      metadata: { name: 'r' },
      spec: { backupName: 'b', restorePv: true },
    });
    expect(errors).toEqual([]);
    expect(object.spec).toEqual({ backupName: 'b' });
  });
});
