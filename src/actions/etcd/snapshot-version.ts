import { BoltUnreadable, readBolt } from './bbolt.js';

/**
 * The etcd version a snapshot was written by, read from the snapshot itself: etcd keeps the
 * cluster version in its bbolt backend (read by ./bbolt.ts), bucket `cluster`, key `clusterVersion`
 * ("3.4.0", "3.5.0"), and `snapshot status` of etcd 3.4 and 3.5 does not report it.
 */

/**
 * The snapshot's stored cluster version ("3.5.0"), or undefined when the file holds none or is not
 * bbolt; rejects with the file system's error when the file cannot be opened.
 */
export async function snapshotClusterVersion(file: string): Promise<string | undefined> {
  try {
    return await readBolt(file, async (db) => {
      const version = await (await db.bucket('cluster'))?.get('clusterVersion');
      const text = version && !version.bucket ? version.value.toString('utf8') : '';
      return /^\d+\.\d+\.\d+$/.test(text) ? text : undefined;
    });
  } catch (error) {
    if (error instanceof BoltUnreadable && error.problem === 'cannot open') throw error.cause;
    return undefined;
  }
}
