import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const SHIPPED_RUNBOOKS = path.resolve(import.meta.dirname, '../../runbooks');

/** A scratch copy of the shipped runbooks that a test may break on purpose. */
export async function copyOfShippedRunbooks(): Promise<{
  dir: string;
  edit: (file: string, from: string, to: string) => Promise<void>;
  remove: () => Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-runbooks-'));
  await cp(SHIPPED_RUNBOOKS, dir, { recursive: true });
  return {
    dir,
    edit: async (file, from, to) => {
      const target = path.join(dir, file);
      const text = await readFile(target, 'utf8');
      if (!text.includes(from))
        throw new Error(`test setup: ${file} does not contain ${JSON.stringify(from)}`);
      await writeFile(target, text.replace(from, to));
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** 1-based line of the first occurrence of `needle` in a file, to check reported positions. */
export async function lineOf(file: string, needle: string): Promise<number> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const index = lines.findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`test setup: ${needle} not in ${file}`);
  return index + 1;
}

/** A scratch folder holding the given runbook and tree files, for a test that needs its own. */
export async function runbookFolder(
  files: Readonly<Record<string, string>>,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lifeboat-runbooks-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
