import { byName, type ImplementedAction } from '../registry.js';
import { endpointHealth } from './endpoint-health.js';
import { endpointStatus } from './endpoint-status.js';
import { keyCount } from './key-count.js';
import { memberAdd } from './member-add.js';
import { memberList } from './member-list.js';
import { memberRemove } from './member-remove.js';
import { snapshotRestore } from './snapshot-restore.js';
import { snapshotSave } from './snapshot-save.js';
import { snapshotStatus } from './snapshot-status.js';

/** The etcd actions by their contracts' names; they run etcdctl (and etcdutl where installed). */
export function etcdActions(): Record<string, ImplementedAction> {
  return byName([
    snapshotSave,
    snapshotStatus,
    snapshotRestore,
    endpointHealth,
    keyCount,
    memberList,
    endpointStatus,
    memberRemove,
    memberAdd,
  ]);
}
