import { expect, it } from '@jest/globals';
import type { BackupState } from '../../../src/domain/backups.js';
import type {
  BackupStates,
  DrillRecords,
  ScheduleMarks,
  SlackOutbox,
} from '../../../src/engine/ports/index.js';
import { contract } from './stores.js';

contract<DrillRecords>('drill records', (fresh) => {
  it('keeps one record per finished drill, for readiness', async () => {
    const drills = fresh();
    const record = {
      incident: 'DRILL-1',
      runbook: 'etcd-snapshot-restore',
      passed: false,
      endedAt: 1000,
      rtoTarget: 3600,
    };
    await drills.recordDrill(record);
    await drills.recordDrill({ ...record, passed: true, rtoSeconds: 1200 });
    await drills.recordDrill({ ...record, incident: 'DRILL-2', runbook: 'region-failover' });
    const records = (await drills.drillRecords()).sort((a, b) => a.incident.localeCompare(b.incident));
    expect(records).toEqual([
      { ...record, passed: true, rtoSeconds: 1200 },
      { ...record, incident: 'DRILL-2', runbook: 'region-failover' },
    ]);
  });
});

const state = (source: string, status: BackupState['status'], checkedAt: number): BackupState => ({
  source,
  status,
  rpoSeconds: 3600,
  detail: `${source} is ${status}`,
  checkedAt,
  ...(status === 'fresh' ? { ageSeconds: 60 } : {}),
});

contract<BackupStates>('backup states', (fresh) => {
  it('keeps the last state of each source; a later round replaces the sources it checked', async () => {
    const backups = fresh();
    expect(await backups.backupStates()).toEqual([]);
    await backups.saveBackupStates([state('etcd-prod', 'fresh', 1), state('velero-prod', 'fresh', 1)]);
    await backups.saveBackupStates([state('velero-prod', 'stale', 2)]);
    await backups.saveBackupStates([]);
    const states = (await backups.backupStates()).sort((a, b) => a.source.localeCompare(b.source));
    expect(states).toEqual([state('etcd-prod', 'fresh', 1), state('velero-prod', 'stale', 2)]);
  });
});

contract<ScheduleMarks>('schedule marks', (fresh) => {
  it('remembers where each schedule last counted from, separately', async () => {
    const marks = fresh();
    expect(await marks.scheduleMark('restore:0 3 * * *:UTC')).toBeUndefined();
    await marks.markSchedule('restore:0 3 * * *:UTC', 1_764_558_000_000);
    await marks.markSchedule('failover:0 4 * * 1:Europe/Berlin', 5);
    await marks.markSchedule('restore:0 3 * * *:UTC', 1_764_644_400_000);
    expect(await marks.scheduleMark('restore:0 3 * * *:UTC')).toBe(1_764_644_400_000);
    expect(await marks.scheduleMark('failover:0 4 * * 1:Europe/Berlin')).toBe(5);
  });
});

contract<SlackOutbox>('Slack outbox', (fresh) => {
  it('records the card, how much of the thread is posted and the report, each field on its own', async () => {
    const outbox = fresh();
    expect(await outbox.outbox('inc-m')).toEqual({ posted: 0, reported: false });
    await outbox.recordPosted('inc-m', { card: '1700000000.000100', channel: 'C1' });
    await outbox.recordPosted('inc-m', { posted: 3 });
    await outbox.recordPosted('inc-m', { posted: 5 });
    expect(await outbox.outbox('inc-m')).toEqual({
      card: '1700000000.000100',
      channel: 'C1',
      posted: 5,
      reported: false,
    });
    await outbox.recordPosted('inc-m', { reported: true });
    expect(await outbox.outbox('inc-m')).toMatchObject({
      card: '1700000000.000100',
      posted: 5,
      reported: true,
    });
    expect(await outbox.outbox('inc-other')).toEqual({ posted: 0, reported: false });
  });
});
