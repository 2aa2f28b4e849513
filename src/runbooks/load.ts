import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DecisionTree } from '../domain/tree.js';
import type { Runbook } from '../domain/runbook.js';
import { byPosition, type Finding } from './finding.js';
import { MAX_FILE_BYTES, parseRunbookSource, tooLarge, type ParsedDoc, type ParsedFile } from './parse.js';
import { semanticFindings } from './semantics.js';

export type LoadedRunbook = { readonly runbook: Runbook; readonly file: string; readonly hash: string };
export type LoadedTree = { readonly tree: DecisionTree; readonly file: string };
/** A runbook lint found errors in: never offered, never run, listed with what to fix. */
export type RefusedRunbook = {
  readonly id: string;
  readonly file: string;
  readonly errors: readonly Finding[];
};

/** The runbook folder as the bot and the CLI see it: what loaded, and what lint has to say. */
export type RunbookLibrary = {
  readonly runbooks: ReadonlyMap<string, LoadedRunbook>;
  readonly refused: ReadonlyMap<string, RefusedRunbook>;
  readonly trees: ReadonlyMap<string, LoadedTree>;
  readonly defaultTree?: LoadedTree;
  readonly findings: readonly Finding[];
  readonly ok: boolean;
};

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

async function readOne(file: string, shown: string): Promise<ParsedFile> {
  const size = (await stat(file)).size;
  // A huge file is refused without reading it into memory.
  if (size > MAX_FILE_BYTES) return tooLarge(shown, size);
  return parseRunbookSource(shown, (await readFile(file)).toString('utf8'));
}

/** Paths as a person would type them: relative inside the working directory, absolute outside it. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' ? '.' : relative.startsWith('..') ? path.resolve(file) : relative;
}

/** Content hash of a runbook as loaded: an incident keeps the runbook it started with. */
export function runbookHash(runbook: Runbook): string {
  return createHash('sha256').update(JSON.stringify(runbook)).digest('hex').slice(0, 16);
}

/** Loads and lints every *.yaml / *.yml under `dir`. Never throws for bad content; throws if `dir` is unreadable. */
export async function loadRunbooks(dir: string): Promise<RunbookLibrary> {
  const files = await yamlFiles(dir);
  const parsed = await Promise.all(files.map((file) => readOne(file, shownPath(file))));
  const docs = parsed.flatMap((p): ParsedDoc[] => (p.doc ? [p.doc] : []));
  const byFile = new Map(parsed.map((p) => [p.file, p]));
  const folder = shownPath(dir);
  const broken = parsed.flatMap((p) => (p.declaredId ? [p.declaredId] : []));
  const semantic = semanticFindings(folder, docs, broken).map(
    (f) =>
      byFile.get(f.file)?.locate(f) ?? {
        file: f.file,
        line: 1,
        col: 1,
        severity: f.severity,
        message: f.message,
        ...(f.hint ? { hint: f.hint } : {}),
      },
  );
  const findings = [...parsed.flatMap((p) => p.findings), ...semantic].sort(byPosition);
  if (files.length === 0) {
    findings.push({
      file: folder,
      line: 1,
      col: 1,
      severity: 'error',
      message: 'no *.yaml or *.yml files here',
      hint: 'point LIFEBOAT_RUNBOOKS (or lint DIR) at the runbook folder',
    });
  }
  const runbooks = new Map<string, LoadedRunbook>();
  const refused = new Map<string, RefusedRunbook>();
  const trees = new Map<string, LoadedTree>();
  const errorsIn = (file: string) => findings.filter((f) => f.file === file && f.severity === 'error');
  for (const doc of docs) {
    const errors = doc.kind === 'Runbook' ? errorsIn(doc.file) : [];
    // What lint refuses never runs: not even a one-person run of a destructive step with approval.count 0.
    if (doc.kind === 'Runbook' && errors.length > 0 && !refused.has(doc.value.id))
      refused.set(doc.value.id, { id: doc.value.id, file: doc.file, errors });
    else if (doc.kind === 'Runbook' && !runbooks.has(doc.value.id) && !refused.has(doc.value.id))
      runbooks.set(doc.value.id, { runbook: doc.value, file: doc.file, hash: runbookHash(doc.value) });
    if (doc.kind === 'DecisionTree' && !trees.has(doc.value.id))
      trees.set(doc.value.id, { tree: doc.value, file: doc.file });
  }
  const defaultTree =
    [...trees.values()].find((t) => t.tree.default) ??
    (trees.size === 1 ? [...trees.values()][0] : undefined);
  return {
    runbooks,
    refused,
    trees,
    ...(defaultTree ? { defaultTree } : {}),
    findings,
    ok: !findings.some((f) => f.severity === 'error'),
  };
}
