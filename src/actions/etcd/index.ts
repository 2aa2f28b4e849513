import { byName, type ImplementedAction } from '../registry.js';
import { endpointHealth } from './endpoint-health.js';
import { keyCount } from './key-count.js';
import { snapshotRestore } from './snapshot-restore.js';
import { snapshotSave } from './snapshot-save.js';
import { snapshotStatus } from './snapshot-status.js';

/** The etcd actions by their contracts' names; they run etcdctl (and etcdutl where installed). */
export function etcdActions(): Record<string, ImplementedAction> {
  return byName([snapshotSave, snapshotStatus, snapshotRestore, endpointHealth, keyCount]);
}
