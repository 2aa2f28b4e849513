import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { binderIndex, runbookMarkdown } from '../runbooks/export-markdown.js';
import { treeMermaid } from '../runbooks/export-mermaid.js';
import { formatFinding } from '../runbooks/finding.js';
import { loadRunbooks, type LoadedTree, type RunbookLibrary } from '../runbooks/load.js';
import { errorMessage } from '../errors.js';

type Writer = { write(text: string): unknown };

export type ExportOptions = {
  /** When the binder was generated; printed on its first page. */
  readonly now?: Date;
  readonly stdout?: Writer;
  readonly stderr?: Writer;
};

/** The default tree first: it is the one `/dr declare` walks. */
function orderedTrees(library: RunbookLibrary): LoadedTree[] {
  const trees = [...library.trees.values()];
  return [
    ...trees.filter((t) => t === library.defaultTree),
    ...trees.filter((t) => t !== library.defaultTree),
  ];
}

/** File name → content of every file in the binder. */
export function binderFiles(library: RunbookLibrary, source: string, generatedAt: Date): Map<string, string> {
  const runbooks = [...library.runbooks.values()]
    .map((r) => r.runbook)
    .sort((a, b) => a.id.localeCompare(b.id));
  const trees = orderedTrees(library).map((t) => t.tree);
  const titles = new Map(runbooks.map((r) => [r.id, r.title]));
  const files = new Map<string, string>([
    ['README.md', binderIndex({ generatedAt, source, runbooks, trees })],
  ]);
  trees.forEach((tree, i) => {
    files.set(i === 0 ? 'decision-tree.mmd' : `decision-tree-${tree.id}.mmd`, treeMermaid(tree, titles));
  });
  for (const runbook of runbooks) files.set(`${runbook.id}.md`, runbookMarkdown(runbook));
  return files;
}

/** `lifeboat export`: 0 when the binder is written, 1 when lint errors stop it, 2 when a folder cannot be used. */
export async function exportCommand(
  runbooksDir: string,
  outDir: string,
  options: ExportOptions = {},
): Promise<number> {
  const { now = new Date(), stdout = process.stdout, stderr = process.stderr } = options;
  let library: RunbookLibrary;
  try {
    library = await loadRunbooks(runbooksDir);
  } catch (error) {
    stderr.write(`lifeboat export: cannot read ${runbooksDir}: ${errorMessage(error)}\n`);
    return 2;
  }
  if (!library.ok) {
    const errors = library.findings.filter((f) => f.severity === 'error');
    for (const finding of errors) stderr.write(`${formatFinding(finding)}\n`);
    // A binder printed from broken runbooks would be trusted when nothing else is left.
    const count = `${errors.length} lint error${errors.length === 1 ? '' : 's'}`;
    stderr.write(`✗ lifeboat export: ${count} in ${runbooksDir}; nothing written\n`);
    return 1;
  }
  try {
    await mkdir(outDir, { recursive: true });
    for (const [name, content] of binderFiles(library, runbooksDir, now)) {
      const file = path.join(outDir, name);
      await writeFile(file, content, 'utf8');
      stdout.write(`${file}\n`);
    }
  } catch (error) {
    stderr.write(`lifeboat export: cannot write ${outDir}: ${errorMessage(error)}\n`);
    return 2;
  }
  stdout.write(
    `✓ binder: ${library.runbooks.size} runbooks, ${library.trees.size} decision trees in ${outDir}\n`,
  );
  return 0;
}
