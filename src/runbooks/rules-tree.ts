import type { DecisionTree } from '../domain/tree.js';
import { actionFindings } from './rules-actions.js';
import { closest, type PathFinding } from './finding.js';

/** Rules of one decision tree: targets exist, every node reachable, no cycles, distinct labels. */
export function treeFindings(
  file: string,
  tree: DecisionTree,
  runbookIds: ReadonlySet<string>,
): PathFinding[] {
  const findings: PathFinding[] = [];
  const error = (path: PathFinding['path'], message: string, hint: string, atKey = false): void => {
    findings.push({ file, path, severity: 'error', message, hint, atKey });
  };
  const nodeIds = Object.keys(tree.nodes);
  const didYouMean = (word: string, choices: Iterable<string>, fallback: string): string => {
    const guess = closest(word, choices);
    return guess ? `did you mean "${guess}"?` : fallback;
  };

  if (!tree.nodes[tree.start])
    error(
      ['start'],
      `start node "${tree.start}" does not exist`,
      didYouMean(tree.start, nodeIds, `nodes: ${nodeIds.join(', ')}`),
    );

  for (const [id, node] of Object.entries(tree.nodes)) {
    const labels = new Set<string>();
    node.options.forEach((option, i) => {
      const path = ['nodes', id, 'options', i];
      if (labels.has(option.label.toLowerCase()))
        error(
          [...path, 'label'],
          `two options of "${id}" read "${option.label}"`,
          'labels are buttons: make each one distinct',
        );
      labels.add(option.label.toLowerCase());
      if (option.next !== undefined && !tree.nodes[option.next])
        error(
          [...path, 'next'],
          `next node "${option.next}" does not exist`,
          didYouMean(option.next, nodeIds, `nodes: ${nodeIds.join(', ')}`),
        );
      if (option.runbook !== undefined && !runbookIds.has(option.runbook))
        error(
          [...path, 'runbook'],
          `runbook "${option.runbook}" does not exist`,
          didYouMean(option.runbook, runbookIds, `runbooks: ${[...runbookIds].join(', ')}`),
        );
      if (option.suggestWhen && !node.probe)
        error(
          [...path, 'suggestWhen'],
          'suggestWhen needs a probe on this node',
          'add probe: to the node, or remove suggestWhen',
        );
    });
    if (node.probe)
      findings.push(
        ...actionFindings({ file, path: ['nodes', id, 'probe'], call: node.probe, use: 'probe' }, undefined),
      );
  }

  const reached = new Set<string>();
  const visiting = new Set<string>();
  const walk = (id: string): void => {
    reached.add(id);
    visiting.add(id);
    tree.nodes[id]?.options.forEach((option, i) => {
      if (option.next === undefined || !tree.nodes[option.next]) return;
      if (visiting.has(option.next))
        error(
          ['nodes', id, 'options', i, 'next'],
          `"${id}" → "${option.next}" closes a cycle`,
          'a decision tree only goes forward: point at a new question or a runbook',
        );
      else if (!reached.has(option.next)) walk(option.next);
    });
    visiting.delete(id);
  };
  if (tree.nodes[tree.start]) walk(tree.start);
  for (const id of nodeIds) {
    if (!reached.has(id))
      error(
        ['nodes', id],
        `node "${id}" cannot be reached from "${tree.start}"`,
        'point an option at it with next:, or delete it',
        true,
      );
  }
  return findings;
}
