import { execa } from 'execa';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'dist/cli/bin.js');

/** Runs the built `lifeboat` binary as a child process, as a user would. */
export function lifeboat(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? {},
    reject: false,
    timeout: 20_000,
  });
}
