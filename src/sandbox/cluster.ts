import { K8sEmulator } from './k8s-emulator.js';
import { backup, hoursAgo, namespace, node, schedule, storageLocation } from './k8s/objects.js';
import { PAYMENTS, PAYMENTS_CONTENTS, paymentsObjects } from './payments.js';
import { resourceList, volumeInfos } from './velero/backup-files.js';

/** Velero's storage locations are validated every minute by default (BackupStorageLocation spec.validationFrequency). */
const VALIDATE_EVERY_MS = 60_000;

export const SCHEDULE = `${PAYMENTS}-daily`;
/** The backup a newcomer may pick that the preflight refuses: its volume's data was never taken. */
export const BACKUP_WITHOUT_DATA = `${PAYMENTS}-before-upgrade`;

export type SandboxCluster = {
  readonly api: K8sEmulator;
  /** The good backup the restore takes by default (the schedule's newest). */
  readonly newestBackup: string;
  /** Whether Velero writes are checked against the real CRDs (only where they can be read). */
  readonly validates: boolean;
  stop(): Promise<void>;
};

/** Velero's name for a scheduled backup: SCHEDULE-yyyyMMddHHmmss (pkg/builder Schedule.TimestampedName). */
function scheduledName(at: Date): string {
  return `${SCHEDULE}-${at.toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;
}

/**
 * The sandbox's Kubernetes cluster with Velero: the Kubernetes and Velero emulator, whose namespace
 * `payments` was deleted just now; a daily Schedule holds two backups of it, and a manual backup
 * taken before an upgrade holds its objects but not its volume's data (the file-system backup was opted out).
 */
export async function startSandboxCluster(): Promise<SandboxCluster> {
  // Slow enough that the restore's phases can be watched on the card.
  const api = await K8sEmulator.create({ tickMs: 1000, crds: 'if-found' });
  api.restorePlan = {
    ...api.restorePlan,
    ticks: 6,
    totalItems: paymentsObjects().length,
    pluginOperations: { ticks: 3 },
  };
  api.seed('nodes', node('sandbox-1'), node('sandbox-2'));
  api.seed('namespaces', namespace('default'), namespace('kube-system'), namespace('velero'));
  api.seed('backupstoragelocations', storageLocation('default', 'Available', 0.01));
  api.seed('schedules', schedule(SCHEDULE, { included: [PAYMENTS], lastBackupHoursAgo: 3 }));
  const good = {
    resources: resourceList({ [PAYMENTS]: PAYMENTS_CONTENTS('CSISnapshot') }),
    volumes: volumeInfos({ [PAYMENTS]: PAYMENTS_CONTENTS('CSISnapshot') }),
    objects: paymentsObjects(),
  };
  const newestBackup = scheduledName(new Date(Date.parse(hoursAgo(3.1))));
  const olderBackup = scheduledName(new Date(Date.parse(hoursAgo(27.1))));
  for (const [name, hours] of [
    [newestBackup, 3],
    [olderBackup, 27],
  ] as const) {
    api.seed('backups', backup(name, { schedule: SCHEDULE, included: [PAYMENTS], completedHoursAgo: hours }));
    api.backupFiles(name, good);
  }
  api.seed('backups', backup(BACKUP_WITHOUT_DATA, { included: [PAYMENTS], completedHoursAgo: 6 }));
  const empty = { [PAYMENTS]: PAYMENTS_CONTENTS('none') };
  api.backupFiles(BACKUP_WITHOUT_DATA, {
    resources: resourceList(empty),
    volumes: volumeInfos(empty),
    objects: paymentsObjects(),
  });
  const validation = setInterval(() => {
    api.state.update('backupstoragelocations', 'velero', 'default', (location) => {
      location.status = { ...location.status, lastValidationTime: new Date().toISOString() };
    });
  }, VALIDATE_EVERY_MS);
  validation.unref();
  return {
    api,
    newestBackup,
    validates: api.validates,
    stop: async () => {
      clearInterval(validation);
      await api.close();
    },
  };
}
