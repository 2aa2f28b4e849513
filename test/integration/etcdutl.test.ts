/**
 * The etcdutl branch of the etcd actions (etcd 3.5+, where 3.6's etcdctl no longer restores), on a
 * machine whose Debian etcd is 3.4 and has no etcdutl: a stand-in `etcdutl` on PATH answers as
 * etcdutl does (its restore help lists --bump-revision and --mark-compacted), records its argv, and
 * does the work with etcdctl 3.4. What this proves is our side: detection, the flags we pass, and
 * reading the answers; real etcdutl 3.5 itself is not available here.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { etcdActions } from '../../src/actions/etcd/index.js';
import { createRegistry } from '../../src/actions/registry.js';
import { runCall } from '../../src/engine/run-call.js';
import { putKeys, startEtcd, startEtcdIn, type LocalEtcd } from '../support/etcd.js';

const STAND_IN = `#!/bin/sh
echo "$*" >> "$(dirname "$0")/argv.log"
if [ "$1 $2 $3" = "snapshot restore --help" ]; then
  echo "      --bump-revision uint      How much to increase the latest revision after restore"
  echo "      --mark-compacted          Mark the latest revision after restore as compacted"
  exit 0
fi
# etcdctl 3.4 restores the same way, without the revision bump.
args=""
skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in
    --bump-revision) skip=1 ;;
    --bump-revision=*|--mark-compacted) ;;
    *) args="$args $a" ;;
  esac
done
ETCDCTL_API=3 exec etcdctl $args
`;

let dir = '';
let etcd: LocalEtcd & { cleanUp(): Promise<void> };
let restored: LocalEtcd | undefined;
const path0 = process.env.PATH;
const registry = createRegistry(etcdActions());
const call = (action: string, input: Record<string, unknown>) =>
  runCall(registry, { action, with: input }, () => undefined, {
    incidentId: 'inc-etcdutl',
    workdir: dir,
    signal: new AbortController().signal,
    progress: () => undefined,
    cluster: () => undefined,
  });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-etcdutl-'));
  await writeFile(path.join(dir, 'etcdutl'), STAND_IN);
  await chmod(path.join(dir, 'etcdutl'), 0o755);
  process.env.PATH = `${dir}${path.delimiter}${path0 ?? ''}`;
  etcd = await startEtcd();
  await putKeys(etcd.endpoint, '/registry/lifeboat/key-', 500);
}, 60_000);
afterAll(async () => {
  process.env.PATH = path0;
  await restored?.stop();
  await etcd?.cleanUp();
  await rm(dir, { recursive: true, force: true });
});

describe('with etcdutl on PATH', () => {
  it('reads and restores snapshots with etcdutl, bumping the revision and marking it compacted', async () => {
    expect(await call('etcd.snapshot-save', { endpoints: etcd.endpoint, file: 'snap.db' })).toMatchObject({
      passed: true,
    });
    const status = await call('etcd.snapshot-status', { file: 'snap.db' });
    expect(status).toMatchObject({ passed: true, result: { tool: 'etcdutl' } });
    expect(status.result.totalKey).toBeGreaterThanOrEqual(500);

    const restore = await call('etcd.snapshot-restore', {
      file: 'snap.db',
      initialCluster: 'm1=http://127.0.0.1:2380',
      dataDirRoot: 'restored',
    });
    expect(restore).toMatchObject({
      passed: true,
      result: { tool: 'etcdutl', markCompacted: true },
    });
    const argv = await readFile(path.join(dir, 'argv.log'), 'utf8');
    expect(argv).toMatch(/^snapshot status .*snap\.db -w json$/m);
    expect(argv).toMatch(
      new RegExp(
        `^snapshot restore ${path.join(dir, 'snap.db')} .*--bump-revision=\\d+ --mark-compacted`,
        'm',
      ),
    );

    restored = await startEtcdIn({
      dataDir: path.join(dir, 'restored', 'm1.etcd'),
      name: 'm1',
      initialCluster: 'm1=http://127.0.0.1:2380',
    });
    const count = await call('etcd.key-count', {
      endpoints: restored.endpoint,
      prefix: '/registry/lifeboat/',
    });
    expect(count).toMatchObject({ passed: true, result: { count: 500 } });
  });
});
