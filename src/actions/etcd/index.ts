import type { ActionDefinition } from '../registry.js';
import { endpointHealth } from './endpoint-health.js';
import { endpointStatus } from './endpoint-status.js';
import { keyCount } from './key-count.js';
import { memberAdd } from './member-add.js';
import { memberList } from './member-list.js';
import { memberRemove } from './member-remove.js';
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
    'etcd.member-list': memberList,
    'etcd.endpoint-status': endpointStatus,
    'etcd.member-remove': memberRemove,
    'etcd.member-add': memberAdd,
  };
}
