import type { ParsedDoc } from './parse.js';
import type { PathFinding } from './finding.js';
import { duplicates, runbookFindings } from './rules-runbook.js';
import { treeFindings } from './rules-tree.js';

/** Rules across the whole runbook folder; `folder` names findings that belong to no single file. */
export function semanticFindings(
  folder: string,
  docs: readonly ParsedDoc[],
  brokenRunbookIds: readonly string[] = [],
): PathFinding[] {
  const runbooks = docs.flatMap((d) => (d.kind === 'Runbook' ? [d] : []));
  const trees = docs.flatMap((d) => (d.kind === 'DecisionTree' ? [d] : []));
  // A runbook with schema errors is reported in its own file; references to it are not errors too.
  const runbookIds = new Set([...runbooks.map((r) => r.value.id), ...brokenRunbookIds]);
  const findings: PathFinding[] = [];

  for (const i of duplicates(runbooks.map((r) => r.value.id))) {
    const doc = runbooks[i];
    if (doc)
      findings.push({
        file: doc.file,
        path: ['id'],
        severity: 'error',
        message: `runbook id "${doc.value.id}" is used by another file too`,
        hint: 'ids must be unique across the folder',
      });
  }
  for (const i of duplicates(trees.map((t) => t.value.id))) {
    const doc = trees[i];
    if (doc)
      findings.push({
        file: doc.file,
        path: ['id'],
        severity: 'error',
        message: `decision tree id "${doc.value.id}" is used by another file too`,
        hint: 'ids must be unique across the folder',
      });
  }
  for (const doc of runbooks) findings.push(...runbookFindings(doc.file, doc.value));
  for (const doc of trees) findings.push(...treeFindings(doc.file, doc.value, runbookIds));

  const defaults = trees.filter((t) => t.value.default);
  if (trees.length === 0 && runbooks.length > 0) {
    findings.push({
      file: folder,
      path: [],
      severity: 'error',
      message: 'no decision tree in this folder',
      hint: '/dr declare needs a kind: DecisionTree with default: true',
    });
  } else if (trees.length > 1 && defaults.length !== 1) {
    const file = (defaults[1] ?? trees[0])?.file ?? folder;
    findings.push({
      file,
      path: ['default'],
      severity: 'error',
      message: `${defaults.length} decision trees are marked default`,
      hint: 'mark exactly one tree default: true',
    });
  }
  const reachable = new Set(
    trees.flatMap((t) =>
      Object.values(t.value.nodes).flatMap((n) => n.options.flatMap((o) => (o.runbook ? [o.runbook] : []))),
    ),
  );
  for (const doc of runbooks) {
    if (trees.length > 0 && !reachable.has(doc.value.id)) {
      findings.push({
        file: doc.file,
        path: ['id'],
        severity: 'warning',
        message: `no decision tree leads to runbook "${doc.value.id}"`,
        hint: 'responders can start it only as a drill; add it to the tree if it answers a failure',
      });
    }
  }
  return findings;
}
