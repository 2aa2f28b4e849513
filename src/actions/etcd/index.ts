import type { ActionDefinition } from '../registry.js';
import { alarms } from './alarms.js';
import { endpointHealth } from './endpoint-health.js';
import { keyCount } from './key-count.js';
import { snapshotRestore } from './snapshot-restore.js';
import { snapshotSave } from './snapshot-save.js';
import { snapshotStatus } from './snapshot-status.js';

/** The etcd actions by their catalogue names; they run etcdctl (and etcdutl where installed). */
export function etcdActions(): Record<string, ActionDefinition> {
  return {
    'etcd.snapshot-save': snapshotSave,
    'etcd.snapshot-status': snapshotStatus,
    'etcd.snapshot-restore': snapshotRestore,
    'etcd.endpoint-health': endpointHealth,
    'etcd.key-count': keyCount,
    'etcd.alarms': alarms,
  };
}
