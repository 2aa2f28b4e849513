import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Jest global setup: compile once so tests run the real `lifeboat` binary, not a stale build. */
export default function build(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, stdio: 'inherit' },
  );
}
